package dev.dossier.node.ordering;

import dev.dossier.node.ledger.PendingTx;

/**
 * Orders validated transactions into blocks and commits them to the node's ledger. {@link SoloOrderer} does it alone
 * on a one-node network; {@link RaftOrderer} agrees the order with the other nodes through Raft. Either way the
 * {@link BlockListener} given at construction hears of every committed block, after it is fsynced.
 */
public interface Orderer extends AutoCloseable {
    /**
     * Queues a validated transaction for ordering, waiting while the queue is full.
     *
     * @throws IllegalStateException if ordering stopped (closed, or after a ledger failure)
     * @throws InterruptedException if interrupted while waiting for room
     */
    void order(PendingTx tx) throws InterruptedException;

    /** @return true while blocks can still be committed */
    boolean healthy();

    /**
     * @return true once ordering stopped after a failure (the ledger could not write a block, a full disk say):
     *     nothing more will be committed until the node is restarted
     */
    default boolean failed() {
        return false;
    }

    /** @return how many transactions wait on this node to be cut into a batch */
    default int queuedTransactions() {
        return 0;
    }

    /** @return how many batches this node sent for ordering that are not ordered yet (Raft: not yet in the log) */
    default int batchesInFlight() {
        return 0;
    }

    /** Stops ordering; what was already queued is ordered first where possible. */
    @Override
    void close() throws InterruptedException;

    /** Starts the orderer of a node once the gateway has its listener and transaction checker. */
    @FunctionalInterface
    interface Factory {
        /**
         * @param listener hears of every committed block
         * @param checker checks ordered transactions before the ledger's MVCC checks, where the orderer needs it
         * @throws java.io.IOException if the orderer cannot start
         */
        Orderer start(BlockListener listener, TxChecker checker) throws java.io.IOException;
    }
}
