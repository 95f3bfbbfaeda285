package dev.dossier.common.merkle;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Verification of RFC 9162 inclusion (section 2.1.3.2) and consistency (section 2.1.4.2) proofs. Sizes, indexes,
 * hash lengths and the exact proof length are checked before any hashing; a root mismatch reports the expected and
 * calculated roots in hex. Methods return normally only when the proof holds.
 *
 * <pre>{@code
 * Proofs.verifyInclusion(receipt.leafIndex(), checkpoint.size(), Rfc9162.leafHash(entry), receipt.proof(),
 *         checkpoint.root());
 * }</pre>
 */
public final class Proofs {
    private Proofs() {}

    /**
     * Verifies that the leaf with hash {@code leafHash} is at {@code index} in the tree of {@code size} leaves whose
     * root is {@code root}.
     *
     * @throws ProofVerificationException if the proof does not hold
     */
    public static void verifyInclusion(long index, long size, byte[] leafHash, List<byte[]> proof, byte[] root)
            throws ProofVerificationException {
        Objects.requireNonNull(leafHash, "leafHash");
        Objects.requireNonNull(proof, "proof");
        Objects.requireNonNull(root, "root");
        if (size <= 0 || index < 0 || index >= size) {
            throw new ProofVerificationException("index " + index + " is beyond tree size " + size);
        }
        checkHashSize(leafHash, "leaf hash");
        checkHashSize(root, "root");
        int inner = innerProofSize(index, size);
        int border = Long.bitCount(index >>> inner);
        if (proof.size() != inner + border) {
            throw new ProofVerificationException("wrong proof size " + proof.size() + ", want " + (inner + border));
        }
        checkHashSizes(proof);
        byte[] calculated = rootFromInclusionProof(index, size, leafHash, proof);
        if (!MessageDigest.isEqual(calculated, root)) {
            throw mismatch("root", root, calculated);
        }
    }

    /**
     * Verifies that the tree of {@code size2} leaves with root {@code root2} extends the tree of {@code size1} leaves
     * with root {@code root1} (append-only).
     *
     * @throws ProofVerificationException if the proof does not hold
     */
    public static void verifyConsistency(long size1, long size2, byte[] root1, byte[] root2, List<byte[]> proof)
            throws ProofVerificationException {
        Objects.requireNonNull(root1, "root1");
        Objects.requireNonNull(root2, "root2");
        Objects.requireNonNull(proof, "proof");
        if (size1 < 0 || size2 < size1) {
            throw new ProofVerificationException("size2 " + size2 + " is smaller than size1 " + size1);
        }
        if (size1 == size2) {
            if (!proof.isEmpty()) {
                throw new ProofVerificationException("sizes are equal but the proof is not empty");
            }
            if (!MessageDigest.isEqual(root1, root2)) {
                throw mismatch("root for equal sizes", root1, root2);
            }
            return;
        }
        if (size1 == 0) {
            throw new ProofVerificationException("a consistency proof from the empty tree proves nothing");
        }
        checkHashSize(root1, "root1");
        checkHashSize(root2, "root2");
        if (proof.isEmpty()) {
            throw new ProofVerificationException("empty consistency proof for different sizes");
        }
        int shift = Long.numberOfTrailingZeros(size1);
        int inner = innerProofSize(size1 - 1, size2) - shift;
        int border = Long.bitCount((size1 - 1) >>> (inner + shift));
        boolean powerOfTwo = size1 == 1L << shift;
        int start = powerOfTwo ? 0 : 1;
        if (proof.size() != start + inner + border) {
            throw new ProofVerificationException(
                    "wrong proof size " + proof.size() + ", want " + (start + inner + border));
        }
        checkHashSizes(proof);

        byte[] seed = powerOfTwo ? root1 : proof.get(0);
        long fn = (size1 - 1) >>> shift;
        long sn = (size2 - 1) >>> shift;
        byte[] fr = seed;
        byte[] sr = seed;
        for (int i = start; i < proof.size(); i++) {
            byte[] c = proof.get(i);
            if (sn == 0) {
                throw new ProofVerificationException("proof is longer than the tree is deep");
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = Rfc9162.nodeHash(c, fr);
                sr = Rfc9162.nodeHash(c, sr);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>>= 1;
                    sn >>>= 1;
                }
            } else {
                sr = Rfc9162.nodeHash(sr, c);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        if (sn != 0) {
            throw new ProofVerificationException("proof is shorter than the tree is deep");
        }
        if (!MessageDigest.isEqual(fr, root1)) {
            throw mismatch("root1", root1, fr);
        }
        if (!MessageDigest.isEqual(sr, root2)) {
            throw mismatch("root2", root2, sr);
        }
    }

    private static byte[] rootFromInclusionProof(long index, long size, byte[] leafHash, List<byte[]> proof)
            throws ProofVerificationException {
        long fn = index;
        long sn = size - 1;
        byte[] r = leafHash;
        for (byte[] p : proof) {
            if (sn == 0) {
                throw new ProofVerificationException("proof is longer than the tree is deep");
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = Rfc9162.nodeHash(p, r);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>>= 1;
                    sn >>>= 1;
                }
            } else {
                r = Rfc9162.nodeHash(r, p);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        if (sn != 0) {
            throw new ProofVerificationException("proof is shorter than the tree is deep");
        }
        return r;
    }

    /** Number of proof nodes below the point where the paths to {@code index} and to the last leaf meet. */
    private static int innerProofSize(long index, long size) {
        return 64 - Long.numberOfLeadingZeros(index ^ (size - 1));
    }

    private static void checkHashSizes(List<byte[]> proof) throws ProofVerificationException {
        for (int i = 0; i < proof.size(); i++) {
            checkHashSize(proof.get(i), "proof[" + i + "]");
        }
    }

    private static void checkHashSize(byte[] hash, String what) throws ProofVerificationException {
        if (hash == null || hash.length != Rfc9162.HASH_SIZE) {
            throw new ProofVerificationException(
                    what + " has " + (hash == null ? "no" : hash.length) + " bytes, want " + Rfc9162.HASH_SIZE);
        }
    }

    private static ProofVerificationException mismatch(String what, byte[] expected, byte[] calculated) {
        HexFormat hex = HexFormat.of();
        return new ProofVerificationException(
                what + " mismatch: expected " + hex.formatHex(expected) + ", calculated " + hex.formatHex(calculated));
    }
}
