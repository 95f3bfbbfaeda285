package dev.dossier.node.gateway;

import dev.dossier.node.ledger.Ledger;
import dev.dossier.node.ledger.TxStatus;
import dev.dossier.node.ordering.BlockListener;
import java.util.List;
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
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final Object heightMonitor = new Object();

    CommitNotifier(Ledger ledger) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
    }

    /**
     * Reserves a transaction id for ordering.
     *
     * @return false if the id is already committed or already waiting to be ordered
     */
    boolean reserve(String txId) {
        if (!inFlight.add(txId)) {
            return false;
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
        }
        return future;
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

    /** Transactions that will not be ordered after all may be submitted again. */
    @Override
    public void dropped(List<String> txIds) {
        txIds.forEach(inFlight::remove);
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
