package dev.dossier.common.card;

import java.io.ByteArrayOutputStream;

/**
 * Base45 (RFC 9285): two bytes in three characters of the QR code's alphanumeric set, so a card fits the QR
 * alphanumeric mode (5.5 bits a character). Our own code rather than a library: the algorithm is ten lines, and the
 * decoder must be strict (a value above 65535, a lone trailing character or a character outside the set is refused),
 * which the tests check against the RFC's examples.
 */
public final class Base45 {
    /** The 45 characters, in value order (RFC 9285 section 4.2). */
    public static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

    private static final int[] VALUES = new int[128];

    static {
        java.util.Arrays.fill(VALUES, -1);
        for (int i = 0; i < ALPHABET.length(); i++) {
            VALUES[ALPHABET.charAt(i)] = i;
        }
    }

    private Base45() {}

    /** @return the Base45 text of {@code bytes} */
    public static String encode(byte[] bytes) {
        StringBuilder out = new StringBuilder((bytes.length + 1) / 2 * 3);
        int i = 0;
        for (; i + 1 < bytes.length; i += 2) {
            int n = (bytes[i] & 0xff) * 256 + (bytes[i + 1] & 0xff);
            out.append(ALPHABET.charAt(n % 45))
                    .append(ALPHABET.charAt(n / 45 % 45))
                    .append(ALPHABET.charAt(n / 2025));
        }
        if (i < bytes.length) {
            int n = bytes[i] & 0xff;
            out.append(ALPHABET.charAt(n % 45)).append(ALPHABET.charAt(n / 45));
        }
        return out.toString();
    }

    /**
     * Decodes Base45 text strictly.
     *
     * @throws IllegalArgumentException saying where: a character outside the alphabet, a length of 1 modulo 3, or a
     *     group whose value does not fit its bytes
     */
    public static byte[] decode(CharSequence text) {
        int length = text.length();
        if (length % 3 == 1) {
            throw new IllegalArgumentException(
                    "Base45 text of " + length + " characters: a length of 3n + 1 is" + " impossible");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(length / 3 * 2 + 1);
        for (int i = 0; i < length; i += 3) {
            int c = value(text, i);
            int d = value(text, i + 1);
            if (i + 2 < length) {
                int n = c + d * 45 + value(text, i + 2) * 2025;
                if (n > 0xffff) {
                    throw new IllegalArgumentException(
                            "Base45 group at character " + i + " is " + n + ", above" + " 65535");
                }
                out.write(n >> 8);
                out.write(n & 0xff);
            } else {
                int n = c + d * 45;
                if (n > 0xff) {
                    throw new IllegalArgumentException("Base45 final pair is " + n + ", above 255");
                }
                out.write(n);
            }
        }
        return out.toByteArray();
    }

    private static int value(CharSequence text, int at) {
        char c = text.charAt(at);
        int v = c < 128 ? VALUES[c] : -1;
        if (v < 0) {
            throw new IllegalArgumentException(
                    "character " + at + " (U+" + String.format("%04X", (int) c) + ") is not Base45");
        }
        return v;
    }
}
