package dev.dossier.node.ordering;

import java.util.List;
import org.hyperledger.fabric.protos.common.Block;

/** Told of every block after it is durably committed, with the ids of its transactions in block order. */
@FunctionalInterface
public interface BlockListener {
    void committed(Block block, List<String> txIds);
}
