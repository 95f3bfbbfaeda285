package dev.dossier.node.ordering;

import dev.dossier.node.ledger.LedgerException;
import java.io.IOException;
import org.hyperledger.fabric.protos.common.Block;

/** Fetches committed blocks from another node of the network, for a node that fell behind the Raft log. */
@FunctionalInterface
public interface BlockSource {
    /** Receives fetched blocks, in order. */
    @FunctionalInterface
    interface Receiver {
        void accept(Block block) throws LedgerException;
    }

    /**
     * Streams node {@code node}'s blocks from number {@code from} up to its height when the call starts.
     *
     * @throws IOException if the node cannot be reached or answers with an error
     * @throws LedgerException if the receiver refuses a block
     */
    void fetch(String node, long from, Receiver receiver) throws IOException, LedgerException, InterruptedException;
}
