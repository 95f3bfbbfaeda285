package dev.dossier.common.hash;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256, the one hash of the project (commitments, Merkle trees, block hashes, key ids, signatures), with the JDK's
 * implementation, which uses the processor's SHA instructions where present (several times faster than a pure-Java
 * digest on the megabyte-sized envelopes of bulk anchoring). Every Java platform must provide it, so its absence is
 * an {@link AssertionError}, not a checked exception each caller handles.
 */
public final class Sha256 {
    /** Size of a digest, in bytes. */
    public static final int SIZE = 32;

    private Sha256() {}

    /** @return a new digest to feed in several parts; not thread-safe, like every {@link MessageDigest} */
    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every Java platform provides SHA-256", e);
        }
    }

    /** @return the SHA-256 of {@code bytes} */
    public static byte[] of(byte[] bytes) {
        return newDigest().digest(bytes);
    }

    /** @return the SHA-256 of {@code text} encoded in UTF-8 */
    public static byte[] of(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
    }
}
