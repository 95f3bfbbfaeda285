package dev.dossier.client.digest;

import java.io.IOException;
import java.util.Objects;
import org.erdtman.jcs.JsonCanonicalizer;

/**
 * RFC 8785 JSON Canonicalization Scheme (JCS): object members sorted by the UTF-16 code units of their names, no
 * insignificant whitespace, strings with the minimal escapes, numbers in the ECMAScript shortest form, UTF-8 output.
 * Two JSON texts with the same data canonicalise to the same bytes, so their commitments are equal.
 */
public final class Canonical {
    private Canonical() {}

    /**
     * @param json a JSON text (an object, an array or a scalar)
     * @return its RFC 8785 canonical form, UTF-8
     * @throws IllegalArgumentException if {@code json} is not valid JSON
     */
    public static byte[] jcs(String json) {
        Objects.requireNonNull(json, "json");
        try {
            return new JsonCanonicalizer(json).getEncodedUTF8();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getMessage(), e);
        }
    }
}
