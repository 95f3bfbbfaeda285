package dev.dossier.chaincode;

import dev.dossier.common.entry.LedgerEntry;
import java.util.Map;

/**
 * One commitment to anchor, as {@code anchorRecord} takes it and {@code anchorBatch} takes an array of them:
 *
 * <pre>{@code
 * {"commitment":"<64 hex>","kind":"record","schemaVersion":1,"validUntil":"2030-06-30","subject":"<64 hex>",
 *  "supersedes":"<64 hex>"}
 * }</pre>
 *
 * <p>A draft's request also has {@code "module":"<code>"}.
 *
 * <p>{@code commitment} and {@code kind} are required; {@code schemaVersion} defaults to 1; {@code validUntil},
 * {@code subject} and {@code supersedes} (a correction: the entry it replaces, in the same transaction) may be absent
 * (or null). Any other member is refused, so nothing but commitments and non-personal
 * metadata reaches the ledger. Hex is accepted in either case and normalised to lowercase.
 *
 * @param commitment the commitment, 64 lowercase hex digits
 * @param kind a lowercase token ({@value Tokens#KIND_RULE})
 * @param schemaVersion version of the record schema the commitment was computed over, at least 1
 * @param validUntil ISO date {@code YYYY-MM-DD} after which the record expires, or null
 * @param subject the subject pseudonym, 64 lowercase hex digits, or null
 * @param supersedes the commitment this one corrects, 64 lowercase hex digits, or null
 * @param module for a draft ({@code draftBatch}, which requires it and where {@code anchorBatch} refuses it), the
 *     module of the delegated project the record is of, a code ({@value Tokens#CODE_RULE}); else null
 */
record AnchorRequest(
        String commitment,
        String kind,
        long schemaVersion,
        String validUntil,
        String subject,
        String supersedes,
        String module) {
    /** @return the new, active entry of this request, anchored by {@code mspId}/{@code issuerId} at {@code at} */
    LedgerEntry entry(String mspId, String issuerId, String at) {
        LedgerEntry entry =
                LedgerEntry.anchored(commitment, kind, schemaVersion, subject, validUntil, mspId, issuerId, at);
        return supersedes == null ? entry : entry.superseding(supersedes);
    }

    /** Why a request was refused; no stack trace, since refusals are an expected outcome of the bulk path. */
    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * Reads a request from a parsed JSON value.
     *
     * @param value an element of the parsed argument
     * @return the request
     * @throws Invalid with the reason, if the value is not an object of the form above
     */
    static AnchorRequest of(Object value) throws Invalid {
        if (!(value instanceof Map<?, ?> members)) {
            throw new Invalid("entry must be a JSON object");
        }
        Object given = members.get("commitment");
        String rawCommitment = given instanceof String s ? s : null;
        String commitment = Tokens.lowerHex64(rawCommitment);
        if (commitment == null) {
            throw new Invalid("commitment must be 64 hexadecimal digits");
        }
        Object kind = members.get("kind");
        if (!(kind instanceof String k) || !Tokens.isKind(k)) {
            throw new Invalid("kind must match " + Tokens.KIND_RULE);
        }
        long schemaVersion = 1;
        Object version = members.get("schemaVersion");
        if (version != null) {
            if (!(version instanceof Long v) || v < 1 || v > Integer.MAX_VALUE) {
                throw new Invalid("schemaVersion must be a positive integer");
            }
            schemaVersion = v;
        }
        Object validUntil = members.get("validUntil");
        if (validUntil != null && !(validUntil instanceof String d && Tokens.isDate(d))) {
            throw new Invalid("validUntil must be a date YYYY-MM-DD");
        }
        String subject = hex(members.get("subject"), "subject must be a pseudonym of 64 hexadecimal digits");
        String supersedes = hex(members.get("supersedes"), "supersedes must be a commitment of 64 hexadecimal digits");
        Object module = members.get("module");
        if (module != null && !(module instanceof String m && Tokens.isCode(m))) {
            throw new Invalid("module must be a module code, " + Tokens.CODE_RULE);
        }
        if (commitment.equals(supersedes)) {
            throw new Invalid("a commitment cannot supersede itself");
        }
        if (members.size() > 2) {
            for (Object name : members.keySet()) {
                if (!isMember(name)) {
                    throw new Invalid("unknown member '" + Tokens.abbreviate((String) name) + "'");
                }
            }
        }
        return new AnchorRequest(
                commitment, (String) kind, schemaVersion, (String) validUntil, subject, supersedes, (String) module);
    }

    /** @return an optional member of 64 hex digits, lowercase, or null if absent */
    private static String hex(Object value, String rule) throws Invalid {
        if (value == null) {
            return null;
        }
        String hex = value instanceof String s ? Tokens.lowerHex64(s) : null;
        if (hex == null) {
            throw new Invalid(rule);
        }
        return hex;
    }

    private static boolean isMember(Object name) {
        return "commitment".equals(name)
                || "kind".equals(name)
                || "schemaVersion".equals(name)
                || "validUntil".equals(name)
                || "subject".equals(name)
                || "supersedes".equals(name)
                || "module".equals(name);
    }
}
