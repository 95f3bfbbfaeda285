package dev.dossier.common.merkle;

import dev.dossier.common.hash.Sha256;
import java.security.MessageDigest;
import java.util.List;
import java.util.Objects;

/**
 * RFC 9162 section 2.1.1 hashing with SHA-256: {@code leafHash(d) = SHA-256(0x00 || d)},
 * {@code nodeHash(l, r) = SHA-256(0x01 || l || r)}, and the Merkle Tree Hash of a list of leaf hashes (the empty
 * tree's hash is {@code SHA-256()}). The prefixes keep a leaf from ever being read as an interior node (second
 * preimage resistance). Byte arrays are never retained or modified.
 */
public final class Rfc9162 {
    /** Size of every hash, in bytes. */
    public static final int HASH_SIZE = 32;

    private Rfc9162() {}

    /** @return {@code SHA-256(0x00 || data)} */
    public static byte[] leafHash(byte[] data) {
        Objects.requireNonNull(data, "data");
        MessageDigest sha = Sha256.newDigest();
        sha.update((byte) 0x00);
        sha.update(data);
        return sha.digest();
    }

    /** @return {@code SHA-256(0x01 || left || right)} */
    public static byte[] nodeHash(byte[] left, byte[] right) {
        Objects.requireNonNull(left, "left");
        Objects.requireNonNull(right, "right");
        MessageDigest sha = Sha256.newDigest();
        sha.update((byte) 0x01);
        sha.update(left);
        sha.update(right);
        return sha.digest();
    }

    /** @return the hash of the empty tree, {@code SHA-256()} */
    public static byte[] emptyRoot() {
        return Sha256.newDigest().digest();
    }

    /**
     * The Merkle Tree Hash (RFC 9162 section 2.1.1) of the given leaf hashes, computed in one pass with a stack of
     * complete-subtree hashes, so memory is logarithmic in the number of leaves beyond the input list itself.
     */
    public static byte[] root(List<byte[]> leafHashes) {
        Objects.requireNonNull(leafHashes, "leafHashes");
        if (leafHashes.isEmpty()) {
            return emptyRoot();
        }
        byte[][] stack = new byte[64][];
        int top = 0;
        long count = 0;
        for (byte[] leaf : leafHashes) {
            byte[] hash = leaf;
            count++;
            // Merge while the lowest bits of count say two subtrees of equal size are complete.
            for (long c = count; (c & 1) == 0; c >>= 1) {
                hash = nodeHash(stack[--top], hash);
            }
            stack[top++] = hash;
        }
        byte[] hash = stack[--top];
        while (top > 0) {
            hash = nodeHash(stack[--top], hash);
        }
        return hash;
    }
}
