package dev.dossier.node.follower;

import static java.util.Objects.requireNonNull;

import dev.dossier.node.DerivedStates;
import dev.dossier.node.ledger.BlockRefusedException;
import dev.dossier.node.ledger.DerivedState;
import dev.dossier.node.ledger.Ledger;
import dev.dossier.node.ledger.LedgerException;
import dev.dossier.node.ledger.WriteCheck;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;

/**
 * Where a follower's blocks go: each is checked ({@link FabricBlockVerifier}, then the ledger's own checks in {@link
 * Ledger#append}), stored, and folded into the derived state (commitment log, revocation index) exactly as a node
 * folds in the blocks it commits. A refused block leaves everything as it was.
 */
final class FollowedChannel {
    private final FabricBlockVerifier verifier;
    private final Ledger ledger;
    private final List<DerivedState> derived;

    FollowedChannel(FabricBlockVerifier verifier, Ledger ledger, List<DerivedState> derived) {
        this.verifier = requireNonNull(verifier, "verifier");
        this.ledger = requireNonNull(ledger, "ledger");
        this.derived = List.copyOf(derived);
    }

    /**
     * Brings the derived state up to the ledger (after a crash between a block's write and the derived state's).
     */
    void catchUp() {
        DerivedStates.follow(derived, ledger, null);
    }

    /**
     * Checks the next block, stores it and folds it into the derived state.
     *
     * @throws BlockRefusedException if the block is refused; nothing of it is stored
     * @throws LedgerException if it cannot be stored
     */
    void accept(Block block) throws BlockRefusedException, LedgerException {
        List<WriteCheck> checks = verifier.verify(block);
        ledger.append(block, checks);
        DerivedStates.follow(derived, ledger, block);
    }
}
