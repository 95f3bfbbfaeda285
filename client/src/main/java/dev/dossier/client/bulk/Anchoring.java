package dev.dossier.client.bulk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dossier.client.digest.Commitments;
import dev.dossier.client.digest.HmacKey;
import dev.dossier.client.record.Field;
import dev.dossier.client.record.TrainingRecord;
import dev.dossier.client.record.Violation;
import dev.dossier.common.card.CardVerifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns records into {@code anchorBatch} entries and reads the contract's answer. The argument of
 * {@code anchorBatch(entriesJson)} is a JSON array, at most 5,000 entries, of
 * {@code {"commitment":"<64 hex>","kind":"record","schemaVersion":1,"validUntil":"YYYY-MM-DD","subject":"<64 hex>"}}
 * ({@code validUntil} and {@code subject} optional; a correction adds {@code "supersedes":"<64 hex>"}, the entry it
 * replaces in the same transaction); it returns
 * {@code {"anchored":n,"alreadyAnchored":m,"results":[{"commitment","outcome","reason"}]}} in input order.
 */
public final class Anchoring {
    /** Version of the record JSON schema, written on chain with each entry. */
    static final int SCHEMA_VERSION = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();
    /** The module codes the contract takes ({@code Tokens.CODE_RULE} there). */
    private static final Pattern MODULE_CODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /**
     * A record ready to anchor; {@code supersedes} is the commitment a correction replaces, else null; {@code card} its
     * inspector's card in an upload with cards ({@link BulkCards}), else null.
     */
    public record Prepared(
            long line,
            String recordId,
            int version,
            byte[] commitment,
            byte[] salt,
            String supersedes,
            String entryJson,
            SignedCard card) {
        /**
         * @param text the record's card ({@code DC1:...})
         * @param validUntil the record's valid-until date, or null: its card's entry expires with it
         * @return this record with its card, anchored right after it in the same transaction
         */
        public Prepared withCard(String text, LocalDate validUntil) {
            String digest = HEX.formatHex(CardVerifier.digest(text));
            return new Prepared(
                    line,
                    recordId,
                    version,
                    commitment,
                    salt,
                    supersedes,
                    entryJson,
                    new SignedCard(text, digest, cardEntryJson(digest, validUntil)));
        }
    }

    /**
     * A record's card, signed.
     *
     * @param text the card's text ({@code DC1:...})
     * @param digest its digest, 64 lowercase hex digits: the commitment of its entry
     * @param entryJson its {@code anchorBatch} entry ({@link #cardEntryJson})
     */
    public record SignedCard(String text, String digest, String entryJson) {}

    /** The contract's answer for one entry. */
    public record Result(String commitment, Outcome outcome, String reason) {}

    /**
     * Where drafts go: the issuing organisation they are drafted for and the project of its delegation. Each record is
     * drafted as its course code's module of the project.
     *
     * @param issuer the issuing organisation's MSP id
     * @param project the project code of the issuer's delegation to the caller's organisation
     */
    public record DraftFor(String issuer, String project) {
        public DraftFor {
            java.util.Objects.requireNonNull(issuer, "issuer");
            java.util.Objects.requireNonNull(project, "project");
        }
    }

    private final HmacKey saltKey;
    private final HmacKey pseudonymKey;
    private final ReceiptIndex corrects;
    private final DraftFor draftFor;

    /** @param pseudonymKey the sector pseudonym key, or null to anchor without subject pseudonyms */
    public Anchoring(HmacKey saltKey, HmacKey pseudonymKey) {
        this(saltKey, pseudonymKey, null, null);
    }

    private Anchoring(HmacKey saltKey, HmacKey pseudonymKey, ReceiptIndex corrects, DraftFor draftFor) {
        this.saltKey = saltKey;
        this.pseudonymKey = pseudonymKey;
        this.corrects = corrects;
        this.draftFor = draftFor;
    }

    /**
     * @return an anchoring of corrections: each record supersedes the latest earlier version of its record id that
     *     {@code earlier} names, in the same transaction
     */
    public Anchoring correcting(ReceiptIndex earlier) {
        return new Anchoring(saltKey, pseudonymKey, java.util.Objects.requireNonNull(earlier, "earlier"), null);
    }

    /**
     * @return a drafting for {@code target}: each record becomes a draft ({@code draftBatch}) of its course code's
     *     module, pending the issuer's validation, rather than an entry of the caller's organisation
     */
    public Anchoring drafting(DraftFor target) {
        return new Anchoring(saltKey, pseudonymKey, null, java.util.Objects.requireNonNull(target, "target"));
    }

    /** @return the contract function a batch of these entries is submitted to */
    public String function() {
        return draftFor == null ? "anchorBatch" : "draftBatch";
    }

    /** @return the arguments of {@link #function()} for a batch's entries ({@link #batchJson}) */
    public String[] arguments(String entries) {
        return draftFor == null
                ? new String[] {entries}
                : new String[] {draftFor.issuer(), draftFor.project(), entries};
    }

    /**
     * @return why this anchoring cannot take {@code record} although it is valid: a correction that corrects nothing
     *     (its record id is in no earlier receipt, or its version is not above the one anchored), or a draft whose
     *     course code is not a module code the contract takes; else null
     */
    public Violation problem(TrainingRecord record) {
        if (draftFor != null
                && !MODULE_CODE.matcher(record.value(Field.COURSE_CODE)).matches()) {
            return new Violation(
                    "course_code", "a draft's module is its course code, which must match " + MODULE_CODE.pattern());
        }
        if (corrects == null) {
            return null;
        }
        ReceiptIndex.Anchored earlier = corrects.latest(record.recordId());
        if (earlier == null) {
            return new Violation("record_id", "corrects nothing: no earlier receipt names this record id");
        }
        if (record.version() <= earlier.version()) {
            return new Violation(
                    "version",
                    "corrects nothing: version " + record.version() + " is not above the anchored version "
                            + earlier.version());
        }
        return null;
    }

    /**
     * @return {@code record}, from line {@code line} of its file (0 if none), salted, committed and as an entry; in an
     *     anchoring of corrections, superseding the latest earlier version of its record id
     */
    public Prepared prepare(long line, TrainingRecord record) {
        ReceiptIndex.Anchored earlier = corrects == null ? null : corrects.latest(record.recordId());
        return prepare(line, record, earlier == null ? null : earlier.commitment());
    }

    /** @return {@code record} as an entry that supersedes {@code supersedes} (64 lowercase hex digits), or nothing */
    public Prepared prepare(long line, TrainingRecord record, String supersedes) {
        byte[] salt = Commitments.salt(saltKey, record.recordId(), record.version());
        byte[] commitment = Commitments.record(salt, record.canonicalJson()).toBytes();
        String subject = pseudonymKey == null ? null : Commitments.pseudonym(pseudonymKey, record.fiscalCode());
        String entry = entryJson(
                HEX.formatHex(commitment), "record", record.validUntil().orElse(null), subject, supersedes);
        if (draftFor != null) {
            entry = entry.substring(0, entry.length() - 1) + ",\"module\":" + '"' + record.value(Field.COURSE_CODE)
                    + "\"}"; // a module code: nothing to escape
        }
        return new Prepared(line, record.recordId(), record.version(), commitment, salt, supersedes, entry, null);
    }

    /**
     * @return the {@code anchorBatch} entry of an inspector's card: its digest, kind {@code card}, expiring with its
     *     record; no subject pseudonym, so a card's entry links to no other entry of the worker on the ledger
     */
    public static String cardEntryJson(String digestHex, LocalDate validUntil) {
        return entryJson(digestHex, "card", validUntil, null, null);
    }

    /**
     * @return the {@code anchorBatch} entry of an Open Badges credential: its digest, kind {@code credential},
     *     expiring with its record; no subject pseudonym, as for a card
     */
    public static String credentialEntryJson(String digestHex, LocalDate validUntil) {
        return entryJson(digestHex, "credential", validUntil, null, null);
    }

    /** The entry's JSON; every value is hex, a date or a token, so nothing needs escaping. */
    static String entryJson(
            String commitmentHex, String kind, LocalDate validUntil, String subject, String supersedes) {
        StringBuilder s = new StringBuilder(200);
        s.append("{\"commitment\":\"")
                .append(commitmentHex)
                .append("\",\"kind\":\"")
                .append(kind)
                .append("\",\"schemaVersion\":")
                .append(SCHEMA_VERSION);
        if (validUntil != null) {
            s.append(",\"validUntil\":\"").append(validUntil).append('"');
        }
        if (subject != null) {
            s.append(",\"subject\":\"").append(subject).append('"');
        }
        if (supersedes != null) {
            s.append(",\"supersedes\":\"").append(supersedes).append('"');
        }
        return s.append('}').toString();
    }

    /** @return the {@code anchorBatch} argument of {@code rows}: each record's entry, then its card's if it has one */
    public static String batchJson(List<Prepared> rows) {
        StringBuilder s = new StringBuilder(rows.size() * 200 + 2).append('[');
        for (Prepared row : rows) {
            s.append(s.length() > 1 ? "," : "").append(row.entryJson());
            if (row.card() != null) {
                s.append(',').append(row.card().entryJson());
            }
        }
        return s.append(']').toString();
    }

    /** @return the commitments of {@link #batchJson}'s entries, in its order, 64 lowercase hex digits each */
    public static List<String> commitments(List<Prepared> rows) {
        List<String> commitments = new ArrayList<>(rows.size() * 2);
        for (Prepared row : rows) {
            commitments.add(HEX.formatHex(row.commitment()));
            if (row.card() != null) {
                commitments.add(row.card().digest());
            }
        }
        return commitments;
    }

    /**
     * @throws IOException if the answer is not the contract's documented form or does not match the entries
     */
    public static List<Result> parseResults(byte[] answer, List<String> commitments) throws IOException {
        JsonNode root = MAPPER.readTree(new String(answer, StandardCharsets.UTF_8));
        JsonNode results = root == null ? null : root.get("results");
        if (results == null || !results.isArray() || results.size() != commitments.size()) {
            throw new IOException(
                    "the contract answered " + (results == null ? "without results" : results.size() + " results")
                            + " for " + commitments.size() + " entries");
        }
        List<Result> parsed = new ArrayList<>(results.size());
        for (int i = 0; i < results.size(); i++) {
            JsonNode r = results.get(i);
            String commitment = r.path("commitment").asText().toLowerCase(Locale.ROOT);
            if (!commitment.equals(commitments.get(i))) {
                throw new IOException("result " + i + " is for " + commitment + ", expected " + commitments.get(i));
            }
            Outcome outcome;
            try {
                outcome = Outcome.valueOf(r.path("outcome").asText());
            } catch (IllegalArgumentException e) {
                throw new IOException("result " + i + " has unknown outcome " + r.path("outcome"), e);
            }
            JsonNode reason = r.get("reason");
            parsed.add(new Result(commitment, outcome, reason == null || reason.isNull() ? null : reason.asText()));
        }
        return parsed;
    }
}
