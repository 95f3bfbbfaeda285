package dev.dossier.node.ordering;

import dev.dossier.node.ledger.Ledger;
import dev.dossier.node.ledger.LedgerException;
import dev.dossier.node.ledger.PendingTx;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.hyperledger.fabric.protos.common.Block;

/**
 * Single-node ordering: an in-process block cutter. Transactions are queued in arrival order; one thread cuts them into
 * blocks by {@link BlockLimits} and commits each block to the ledger, which validates MVCC and fsyncs before the
 * listener hears of it. While a block is being written the next one fills up, so commits are grouped under load.
 *
 * <p>A ledger failure (for example a full disk) is fatal to ordering: the orderer stops, refuses new transactions
 * with {@link IllegalStateException}, and keeps what was committed; a restart resumes from the last committed block.
 */
public final class SoloOrderer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SoloOrderer.class.getName());
    /** Queue element; the one with no transaction tells the cutter to stop. */
    private record Item(PendingTx tx) {}

    private static final Item STOP = new Item(null);

    private final Ledger ledger;
    private final BlockLimits limits;
    private final BlockListener listener;
    private final BlockingQueue<Item> queue;
    private final Thread cutter;
    private volatile Throwable failure;
    private volatile boolean closing;

    public SoloOrderer(Ledger ledger, BlockLimits limits, BlockListener listener, int queueCapacity) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.cutter = new Thread(this::run, "block-cutter");
        this.cutter.setDaemon(true);
    }

    public void start() {
        cutter.start();
    }

    /**
     * Queues a validated transaction for the next block, waiting while the queue is full.
     *
     * @throws IllegalStateException if ordering stopped (closed, or after a ledger failure)
     * @throws InterruptedException if interrupted while waiting for room
     */
    public void order(PendingTx tx) throws InterruptedException {
        Objects.requireNonNull(tx, "tx");
        while (true) {
            checkRunning();
            if (queue.offer(new Item(tx), 100, TimeUnit.MILLISECONDS)) {
                return;
            }
        }
    }

    private void checkRunning() {
        if (failure != null) {
            throw new IllegalStateException("ordering stopped after a ledger failure: " + failure.getMessage(), failure);
        }
        if (closing) {
            throw new IllegalStateException("node is shutting down");
        }
    }

    /** @return true while blocks can still be committed */
    public boolean healthy() {
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
                batch.add(first.tx());
                long bytes = first.tx().envelope().getSerializedSize();
                long deadline = System.nanoTime() + limits.timeout().toNanos();
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
                commit(batch);
                batch.clear();
                if (stop) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (LedgerException | RuntimeException e) {
            failure = e;
            LOG.log(Level.SEVERE, "block commit failed; ordering stopped, nothing more is acknowledged", e);
        }
    }

    private void commit(List<PendingTx> batch) throws LedgerException {
        Block block = ledger.commit(batch);
        List<String> txIds = new ArrayList<>(batch.size());
        for (PendingTx tx : batch) {
            txIds.add(tx.txId());
        }
        listener.committed(block, txIds);
    }

    /** Commits what is already queued, then stops the cutter thread. */
    @Override
    public void close() throws InterruptedException {
        closing = true;
        if (cutter.isAlive()) {
            queue.put(STOP);
            cutter.join();
        }
    }
}
