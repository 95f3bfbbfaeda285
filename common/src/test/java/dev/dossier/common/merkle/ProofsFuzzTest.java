package dev.dossier.common.merkle;

import static org.assertj.core.api.Assertions.assertThatCode;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzzes proof verification with honest proofs of a small tree that the input then edits. The first two bytes
 * choose the tree and the proof; the rest is a list of edits (flip a bit of a proof hash, the leaf hash or a root;
 * drop, repeat or truncate a proof hash; set an index or size to any 64-bit value). Whatever the edits, verification
 * returns normally or throws {@link ProofVerificationException}; an unedited proof verifies; a proof whose hashes
 * were edited is refused unless its index or sizes were edited too (another position may then happen to fit). Seeds are in {@code
 * src/test/resources/dev/dossier/common/merkle/ProofsFuzzTestInputs/<method>/}.
 */
class ProofsFuzzTest {
    private static final int MAX_SIZE = 64;
    private static final List<byte[]> LEAVES = new ArrayList<>();

    static {
        for (int i = 0; i < MAX_SIZE; i++) {
            LEAVES.add(Rfc9162.leafHash(new byte[] {(byte) i}));
        }
    }

    @FuzzTest
    void inclusion(byte[] data) {
        ByteBuffer in = ByteBuffer.wrap(data);
        int size = 1 + (next(in) & 0xFF) % MAX_SIZE;
        int index = (next(in) & 0xFF) % size;
        List<byte[]> leaves = LEAVES.subList(0, size);
        Claim claim =
                new Claim(index, size, leaves.get(index), ReferenceTree.mth(leaves), ReferenceTree.path(index, leaves));
        claim.edit(in);
        if (claim.unedited()) {
            assertThatCode(() -> Proofs.verifyInclusion(claim.a, claim.b, claim.hash1, claim.proof, claim.hash2))
                    .doesNotThrowAnyException();
            return;
        }
        try {
            Proofs.verifyInclusion(claim.a, claim.b, claim.hash1, claim.proof, claim.hash2);
        } catch (ProofVerificationException e) {
            return;
        }
        // a one-leaf tree's root is its leaf hash: a leaf and root edited alike are another honest tree
        boolean single = claim.b == 1 && claim.proof.isEmpty() && Arrays.equals(claim.hash1, claim.hash2);
        if (!claim.numbersEdited() && !single) {
            throw new AssertionError("an edited inclusion proof verified: " + claim);
        }
    }

    @FuzzTest
    void consistency(byte[] data) {
        ByteBuffer in = ByteBuffer.wrap(data);
        int size2 = 1 + (next(in) & 0xFF) % MAX_SIZE;
        int size1 = 1 + (next(in) & 0xFF) % size2;
        List<byte[]> leaves = LEAVES.subList(0, size2);
        Claim claim = new Claim(
                size1,
                size2,
                ReferenceTree.mth(leaves.subList(0, size1)),
                ReferenceTree.mth(leaves),
                ReferenceTree.proof(size1, leaves));
        claim.edit(in);
        if (claim.unedited()) {
            assertThatCode(() -> Proofs.verifyConsistency(claim.a, claim.b, claim.hash1, claim.hash2, claim.proof))
                    .doesNotThrowAnyException();
            return;
        }
        try {
            Proofs.verifyConsistency(claim.a, claim.b, claim.hash1, claim.hash2, claim.proof);
        } catch (ProofVerificationException e) {
            return;
        }
        // a tree is consistent with itself whatever its root: equal sizes, equal roots and no proof verify
        boolean itself = claim.a == claim.b && Arrays.equals(claim.hash1, claim.hash2) && claim.proof.isEmpty();
        if (!claim.numbersEdited() && !itself) {
            throw new AssertionError("an edited consistency proof verified: " + claim);
        }
    }

    private static byte next(ByteBuffer in) {
        return in.hasRemaining() ? in.get() : 0;
    }

    /**
     * The arguments of a verification, honest until edited: index and size (or size1 and size2), two hashes (leaf hash
     * and root, or root1 and root2) and the proof.
     */
    private static final class Claim {
        private final long honestA;
        private final long honestB;
        private final byte[] honestHash1;
        private final byte[] honestHash2;
        private final List<byte[]> honestProof;
        long a;
        long b;
        final byte[] hash1;
        final byte[] hash2;
        final List<byte[]> proof = new ArrayList<>();

        Claim(long a, long b, byte[] hash1, byte[] hash2, List<byte[]> proof) {
            this.honestA = this.a = a;
            this.honestB = this.b = b;
            this.honestHash1 = hash1.clone();
            this.honestHash2 = hash2.clone();
            this.honestProof = List.copyOf(proof);
            this.hash1 = hash1.clone();
            this.hash2 = hash2.clone();
            proof.forEach(p -> this.proof.add(p.clone()));
        }

        boolean numbersEdited() {
            return a != honestA || b != honestB;
        }

        boolean unedited() {
            if (numbersEdited()
                    || !Arrays.equals(hash1, honestHash1)
                    || !Arrays.equals(hash2, honestHash2)
                    || proof.size() != honestProof.size()) {
                return false;
            }
            for (int i = 0; i < proof.size(); i++) {
                if (!Arrays.equals(proof.get(i), honestProof.get(i))) {
                    return false;
                }
            }
            return true;
        }

        void edit(ByteBuffer in) {
            while (in.remaining() >= 2) {
                int op = (in.get() & 0xFF) % 8;
                int arg = in.get() & 0xFF;
                int at = proof.isEmpty() ? -1 : arg % proof.size();
                switch (op) {
                    case 0 -> {
                        if (at >= 0) {
                            flip(proof.get(at), in);
                        }
                    }
                    case 1 -> flip(hash1, in);
                    case 2 -> flip(hash2, in);
                    case 3 -> {
                        if (at >= 0) {
                            proof.remove(at);
                        }
                    }
                    case 4 -> {
                        if (at >= 0) {
                            proof.add(at, proof.get(at).clone());
                        }
                    }
                    case 5 -> {
                        if (at >= 0) {
                            byte[] hash = proof.get(at);
                            proof.set(at, Arrays.copyOf(hash, (arg >>> 1) % (2 * hash.length + 1)));
                        }
                    }
                    case 6 -> {
                        if (in.remaining() >= 8) {
                            a = in.getLong();
                        }
                    }
                    default -> {
                        if (in.remaining() >= 8) {
                            b = in.getLong();
                        }
                    }
                }
            }
        }

        private static void flip(byte[] hash, ByteBuffer in) {
            if (in.hasRemaining() && hash.length > 0) {
                int bit = in.get() & 0xFF;
                hash[bit / 8 % hash.length] ^= (byte) (1 << (bit % 8));
            }
        }

        @Override
        public String toString() {
            return a + ", " + b + ", proof of " + proof.size() + " hashes";
        }
    }
}
