package dev.dossier.common.entry;

import dev.dossier.common.json.Json;
import dev.dossier.common.json.JsonReader;
import java.util.List;
import java.util.Map;

/**
 * The on-chain entry of a commitment: commitments and non-personal metadata only. The notary contract stores it under
 * the commitment (64 lowercase hex digits) as JSON with sorted members and no whitespace, absent members left out:
 *
 * <pre>{@code
 * {"anchoredAt":"2025-03-01T09:30:00Z","commitment":"<64 hex>","draftedBy":"Org2MSP","issuerId":"CN=Issuer@org1.dossier.local,OU=client,
 *  O=org1.dossier.local,C=IT","kind":"record","module":"SIC-GEN-4H","mspId":"Org1MSP","project":"P-2025-07",
 *  "revocationReason":"issued_in_error",
 *  "revokedAt":"2025-04-01T08:00:00Z","schemaVersion":1,"status":"revoked","subject":"<64 hex>",
 *  "supersededBy":"<64 hex>","supersedes":"<64 hex>","validUntil":"2030-06-30"}
 * }</pre>
 *
 * <p><b>Reading</b> ({@link #parse}), the same in the chaincode, the node, the client and the verify page: the text
 * must be one JSON object (RFC 8259, no repeated member name, nothing after it); each member above, when present and
 * not {@code null}, must be a string, but {@code schemaVersion}, an integer (1 when absent); {@code status}, when
 * present, is {@value #ACTIVE}, {@value #REVOKED}, {@value #SUPERSEDED}, or for a draft (stored under its draft key,
 * never under the commitment) {@value #PENDING} or {@value #REJECTED}. Other members are ignored. Golden vectors:
 * {@code common/src/test/resources/vectors/ledger-entry-v1.json}.
 *
 * @param anchoredAt the anchoring transaction's timestamp, ISO-8601 UTC, or null
 * @param commitment the commitment, or null
 * @param draftedBy for a draft or a validated draft, the training provider's organisation that drafted it, or null
 * @param issuerId subject DN (RFC 2253) of the anchoring identity's certificate (of a draft: the drafting identity;
 *     of a validated draft: the validating one), or null (never public)
 * @param kind what the commitment is of ({@code record}, {@code document}, ...), or null
 * @param module for a draft or a validated draft, the module of the delegated project it is of, or null
 * @param mspId the anchoring organisation (of a draft: the issuing organisation it is drafted for), or null
 * @param project for a draft or a validated draft, the project code of the delegation it was drafted under, or null
 * @param rejectedAt when a draft was rejected, or null
 * @param rejectionReason the rejection's reason code, when rejected
 * @param revocationReason the revocation reason code, when revoked
 * @param revokedAt the revoking transaction's timestamp, when revoked
 * @param schemaVersion version of the record schema
 * @param status {@value #ACTIVE}, {@value #REVOKED}, {@value #SUPERSEDED}, {@value #PENDING}, {@value #REJECTED}, or
 *     null
 * @param subject the subject pseudonym, or null (never public)
 * @param supersededBy the commitment that replaces this one, or null
 * @param supersedes the commitment this one replaces, or null
 * @param validUntil expiry date {@code YYYY-MM-DD}, or null
 */
public record LedgerEntry(
        String anchoredAt,
        String commitment,
        String draftedBy,
        String issuerId,
        String kind,
        String module,
        String mspId,
        String project,
        String rejectedAt,
        String rejectionReason,
        String revocationReason,
        String revokedAt,
        long schemaVersion,
        String status,
        String subject,
        String supersededBy,
        String supersedes,
        String validUntil) {
    public static final String ACTIVE = "active";
    public static final String REVOKED = "revoked";
    public static final String SUPERSEDED = "superseded";
    /** A draft awaiting its issuer's validation: never valid (stored under the draft key, not the commitment). */
    public static final String PENDING = "pending";
    /** A draft its issuer rejected, with a reason: never valid. */
    public static final String REJECTED = "rejected";

    private static final List<String> STATUSES = List.of(ACTIVE, REVOKED, SUPERSEDED, PENDING, REJECTED);

    /**
     * @return a new active entry of {@code commitment}, anchored by {@code mspId}/{@code issuerId} at {@code at}
     */
    public static LedgerEntry anchored(
            String commitment,
            String kind,
            long schemaVersion,
            String subject,
            String validUntil,
            String mspId,
            String issuerId,
            String at) {
        return new LedgerEntry(
                at,
                commitment,
                null,
                issuerId,
                kind,
                null,
                mspId,
                null,
                null,
                null,
                null,
                null,
                schemaVersion,
                ACTIVE,
                subject,
                null,
                null,
                validUntil);
    }

    /**
     * Reads an entry by the rules in the class documentation.
     *
     * @param json the entry's JSON text
     * @return the entry
     * @throws IllegalArgumentException naming what is wrong, if {@code json} is not an entry
     */
    public static LedgerEntry parse(String json) {
        Object value;
        try {
            value = JsonReader.parse(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a JSON object: " + e.getMessage(), e);
        }
        if (!(value instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("not a JSON object");
        }
        String status = string(m, "status");
        if (status != null && !STATUSES.contains(status)) {
            throw new IllegalArgumentException("unknown status '" + status + "'");
        }
        return new LedgerEntry(
                string(m, "anchoredAt"),
                string(m, "commitment"),
                string(m, "draftedBy"),
                string(m, "issuerId"),
                string(m, "kind"),
                string(m, "module"),
                string(m, "mspId"),
                string(m, "project"),
                string(m, "rejectedAt"),
                string(m, "rejectionReason"),
                string(m, "revocationReason"),
                string(m, "revokedAt"),
                integer(m, "schemaVersion", 1),
                status,
                string(m, "subject"),
                string(m, "supersededBy"),
                string(m, "supersedes"),
                string(m, "validUntil"));
    }

    /**
     * @return this entry as a draft of {@code project}'s {@code module}, drafted by an identity
     *     ({@code drafterId}) of {@code provider} for the issuing organisation {@code mspId} of this entry: status
     *     {@value #PENDING}, anchored (drafted) at {@code at}
     */
    public LedgerEntry draft(String provider, String drafterId, String project, String module, String at) {
        return drafting(at, provider, drafterId, project, module, PENDING, null, null);
    }

    /**
     * @return the active entry a validation of this draft anchors: the same facts, anchored at {@code at} by the
     *     issuing organisation's identity {@code validatorId}, still naming the provider that drafted it
     */
    public LedgerEntry validated(String validatorId, String at) {
        return drafting(at, draftedBy, validatorId, project, module, ACTIVE, null, null);
    }

    /** @return this draft rejected for {@code reason} (a reason code) at {@code at} */
    public LedgerEntry rejected(String reason, String at) {
        return drafting(anchoredAt, draftedBy, issuerId, project, module, REJECTED, at, reason);
    }

    /** @return an entry of a draft's life, of this one's commitment and facts, never revoked or linked to another */
    private LedgerEntry drafting(
            String at,
            String provider,
            String person,
            String projectCode,
            String moduleCode,
            String newStatus,
            String rejectedTime,
            String rejection) {
        return new LedgerEntry(
                at,
                commitment,
                provider,
                person,
                kind,
                moduleCode,
                mspId,
                projectCode,
                rejectedTime,
                rejection,
                null,
                null,
                schemaVersion,
                newStatus,
                subject,
                null,
                null,
                validUntil);
    }

    /** @return true if the status is {@value #ACTIVE} */
    public boolean active() {
        return ACTIVE.equals(status);
    }

    /** @return this entry revoked for {@code reason} at {@code at} */
    public LedgerEntry revoked(String reason, String at) {
        return with(REVOKED, reason, at, supersededBy, supersedes);
    }

    /** @return this entry superseded by {@code successor} */
    public LedgerEntry supersededBy(String successor) {
        return with(SUPERSEDED, revocationReason, revokedAt, successor, supersedes);
    }

    /** @return this entry recorded as the replacement of {@code predecessor} */
    public LedgerEntry superseding(String predecessor) {
        return with(status, revocationReason, revokedAt, supersededBy, predecessor);
    }

    /** @return this entry without its subject pseudonym and issuing person ({@code issuerId}), for other readers */
    public LedgerEntry withoutPersonalLinks() {
        return new LedgerEntry(
                anchoredAt,
                commitment,
                draftedBy,
                null,
                kind,
                module,
                mspId,
                project,
                rejectedAt,
                rejectionReason,
                revocationReason,
                revokedAt,
                schemaVersion,
                status,
                null,
                supersededBy,
                supersedes,
                validUntil);
    }

    /** @return the stored form: members sorted, no whitespace, absent ones left out */
    public String toJson() {
        StringBuilder out = new StringBuilder(384);
        Json.object(out)
                .add("anchoredAt", anchoredAt)
                .add("commitment", commitment)
                .add("draftedBy", draftedBy)
                .add("issuerId", issuerId)
                .add("kind", kind)
                .add("module", module)
                .add("mspId", mspId)
                .add("project", project)
                .add("rejectedAt", rejectedAt)
                .add("rejectionReason", rejectionReason)
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

    /** @return a copy with the members that change after anchoring replaced */
    private LedgerEntry with(
            String newStatus, String reason, String revokedTime, String successor, String predecessor) {
        return new LedgerEntry(
                anchoredAt,
                commitment,
                draftedBy,
                issuerId,
                kind,
                module,
                mspId,
                project,
                rejectedAt,
                rejectionReason,
                reason,
                revokedTime,
                schemaVersion,
                newStatus,
                subject,
                successor,
                predecessor,
                validUntil);
    }

    private static String string(Map<?, ?> m, String name) {
        Object value = m.get(name);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw new IllegalArgumentException("member '" + name + "' is not a string");
    }

    private static long integer(Map<?, ?> m, String name, long absent) {
        Object value = m.get(name);
        if (value == null) {
            return absent;
        }
        if (value instanceof Long number) {
            return number;
        }
        throw new IllegalArgumentException("member '" + name + "' is not an integer");
    }
}
