package dev.dossier.common.witness;

import dev.dossier.common.merkle.ProofVerificationException;
import dev.dossier.common.merkle.Proofs;
import dev.dossier.common.merkle.Rfc9162;
import dev.dossier.common.note.Checkpoint;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.List;
import java.util.Objects;

/**
 * The rule a verifier applies to a log's checkpoints, as a C2SP tlog-witness does: a checkpoint is accepted only if it
 * is consistent with the latest one accepted before. With sizes {@code m} (remembered) and {@code n} (presented):
 *
 * <ul>
 *   <li>{@code n == m}: the roots must be equal; different roots of one size are a split view, no proof needed;
 *   <li>{@code n > m}: the RFC 9162 (section 2.1.4) consistency proof from {@code m} to {@code n} must verify; the
 *       presented checkpoint is then the one to remember;
 *   <li>{@code n < m}: the presented tree must be proved a prefix of the remembered one (proof from {@code n} to
 *       {@code m}); the remembered checkpoint stays.
 * </ul>
 *
 * <p>Proofs come from any node ({@link ProofSource}); they need no trust in it, since a proof either verifies against
 * the two signed roots or does not. A proof that does not verify is a split view; a node that does not answer leaves
 * the question open ({@link IOException}), and the caller must not then remember the presented checkpoint.
 *
 * <p>Security: a consortium whose nodes sign two inconsistent trees (a split view: one history shown to one verifier,
 * another to another) is caught by every verifier that has seen both, and the two signed checkpoints prove it. A
 * verifier that has only ever seen one branch cannot tell; comparing remembered checkpoints (gossip) is outside this
 * rule.
 *
 * <pre>{@code
 * Witness.Relation relation = Witness.check(remembered, presented, node::consistencyProof);
 * if (relation == Witness.Relation.NEWER) store(presentedNote);
 * }</pre>
 */
public final class Witness {
    private Witness() {}

    /** How the presented checkpoint relates to the remembered one, when they are consistent. */
    public enum Relation {
        /** Same size and root. */
        SAME,
        /** The presented tree extends the remembered one: remember the presented checkpoint. */
        NEWER,
        /** The presented tree is a prefix of the remembered one: keep remembering the remembered checkpoint. */
        OLDER
    }

    /** Where consistency proofs come from, such as a node's {@code GET /v1/log/consistency}. */
    @FunctionalInterface
    public interface ProofSource {
        /**
         * @return the RFC 9162 consistency proof from the tree of {@code from} leaves to the tree of {@code to} leaves
         *     ({@code 0 < from < to}), 32-byte hashes
         * @throws IOException if no proof can be had (offline, the node refuses or is behind)
         * @throws InterruptedException if interrupted while asking
         */
        List<byte[]> consistencyProof(long from, long to) throws IOException, InterruptedException;
    }

    /**
     * Checks {@code presented} against {@code remembered}, two checkpoints of the same log whose signatures the
     * caller verified.
     *
     * @return how they relate
     * @throws SplitViewException if they are inconsistent: equal sizes with different roots, or a consistency proof
     *     that does not verify
     * @throws IOException if a proof was needed and the source gave none
     * @throws InterruptedException if interrupted while asking for a proof
     * @throws IllegalArgumentException if the checkpoints are of different logs
     */
    public static Relation check(Checkpoint remembered, Checkpoint presented, ProofSource proofs)
            throws SplitViewException, IOException, InterruptedException {
        Objects.requireNonNull(remembered, "remembered");
        Objects.requireNonNull(presented, "presented");
        Objects.requireNonNull(proofs, "proofs");
        if (!remembered.origin().equals(presented.origin())) {
            throw new IllegalArgumentException(
                    "checkpoints of different logs: " + remembered.origin() + " and " + presented.origin());
        }
        long m = remembered.size();
        long n = presented.size();
        if (n == m) {
            if (!MessageDigest.isEqual(remembered.root(), presented.root())) {
                throw new SplitViewException(remembered, presented, "two different roots for the same size " + n);
            }
            return Relation.SAME;
        }
        Checkpoint smaller = n < m ? presented : remembered;
        Checkpoint larger = n < m ? remembered : presented;
        if (smaller.size() == 0) {
            if (!MessageDigest.isEqual(smaller.root(), Rfc9162.emptyRoot())) {
                throw new SplitViewException(
                        remembered, presented, "a tree of 0 leaves whose root is not the empty root");
            }
        } else {
            List<byte[]> proof = proofs.consistencyProof(smaller.size(), larger.size());
            try {
                Proofs.verifyConsistency(smaller.size(), larger.size(), smaller.root(), larger.root(), proof);
            } catch (ProofVerificationException e) {
                throw new SplitViewException(
                        remembered,
                        presented,
                        "the tree of " + smaller.size() + " leaves is not proved a prefix of the tree of "
                                + larger.size() + " (" + e.getMessage() + ")");
            }
        }
        return n < m ? Relation.OLDER : Relation.NEWER;
    }
}
