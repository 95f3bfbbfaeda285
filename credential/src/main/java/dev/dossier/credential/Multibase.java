package dev.dossier.credential;

import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * The two multibase encodings Verifiable Credentials use: base58btc ({@code z}, proof values and keys) and base64url
 * without padding ({@code u}, Bitstring Status Lists). Decoding is strict: another prefix, a character outside the
 * alphabet or padding is an {@link IllegalArgumentException} saying so.
 */
public final class Multibase {
    private static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private static final int[] INDEX = new int[128];

    static {
        Arrays.fill(INDEX, -1);
        for (int i = 0; i < ALPHABET.length(); i++) {
            INDEX[ALPHABET.charAt(i)] = i;
        }
    }

    private Multibase() {}

    /** @return {@code z} and the base58btc (Bitcoin alphabet) of {@code bytes} */
    public static String base58btc(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        int zeros = 0;
        while (zeros < bytes.length && bytes[zeros] == 0) {
            zeros++;
        }
        byte[] input = Arrays.copyOf(bytes, bytes.length);
        char[] out = new char[bytes.length * 2];
        int end = out.length;
        for (int start = zeros; start < input.length; ) {
            int remainder = 0;
            for (int i = start; i < input.length; i++) {
                int value = (remainder << 8) | (input[i] & 0xff);
                input[i] = (byte) (value / 58);
                remainder = value % 58;
            }
            out[--end] = ALPHABET.charAt(remainder);
            while (start < input.length && input[start] == 0) {
                start++;
            }
        }
        StringBuilder text = new StringBuilder(1 + zeros + out.length - end).append('z');
        text.append("1".repeat(zeros));
        return text.append(out, end, out.length - end).toString();
    }

    /**
     * @param text {@code z} and base58btc
     * @throws IllegalArgumentException if it is not
     */
    public static byte[] decodeBase58btc(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isEmpty() || text.charAt(0) != 'z') {
            throw new IllegalArgumentException("not multibase base58btc (it must start with 'z')");
        }
        int zeros = 0;
        while (1 + zeros < text.length() && text.charAt(1 + zeros) == '1') {
            zeros++;
        }
        byte[] out = new byte[text.length()];
        int length = 0;
        for (int i = 1 + zeros; i < text.length(); i++) {
            char c = text.charAt(i);
            int digit = c < 128 ? INDEX[c] : -1;
            if (digit < 0) {
                throw new IllegalArgumentException("'" + c + "' is not a base58btc character");
            }
            int carry = digit;
            for (int j = 0; j < length; j++) {
                carry += (out[j] & 0xff) * 58;
                out[j] = (byte) carry;
                carry >>>= 8;
            }
            while (carry > 0) {
                out[length++] = (byte) carry;
                carry >>>= 8;
            }
        }
        byte[] bytes = new byte[zeros + length];
        for (int i = 0; i < length; i++) {
            bytes[bytes.length - 1 - i] = out[i];
        }
        return bytes;
    }

    /** @return {@code u} and the base64url of {@code bytes}, without padding */
    public static String base64url(byte[] bytes) {
        return "u" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * @param text {@code u} and unpadded base64url
     * @throws IllegalArgumentException if it is not
     */
    public static byte[] decodeBase64url(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isEmpty() || text.charAt(0) != 'u') {
            throw new IllegalArgumentException("not multibase base64url (it must start with 'u')");
        }
        if (text.indexOf('=') >= 0) {
            throw new IllegalArgumentException("multibase base64url has no padding");
        }
        return Base64.getUrlDecoder().decode(text.substring(1));
    }
}
