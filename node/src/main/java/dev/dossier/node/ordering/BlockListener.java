package dev.dossier.node.ordering;

import java.util.List;
import org.hyperledger.fabric.protos.common.Block;

/** Told of every block after it is durably committed, with the ids of its transactions in block order. */
@FunctionalInterface
public interface BlockListener {
    void committed(Block block, List<String> txIds);

    /**
     * Told of transactions that were queued for ordering but will not reach a block through this node (the ordering
     * service did not accept them in time); a client may submit them again.
     */
    default void dropped(List<String> txIds) {}
}
