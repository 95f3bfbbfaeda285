package dev.dossier.node;

import dev.dossier.node.ledger.DerivedState;
import dev.dossier.node.ledger.Ledger;
import dev.dossier.node.ordering.BlockListener;
import java.io.IOException;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.hyperledger.fabric.protos.common.Block;

/**
 * Keeps the state a node derives from its blocks (the commitment log, the revocation index) up to its ledger: a node
 * calls it after each block it commits, a follower of a Fabric channel after each block it appends.
 */
public final class DerivedStates {
    private static final Logger LOG = Logger.getLogger(DerivedStates.class.getName());

    private DerivedStates() {}

    /**
     * Brings the commitment log and the revocation index up to the ledger, using {@code committed} itself when it is
     * the next block: they are derived from blocks only, so one behind the ledger (a crash between a block's commit and
     * its own write, or deleted by an operator) is rebuilt from the blocks.
     */
    public static void follow(List<DerivedState> derived, Ledger ledger, Block committed) {
        for (DerivedState state : derived) {
            try {
                if (committed != null && committed.getHeader().getNumber() == state.appliedHeight()) {
                    state.apply(committed);
                }
                long behind = ledger.height() - state.appliedHeight();
                long started = System.nanoTime();
                if (behind > 1) {
                    LOG.info(() -> state.getClass().getSimpleName() + ": applying blocks " + state.appliedHeight()
                            + " to " + (ledger.height() - 1) + " from the ledger");
                }
                for (long number = state.appliedHeight(); number < ledger.height(); number++) {
                    long n = number;
                    state.apply(
                            ledger.block(n).orElseThrow(() -> new IllegalStateException("ledger has no block " + n)));
                }
                if (behind > 1) {
                    LOG.info(() -> state.getClass().getSimpleName() + ": " + behind + " blocks applied in "
                            + (System.nanoTime() - started) / 1_000_000 + " ms");
                }
            } catch (IOException | RuntimeException e) {
                // Derived state: ordering goes on, and it catches up after the next block or restart.
                LOG.log(
                        Level.SEVERE,
                        state.getClass().getSimpleName() + " could not follow the ledger: " + e.getMessage(),
                        e);
            }
        }
    }

    /**
     * The orderer's listener, preceded by the commitment log and the revocation index, which fold in each block after
     * it is durable: when a client hears that its transaction committed, the log already holds its commitments.
     */
    static BlockListener feeding(BlockListener listener, List<DerivedState> derived, Ledger ledger) {
        return new BlockListener() {
            @Override
            public void committed(Block block, List<String> txIds) {
                follow(derived, ledger, block);
                listener.committed(block, txIds);
            }

            @Override
            public void dropped(List<String> txIds) {
                listener.dropped(txIds);
            }
        };
    }
}
