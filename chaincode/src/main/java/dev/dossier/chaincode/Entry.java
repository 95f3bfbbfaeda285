package dev.dossier.chaincode;

import java.util.Map;

/**
 * The on-chain entry of a commitment: commitments and non-personal metadata only. Stored under the commitment (64
 * lowercase hex digits) as JSON with sorted keys and no whitespace; optional members are left out when absent:
 *
 * <pre>{@code
 * {"anchoredAt":"2025-03-01T09:30:00Z","commitment":"<64 hex>","issuerId":"CN=Issuer@org1.dossier.local,OU=client,
 *  O=org1.dossier.local,C=IT","kind":"record","mspId":"Org1MSP","revocationReason":"issued_in_error",
 *  "revokedAt":"2025-04-01T08:00:00Z","schemaVersion":1,"status":"revoked","subject":"<64 hex>",
 *  "supersededBy":"<64 hex>","supersedes":"<64 hex>","validUntil":"2030-06-30"}
 * }</pre>
 *
 * @param anchoredAt the anchoring transaction's timestamp, ISO-8601 UTC
 * @param commitment the commitment
 * @param issuerId subject DN (RFC 2253) of the anchoring identity's certificate
 * @param kind what the commitment is of ({@code record}, {@code certificate}, ...)
 * @param mspId the anchoring organisation
 * @param revocationReason a {@link NotaryContract#REVOCATION_REASONS reason code}, when revoked
 * @param revokedAt the revoking transaction's timestamp, when revoked
 * @param schemaVersion version of the record schema
 * @param status {@value #ACTIVE}, {@value #REVOKED} or {@value #SUPERSEDED}
 * @param subject the subject pseudonym, or null
 * @param supersededBy the commitment that replaces this one, or null
 * @param supersedes the commitment this one replaces, or null
 * @param validUntil expiry date {@code YYYY-MM-DD}, or null
 */
record Entry(
        String anchoredAt,
        String commitment,
        String issuerId,
        String kind,
        String mspId,
        String revocationReason,
        String revokedAt,
        long schemaVersion,
        String status,
        String subject,
        String supersededBy,
        String supersedes,
        String validUntil) {
    static final String ACTIVE = "active";
    static final String REVOKED = "revoked";
    static final String SUPERSEDED = "superseded";

    /** @return a new active entry for {@code request}, anchored by {@code mspId}/{@code issuerId} at {@code at} */
    static Entry anchored(AnchorRequest request, String mspId, String issuerId, String at) {
        return new Entry(
                at,
                request.commitment(),
                issuerId,
                request.kind(),
                mspId,
                null,
                null,
                request.schemaVersion(),
                ACTIVE,
                request.subject(),
                null,
                null,
                request.validUntil());
    }

    /** @return this entry revoked for {@code reason} at {@code at} */
    Entry revoked(String reason, String at) {
        return with(REVOKED, reason, at, supersededBy, supersedes);
    }

    /** @return this entry superseded by {@code successor} */
    Entry supersededBy(String successor) {
        return with(SUPERSEDED, revocationReason, revokedAt, successor, supersedes);
    }

    /** @return this entry recorded as the replacement of {@code predecessor} */
    Entry superseding(String predecessor) {
        return with(status, revocationReason, revokedAt, supersededBy, predecessor);
    }

    /** @return a copy with the members that change after anchoring replaced */
    private Entry with(String newStatus, String reason, String revokedTime, String successor, String predecessor) {
        return new Entry(
                anchoredAt,
                commitment,
                issuerId,
                kind,
                mspId,
                reason,
                revokedTime,
                schemaVersion,
                newStatus,
                subject,
                successor,
                predecessor,
                validUntil);
    }

    /** @return this entry without its subject pseudonym and issuing person ({@code issuerId}), for other readers */
    Entry withoutPersonalLinks() {
        return new Entry(
                anchoredAt,
                commitment,
                null,
                kind,
                mspId,
                revocationReason,
                revokedAt,
                schemaVersion,
                status,
                null,
                supersededBy,
                supersedes,
                validUntil);
    }

    boolean active() {
        return ACTIVE.equals(status);
    }

    /** @return the stored form */
    String toJson() {
        StringBuilder out = new StringBuilder(384);
        Json.object(out)
                .add("anchoredAt", anchoredAt)
                .add("commitment", commitment)
                .add("issuerId", issuerId)
                .add("kind", kind)
                .add("mspId", mspId)
                .add("revocationReason", revocationReason)
                .add("revokedAt", revokedAt)
                .add("schemaVersion", schemaVersion)
                .add("status", status)
                .add("subject", subject)
                .add("supersededBy", supersededBy)
                .add("supersedes", supersedes)
                .add("validUntil", validUntil)
                .end();
        return out.toString();
    }

    /**
     * Reads a stored entry.
     *
     * @throws IllegalStateException if {@code json} is not an entry this contract wrote
     */
    static Entry fromJson(String json) {
        Map<?, ?> m;
        try {
            m = (Map<?, ?>) JsonParser.parse(json);
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new IllegalStateException("stored entry is not a JSON object: " + e.getMessage(), e);
        }
        Object version = m.get("schemaVersion");
        return new Entry(
                string(m, "anchoredAt"),
                string(m, "commitment"),
                string(m, "issuerId"),
                string(m, "kind"),
                string(m, "mspId"),
                string(m, "revocationReason"),
                string(m, "revokedAt"),
                version instanceof Long v ? v : 1,
                string(m, "status"),
                string(m, "subject"),
                string(m, "supersededBy"),
                string(m, "supersedes"),
                string(m, "validUntil"));
    }

    private static String string(Map<?, ?> m, String name) {
        Object value = m.get(name);
        return value instanceof String s ? s : null;
    }
}
