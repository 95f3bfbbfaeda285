package dev.dossier.node.ordering;

import dev.dossier.node.ledger.PendingTx;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Cuts queued transactions into batches by {@link BlockLimits} on one thread and hands each batch to a sink. While
 * the sink works on a batch the next one fills up, so batches grow under load. A sink failure is fatal: the cutter
 * stops and refuses new transactions with {@link IllegalStateException}.
 *
 * <p>A batch's timeout runs from the arrival of its first transaction, as Fabric's BatchTimeout does: a transaction
 * that waited in the queue while the sink was busy is cut at once with everything queued behind it, not held for
 * another timeout. A sink that can take only so many batches at a time says so through a {@link Gate}, which the cutter
 * passes before it cuts: what arrives while the gate is shut joins the batch, instead of a small batch cut early
 * waiting at the gate while the next one fills up.
 */
final class BlockCutter implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(BlockCutter.class.getName());

    /** Receives each batch, in order, on the cutter thread. */
    @FunctionalInterface
    interface Sink {
        void cut(List<PendingTx> batch) throws Exception;
    }

    /** Lets the cutter cut the next batch once the sink can take it; called on the cutter thread. */
    @FunctionalInterface
    interface Gate {
        /** Returns once the sink can take one more batch. */
        void await() throws InterruptedException;
    }

    /** Queue element, with the transaction's arrival ({@link System#nanoTime}); no transaction: stop the cutter. */
    private record Item(PendingTx tx, long arrived) {}

    private static final Item STOP = new Item(null, 0);

    private final BlockLimits limits;
    private final Sink sink;
    private final Gate gate;
    private final BlockingQueue<Item> queue;
    private final Thread thread;
    private volatile Throwable failure;
    private volatile boolean closing;

    /** A cutter whose sink takes a batch whenever it returned from the last one. */
    BlockCutter(String name, BlockLimits limits, int queueCapacity, Sink sink) {
        this(name, limits, queueCapacity, () -> {}, sink);
    }

    /** @param gate passed before each batch is cut; the sink's {@code cut} follows each pass */
    BlockCutter(String name, BlockLimits limits, int queueCapacity, Gate gate, Sink sink) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.gate = Objects.requireNonNull(gate, "gate");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void add(PendingTx tx) throws InterruptedException {
        Objects.requireNonNull(tx, "tx");
        while (true) {
            checkRunning();
            if (queue.offer(new Item(tx, System.nanoTime()), 100, TimeUnit.MILLISECONDS)) {
                return;
            }
        }
    }

    private void checkRunning() {
        if (failure != null) {
            throw new IllegalStateException("ordering stopped after a failure: " + failure.getMessage(), failure);
        }
        if (closing) {
            throw new IllegalStateException("node is shutting down");
        }
    }

    /** @return true once the sink failed: nothing more is ordered */
    boolean failed() {
        return failure != null;
    }

    boolean healthy() {
        return failure == null && !closing;
    }

    private void run() {
        List<PendingTx> batch = new ArrayList<>();
        try {
            while (true) {
                Item first = queue.take();
                if (first == STOP) {
                    return;
                }
                gate.await();
                batch.add(first.tx());
                long bytes = first.tx().envelope().getSerializedSize();
                long deadline = first.arrived() + limits.timeout().toNanos();
                boolean stop = false;
                while (batch.size() < limits.maxTransactions() && bytes < limits.maxBytes()) {
                    Item next = queue.poll();
                    if (next == null) {
                        long wait = deadline - System.nanoTime();
                        if (wait <= 0) {
                            break;
                        }
                        next = queue.poll(wait, TimeUnit.NANOSECONDS);
                        if (next == null) {
                            break;
                        }
                    }
                    if (next == STOP) {
                        stop = true;
                        break;
                    }
                    batch.add(next.tx());
                    bytes += next.tx().envelope().getSerializedSize();
                }
                sink.cut(List.copyOf(batch));
                batch.clear();
                if (stop) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            failure = e;
            LOG.log(Level.SEVERE, "ordering stopped, nothing more is acknowledged", e);
        }
    }

    /** @return how many transactions wait in the queue, not yet cut into a batch */
    int queued() {
        return queue.size();
    }

    /** Hands what is already queued to the sink, then stops the cutter thread. */
    @Override
    public void close() throws InterruptedException {
        closing = true;
        if (thread.isAlive()) {
            queue.put(STOP);
            thread.join();
        }
    }
}
