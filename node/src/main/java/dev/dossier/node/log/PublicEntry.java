package dev.dossier.node.log;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.dossier.common.json.Json;
import dev.dossier.common.text.StrictUtf8;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * The public part of an on-chain entry: what a verifier may learn about a commitment, and nothing that names the
 * issuing person or links two entries of one worker. It is the entry of the log's leaves (format v2), of receipts and
 * of the public {@code GET /v1/status}.
 *
 * <p><b>Encoding (v2).</b> From the bytes of a stored entry: if they are UTF-8 JSON holding one object (no repeated
 * member names, nothing after it), the output is the canonical JSON (RFC 8785: members sorted by name, no whitespace,
 * strings escaped as ECMAScript's {@code JSON.stringify} does) of exactly those of the members {@value #MEMBERS_TEXT}
 * that the object holds with a string value, or for {@code schemaVersion} with an integer value in the signed 64-bit
 * range (written in decimal); every other member (the issuing identity's DN {@code issuerId}, the subject pseudonym
 * {@code subject}, anything unknown) and every member of another type is left out. Strings holding an unpaired
 * surrogate are left out. Anything else (not UTF-8, not JSON, not an object) gives {@code {}}. The function is
 * deterministic, so every node and {@code audit} derive the same bytes from the same block. Golden vectors: {@code
 * src/test/resources/vectors/public-entry-v2.json}.
 *
 * <pre>{@code
 * byte[] leaf = LogLeaves.leafData(commitment, PublicEntry.of(writtenValue));
 * }</pre>
 */
public final class PublicEntry {
    /** The members a public entry may hold, in canonical (sorted) order. */
    public static final List<String> MEMBERS = List.of(
            "anchoredAt",
            "commitment",
            "kind",
            "mspId",
            "revocationReason",
            "revokedAt",
            "schemaVersion",
            "status",
            "supersededBy",
            "supersedes",
            "validUntil");

    private static final String MEMBERS_TEXT = "anchoredAt, commitment, kind, mspId, revocationReason, revokedAt,"
            + " schemaVersion, status, supersededBy, supersedes, validUntil";
    private static final String INTEGER_MEMBER = "schemaVersion";
    private static final byte[] EMPTY = {'{', '}'};
    private static final ObjectReader STRICT = new ObjectMapper()
            .reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private PublicEntry() {}

    /** @return the public entry (v2 encoding, UTF-8) of a stored entry's bytes; a new array */
    public static byte[] of(byte[] entry) {
        Objects.requireNonNull(entry, "entry");
        String text;
        try {
            text = StrictUtf8.decode(entry);
        } catch (CharacterCodingException e) {
            return EMPTY.clone();
        }
        JsonNode tree;
        try {
            tree = STRICT.readTree(text);
        } catch (IOException | RuntimeException e) {
            return EMPTY.clone();
        }
        if (tree == null || !tree.isObject()) {
            return EMPTY.clone();
        }
        StringBuilder out = new StringBuilder(256).append('{');
        for (String name : MEMBERS) {
            JsonNode value = tree.get(name);
            String encoded = null;
            if (value == null) {
                continue;
            } else if (name.equals(INTEGER_MEMBER)) {
                if (value.isIntegralNumber() && value.canConvertToLong()) {
                    encoded = Long.toString(value.longValue());
                }
            } else if (value.isTextual() && !hasLoneSurrogate(value.textValue())) {
                StringBuilder quoted = new StringBuilder(value.textValue().length() + 2);
                Json.appendString(quoted, value.textValue());
                encoded = quoted.toString();
            }
            if (encoded != null) {
                if (out.length() > 1) {
                    out.append(',');
                }
                out.append('"').append(name).append("\":").append(encoded);
            }
        }
        return out.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static boolean hasLoneSurrogate(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
                    return true;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }
}
