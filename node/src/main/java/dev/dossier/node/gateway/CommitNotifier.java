package dev.dossier.node.gateway;

import dev.dossier.node.ledger.Ledger;
import dev.dossier.node.ledger.TxStatus;
import dev.dossier.node.ordering.BlockListener;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * Connects committed blocks with the requests waiting for them: commit-status waiters per transaction id, the set of
 * transaction ids submitted but not yet committed (so a replay is refused before it reaches a block), and the
 * chaincode-event streams waiting for the next block. Waiters are completed only after the ledger has fsynced the
 * block. Thread-safe.
 */
final class CommitNotifier implements BlockListener {
    private final Ledger ledger;
    private final ConcurrentHashMap<String, Set<CompletableFuture<TxStatus>>> waiters = new ConcurrentHashMap<>();
    /** Transaction ids reserved and neither committed nor dropped, with when each was reserved (nano time). */
    private final ConcurrentHashMap<String, Long> inFlight = new ConcurrentHashMap<>();

    private final Object heightMonitor = new Object();
    /** Why callers are failed when ordering stopped on this node (a full disk, say). */
    static final String ORDERING_STOPPED = "will not be committed by this node: ordering stopped on this node";

    /** How many of the latest dropped transaction ids are remembered, for callers who ask after the drop. */
    static final int DROPPED_REMEMBERED = 8_192;

    /** The latest dropped transaction ids, oldest first; guarded by itself. */
    private final Map<String, Boolean> dropped = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > DROPPED_REMEMBERED;
        }
    };

    CommitNotifier(Ledger ledger) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
    }

    /**
     * Reserves a transaction id for ordering.
     *
     * @return false if the id is already committed or already waiting to be ordered
     */
    boolean reserve(String txId) {
        if (inFlight.putIfAbsent(txId, System.nanoTime()) != null) {
            return false;
        }
        synchronized (dropped) {
            dropped.remove(txId);
        }
        if (ledger.transaction(txId).isPresent()) {
            inFlight.remove(txId);
            return false;
        }
        return true;
    }

    /** Releases a reservation for a transaction that will not be ordered after all. */
    void release(String txId) {
        inFlight.remove(txId);
    }

    /** @return how many transactions this node accepted for ordering that are neither committed nor given up */
    int uncommitted() {
        return inFlight.size();
    }

    /** @return how long the oldest of the {@link #uncommitted} transactions has waited; zero if there is none */
    Duration oldestUncommitted() {
        long now = System.nanoTime();
        long oldest = 0;
        for (long reserved : inFlight.values()) {
            oldest = Math.max(oldest, now - reserved);
        }
        return Duration.ofNanos(oldest);
    }

    /** @return a future completed with the transaction's status once it is committed; cancel with {@link #forget} */
    CompletableFuture<TxStatus> await(String txId) {
        CompletableFuture<TxStatus> future = new CompletableFuture<>();
        waiters.compute(txId, (id, set) -> {
            Set<CompletableFuture<TxStatus>> s = set == null ? ConcurrentHashMap.newKeySet() : set;
            s.add(future);
            return s;
        });
        Optional<TxStatus> committed = ledger.transaction(txId);
        if (committed.isPresent()) {
            forget(txId, future);
            future.complete(committed.get());
        } else if (wasDropped(txId)) {
            forget(txId, future);
            future.completeExceptionally(notOrdered());
        }
        return future;
    }

    private boolean wasDropped(String txId) {
        synchronized (dropped) {
            return dropped.containsKey(txId);
        }
    }

    /** Drops a waiter whose caller went away. */
    void forget(String txId, CompletableFuture<TxStatus> future) {
        waiters.computeIfPresent(txId, (id, set) -> {
            set.remove(future);
            return set.isEmpty() ? null : set;
        });
    }

    /**
     * Blocks until the ledger holds more than {@code blockNumber} blocks or the timeout passes.
     *
     * @return true if block {@code blockNumber} is committed
     */
    boolean awaitBlock(long blockNumber, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        synchronized (heightMonitor) {
            while (ledger.height() <= blockNumber) {
                long wait = deadline - System.currentTimeMillis();
                if (wait <= 0) {
                    return false;
                }
                heightMonitor.wait(wait);
            }
            return true;
        }
    }

    /**
     * Fails every caller waiting for a commit: ordering stopped (the ledger cannot write, a full disk say), so none of
     * the transactions they wait for will be committed by this node.
     */
    void failWaiters(RuntimeException why) {
        for (String txId : List.copyOf(waiters.keySet())) {
            Set<CompletableFuture<TxStatus>> set = waiters.remove(txId);
            if (set != null) {
                set.forEach(f -> f.completeExceptionally(why));
            }
        }
    }

    /**
     * Transactions this node gave up ordering (the Raft group did not take their batch in time, or its ordering rules
     * refused it): the callers waiting for their commit status are told so now, and so is a caller who asks within a
     * while ({@link #DROPPED_REMEMBERED} ids); they may be submitted again.
     */
    @Override
    public void dropped(List<String> txIds) {
        for (String txId : txIds) {
            synchronized (dropped) {
                dropped.put(txId, Boolean.TRUE);
            }
            inFlight.remove(txId);
            Set<CompletableFuture<TxStatus>> set = waiters.remove(txId);
            if (set != null) {
                set.forEach(f -> f.completeExceptionally(notOrdered()));
            }
        }
    }

    private static RuntimeException notOrdered() {
        return new IllegalStateException("was not ordered: this node gave up on its batch (no Raft leader took it in"
                + " time, or the ordering rules refused it) and has not committed it. Should the batch have reached the"
                + " Raft log all the same, it still commits, once: ask for its status again, or submit the same"
                + " transaction again (a transaction id commits at most once)");
    }

    @Override
    public void committed(Block block, List<String> txIds) {
        byte[] filter = block.getMetadata()
                .getMetadata(BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE)
                .toByteArray();
        long number = block.getHeader().getNumber();
        for (int i = 0; i < txIds.size(); i++) {
            String txId = txIds.get(i);
            TxValidationCode code = TxValidationCode.forNumber(filter[i] & 0xFF);
            TxStatus status = code == TxValidationCode.DUPLICATE_TXID
                    ? ledger.transaction(txId).orElse(new TxStatus(number, i, code))
                    : new TxStatus(number, i, code);
            if (code != TxValidationCode.DUPLICATE_TXID) {
                inFlight.remove(txId);
            }
            Set<CompletableFuture<TxStatus>> set = waiters.remove(txId);
            if (set != null) {
                set.forEach(f -> f.complete(status));
            }
        }
        synchronized (heightMonitor) {
            heightMonitor.notifyAll();
        }
    }
}
