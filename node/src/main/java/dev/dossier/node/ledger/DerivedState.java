package dev.dossier.node.ledger;

import java.io.IOException;
import org.hyperledger.fabric.protos.common.Block;

/**
 * State a node derives from its committed blocks alone (the commitment log, the revocation index): it folds in each
 * block in order, and one behind the ledger (a crash between the block's commit and its own write, or deleted by an
 * operator) is brought up to date by applying the blocks it lacks.
 */
public interface DerivedState {
    /** @return the number of blocks folded in; the next block to apply has this number */
    long appliedHeight();

    /**
     * Folds in the next block.
     *
     * @throws IllegalArgumentException if the block is not the next one
     * @throws IOException if the write fails
     */
    void apply(Block block) throws IOException;

    /**
     * Writes a consistent copy of this state into {@code target}, which must not exist, for a backup; the copy may be
     * behind the ledger, and is brought up to it from the blocks like any state behind.
     *
     * @throws IOException if the copy cannot be written
     */
    void checkpoint(java.nio.file.Path target) throws IOException;
}
