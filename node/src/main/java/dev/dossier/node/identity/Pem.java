package dev.dossier.node.identity;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.util.Base64;
import java.util.Optional;

/** Strict PEM encoding and decoding of single blocks, in the form Go's {@code encoding/pem} writes. */
final class Pem {
    private static final int LINE_LENGTH = 64;

    private Pem() {}

    /** Encodes {@code der} as one PEM block of {@code type}, base64 in 64-character lines, each ending in LF. */
    static String encode(String type, byte[] der) {
        String base64 = Base64.getEncoder().encodeToString(der);
        StringBuilder pem = new StringBuilder(base64.length() + base64.length() / LINE_LENGTH + 64);
        pem.append("-----BEGIN ").append(type).append("-----\n");
        for (int i = 0; i < base64.length(); i += LINE_LENGTH) {
            pem.append(base64, i, Math.min(base64.length(), i + LINE_LENGTH)).append('\n');
        }
        return pem.append("-----END ").append(type).append("-----\n").toString();
    }

    /**
     * Decodes the content of the one PEM block of {@code type} that {@code pem} must consist of. Only whitespace may
     * surround the block; its body must be base64 with line breaks only, without PEM headers.
     *
     * @return the DER content, or empty when {@code pem} is not exactly one such block
     */
    static Optional<byte[]> decode(String type, byte[] pem) {
        String text = new String(pem, US_ASCII).strip();
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        if (!text.startsWith(begin) || !text.endsWith(end) || text.length() < begin.length() + end.length()) {
            return Optional.empty();
        }
        String body = text.substring(begin.length(), text.length() - end.length());
        StringBuilder base64 = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c != '\n' && c != '\r') {
                base64.append(c);
            }
        }
        try {
            byte[] der = Base64.getDecoder().decode(base64.toString());
            return der.length == 0 ? Optional.empty() : Optional.of(der);
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
    }
}
