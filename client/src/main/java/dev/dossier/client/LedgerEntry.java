package dev.dossier.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * The on-chain entry of a commitment as the notary contract reports it: who anchored it, when, until when it is valid
 * and whether it was revoked or superseded. Holds no personal data. Unknown members of the contract's JSON are kept in
 * {@link #json()}.
 *
 * @param commitment the commitment, lowercase hex
 * @param kind what was committed ({@code record}, {@code document})
 * @param mspId the organisation that anchored it
 * @param issuer the anchoring identity (certificate subject and issuer, {@code issuerId}), or null
 * @param anchoredAt the transaction time of anchoring (ISO-8601), or null
 * @param validUntil the last valid day, or null if it does not expire
 * @param status {@code active}, {@code revoked} or {@code superseded} (lower case)
 * @param reason the revocation reason, or null
 * @param revokedAt when it was revoked (ISO-8601), or null
 * @param supersededBy the commitment that replaces it, or null
 * @param json the entry as the contract returned it
 */
public record LedgerEntry(
        String commitment,
        String kind,
        String mspId,
        String issuer,
        String anchoredAt,
        LocalDate validUntil,
        String status,
        String reason,
        String revokedAt,
        String supersededBy,
        String json) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * @throws IOException if {@code json} is not a JSON object
     */
    public static LedgerEntry parse(String json) throws IOException {
        JsonNode node = MAPPER.readTree(json);
        if (node == null || !node.isObject()) {
            throw new IOException("the contract returned an entry that is not a JSON object: " + json);
        }
        String validUntil = text(node, "validUntil");
        LocalDate until = null;
        if (validUntil != null) {
            try {
                until = LocalDate.parse(validUntil.length() > 10 ? validUntil.substring(0, 10) : validUntil);
            } catch (DateTimeParseException e) {
                throw new IOException("the entry's validUntil is not a date: " + validUntil, e);
            }
        }
        String status = text(node, "status");
        return new LedgerEntry(
                text(node, "commitment"),
                text(node, "kind"),
                text(node, "mspId"),
                text(node, "issuerId", "issuer"),
                text(node, "anchoredAt"),
                until,
                status == null ? "active" : status.toLowerCase(Locale.ROOT),
                text(node, "revocationReason"),
                text(node, "revokedAt"),
                text(node, "supersededBy"),
                json);
    }

    private static String text(JsonNode node, String... names) {
        for (String name : names) {
            JsonNode value = node.get(name);
            if (value != null && !value.isNull()) {
                return value.asText();
            }
        }
        return null;
    }
}
