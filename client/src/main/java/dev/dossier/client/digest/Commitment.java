package dev.dossier.client.digest;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A commitment: the 32-byte SHA-256 digest under which a record or document is anchored on the ledger. Immutable; the
 * bytes are copied in and out. {@link #toString()} is the lowercase hexadecimal form the chaincode uses as its key.
 *
 * <pre>{@code
 * Commitment c = Commitment.fromHex("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
 * }</pre>
 */
public final class Commitment {
    private static final HexFormat HEX = HexFormat.of();

    private final byte[] bytes;

    private Commitment(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * @param bytes the 32 bytes of the digest (copied)
     * @throws IllegalArgumentException if there are not exactly 32 bytes
     */
    public static Commitment of(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length != 32) {
            throw new IllegalArgumentException("a commitment has 32 bytes, got " + bytes.length);
        }
        return new Commitment(bytes.clone());
    }

    /**
     * Parses the hexadecimal form. Strict: exactly 64 hexadecimal digits, either case, nothing else.
     *
     * @throws IllegalArgumentException if {@code hex} is not 64 hexadecimal digits
     */
    public static Commitment fromHex(String hex) {
        Objects.requireNonNull(hex, "hex");
        if (!Hex.is64(hex)) {
            throw new IllegalArgumentException("a commitment is 64 hexadecimal digits, got '" + abbreviate(hex) + "'");
        }
        return new Commitment(HEX.parseHex(hex));
    }

    /** @return a copy of the 32 digest bytes */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /** @return the 64 lowercase hexadecimal digits */
    @Override
    public String toString() {
        return HEX.formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Commitment other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
