package dev.dossier.node.validation;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.google.protobuf.ByteString;
import dev.dossier.node.ledger.KeyWrite;
import dev.dossier.node.ledger.StateView;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The notary namespace's validation rule, our equivalent of a Fabric validation plugin: what the notary contract's
 * keys may hold, checked at commit on every node from the written values themselves, so that a dishonest
 * organisation that skips the contract (forges a write set and endorses it with its own node) can neither create
 * keys in another organisation's name nor rewrite what it anchored.
 *
 * <ul>
 *   <li><b>Entry</b> (key: a commitment, 64 lowercase hex digits). Created (no value yet) by its anchoring
 *       organisation alone: the value must be an entry whose {@code commitment} is the key, whose {@code mspId} is the
 *       creator's organisation, whose {@code issuerId} is the creator's certificate subject, whose {@code anchoredAt}
 *       is the transaction's timestamp, with status {@code active} and no revocation or successor; and the same
 *       transaction must set the key's endorsement policy to "a node of the anchoring organisation"; a new entry that
 *       {@code supersedes} another (a correction) must be written with that entry, marked superseded by it (a write
 *       its own policy judges: only its owner can make it). After that the
 *       key's policy decides who may write it, and this rule keeps what was anchored: {@code anchoredAt},
 *       {@code commitment}, {@code issuerId}, {@code kind}, {@code mspId}, {@code schemaVersion}, {@code subject} and
 *       {@code validUntil} never change, the policy never changes, and an entry is never deleted.
 *   <li><b>Subject index</b> (key: the composite key {@code subject/<pseudonym>/<mspId>/<commitment>}). Created by
 *       the organisation it names alone, for an entry of that organisation (already committed, or written by the same
 *       transaction) whose subject, when it has one, is that pseudonym, with its policy set to that organisation.
 *   <li>Delegation and draft keys, and entries validated from a draft: {@link DelegationRule}.
 *   <li>Any other key of the namespace (the role policy, proposals, ...) gets nothing from this rule: without a
 *       key-level policy it needs the chaincode-level policy, a strict majority of the organisations.
 * </ul>
 *
 * Stateless and thread-safe.
 */
final class NotaryRule {
    private static final String SUBJECT_INDEX_PREFIX = "\u0000subject\u0000";
    static final List<String> ANCHORED_FIELDS = List.of(
            "anchoredAt",
            "commitment",
            "draftedBy",
            "issuerId",
            "kind",
            "module",
            "mspId",
            "project",
            "schemaVersion",
            "subject",
            "validUntil");
    /** The statuses of an anchored entry; a draft's ({@code pending}, {@code rejected}) live under its draft key. */
    private static final List<String> ENTRY_STATUSES = List.of("active", "revoked", "superseded");
    /**
     * Refuses duplicate members and anything but white space after the object: another reader (the revocation list,
     * the commitment log's public entry, a client) must never see another value than this rule judged, nor fail to read
     * a value the rule let through.
     */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private NotaryRule() {}

    /** What the rule decides for one write to a key without an endorsement policy. */
    sealed interface Verdict {}

    /** The key is the notary's and may be created by its owner alone. */
    record Owned(String mspId) implements Verdict {}

    /** The key is the notary's and the write breaks the rule. */
    record Broken(String reason) implements Verdict {}

    /** The rule says nothing about this key: the chaincode-level policy applies. */
    record Unclaimed() implements Verdict {}

    /**
     * Judges a write to a key that has no endorsement policy yet.
     *
     * @param txWrites every write of the same transaction in the notary's namespace, by key (an index may point at an
     *     entry written beside it)
     */
    static Verdict create(KeyWrite write, TxWrites txWrites, Signers signers, StateView state) {
        String key = write.key();
        if (DelegationRule.claims(key)) {
            return DelegationRule.create(write, signers, state);
        }
        if (isCommitment(key)) {
            if (state.value(write.namespace(), key).isPresent()) {
                return new Unclaimed(); // a value without a policy: not written by the notary; majority decides
            }
            if (write.change() != KeyWrite.Change.PUT) {
                return new Broken("entry " + key + " does not exist and can only be created");
            }
            Optional<String> problem = newEntryProblem(key, write, signers, txWrites, state)
                    .or(() -> ownerPolicyProblem(write, signers.creatorMsp()));
            return problem.<Verdict>map(Broken::new).orElseGet(() -> new Owned(signers.creatorMsp()));
        }
        Optional<SubjectIndex> subjectIndex = SubjectIndex.parse(key);
        if (subjectIndex.isPresent()) {
            String subject = subjectIndex.get().subject();
            String mspId = subjectIndex.get().mspId();
            String commitment = subjectIndex.get().commitment();
            if (!mspId.equals(signers.creatorMsp())) {
                return new Broken("subject index key of " + mspId + " written by a creator of " + signers.creatorMsp());
            }
            if (write.change() == KeyWrite.Change.PUT) {
                Optional<String> problem = indexedEntryProblem(
                                write.namespace(), commitment, subject, mspId, txWrites, state)
                        .or(() -> ownerPolicyProblem(write, mspId));
                if (problem.isPresent()) {
                    return new Broken("subject index of " + commitment + ": " + problem.get());
                }
            }
            return new Owned(mspId);
        }
        return new Unclaimed();
    }

    /**
     * Judges a write to a key that has an endorsement policy (already satisfied by the endorsers): an entry keeps
     * what was anchored and is never deleted; an index may be rewritten or deleted by its owner; delegations and
     * drafts as {@link DelegationRule#update} says.
     *
     * @param txWrites every write of the same transaction in the notary's namespace, by key
     * @return what is wrong, or empty
     */
    static Optional<String> update(KeyWrite write, TxWrites txWrites, Signers signers, StateView state) {
        String key = write.key();
        if (DelegationRule.claims(key)) {
            return DelegationRule.update(write, txWrites, signers, state);
        }
        if (!isCommitment(key)) {
            return Optional.empty();
        }
        Optional<byte[]> current = state.value(write.namespace(), key);
        if (current.isEmpty()) {
            return Optional.empty();
        }
        Optional<JsonNode> before = parse(current.get());
        if (before.isEmpty()) {
            return Optional.empty(); // not an entry of this contract
        }
        String owner = before.get().path("mspId").asText();
        if (write.change() == KeyWrite.Change.DELETE) {
            return Optional.of("entry " + key + " of " + owner + " would be deleted; entries are permanent");
        }
        if (write.metadata().isPresent()) {
            Optional<String> policy = ownerPolicyProblem(write, owner);
            if (policy.isPresent()) {
                return Optional.of("the endorsement policy of entry " + key + " cannot change: " + policy.get());
            }
        }
        if (write.change() == KeyWrite.Change.PUT) {
            Optional<JsonNode> after = txWrites.value(write);
            if (after.isEmpty()) {
                return Optional.of("entry " + key + " would be replaced by a value that is not an entry");
            }
            for (String field : ANCHORED_FIELDS) {
                if (!before.get().path(field).equals(after.get().path(field))) {
                    return Optional.of(
                            "entry " + key + " of " + owner + ": '" + field + "' was anchored and cannot change");
                }
            }
            if (!ENTRY_STATUSES.contains(after.get().path("status").asText(""))) {
                return Optional.of("entry " + key + " of " + owner + " cannot become "
                        + after.get().path("status"));
            }
        }
        return Optional.empty();
    }

    private static Optional<String> newEntryProblem(
            String key, KeyWrite write, Signers signers, TxWrites txWrites, StateView state) {
        Optional<JsonNode> parsed = txWrites.value(write);
        if (parsed.isEmpty()) {
            return Optional.of("new entry " + key + " is not a JSON object");
        }
        JsonNode entry = parsed.get();
        if (!key.equals(entry.path("commitment").asText(null))) {
            return Optional.of("new entry " + key + " names commitment " + entry.path("commitment"));
        }
        if (!signers.creatorMsp().equals(entry.path("mspId").asText(null))) {
            return Optional.of("new entry " + key + " claims organisation " + entry.path("mspId")
                    + " but its creator is of " + signers.creatorMsp());
        }
        if (!signers.creatorSubject().equals(entry.path("issuerId").asText(null))) {
            return Optional.of("new entry " + key + " names issuer " + entry.path("issuerId") + " but its creator is "
                    + signers.creatorSubject());
        }
        if (!isTime(entry.path("anchoredAt").asText(""), signers.timestamp())) {
            return Optional.of("new entry " + key + " says it was anchored at " + entry.path("anchoredAt")
                    + " but the transaction is of " + signers.timestamp());
        }
        if (!"active".equals(entry.path("status").asText(null))
                || entry.has("revocationReason")
                || entry.has("revokedAt")
                || entry.has("supersededBy")) {
            return Optional.of("new entry " + key + " must be active, unrevoked and not superseded");
        }
        return (entry.has("supersedes")
                        ? supersessionProblem(key, entry.path("supersedes"), txWrites)
                        : Optional.<String>empty())
                .or(() -> DelegationRule.validationProblem(key, entry, signers, txWrites, state, write.namespace()));
    }

    /**
     * A new entry that says it supersedes another (a correction) must mark that entry superseded by it in the same
     * transaction; that write is judged under the superseded entry's own policy, so only its owner can correct it.
     */
    private static Optional<String> supersessionProblem(String key, JsonNode supersedes, TxWrites txWrites) {
        KeyWrite old = supersedes.isTextual() ? txWrites.get(supersedes.asText()) : null;
        Optional<JsonNode> after = old == null ? Optional.empty() : txWrites.value(old);
        if (after.isEmpty()
                || !"superseded".equals(after.get().path("status").asText(null))
                || !key.equals(after.get().path("supersededBy").asText(null))) {
            return Optional.of("new entry " + key + " supersedes " + supersedes
                    + " but the transaction does not mark that entry superseded by it");
        }
        return Optional.empty();
    }

    private static Optional<String> indexedEntryProblem(
            String namespace, String commitment, String subject, String mspId, TxWrites txWrites, StateView state) {
        KeyWrite beside = txWrites.get(commitment);
        Optional<JsonNode> entry = beside != null
                ? txWrites.value(beside)
                : state.value(namespace, commitment).flatMap(NotaryRule::parse);
        if (entry.isEmpty()) {
            return Optional.of("no entry " + commitment);
        }
        if (!mspId.equals(entry.get().path("mspId").asText(null))) {
            return Optional.of("the entry is of " + entry.get().path("mspId") + ", not " + mspId);
        }
        JsonNode entrySubject = entry.get().path("subject");
        if (!entrySubject.isMissingNode() && !subject.equals(entrySubject.asText())) {
            return Optional.of("the entry is of another subject");
        }
        return Optional.empty();
    }

    /**
     * The organisation that may create {@code key} alone under this rule, judged from the key's form only: the
     * creator's for an entry, the one the key names for a subject index key. What the gateway asks endorsements of
     * before ordering; the values are judged at commit by {@link #create}.
     */
    static Optional<String> claimant(String key, String creatorMsp) {
        if (DelegationRule.claims(key)) {
            return DelegationRule.claimant(key, creatorMsp);
        }
        if (isCommitment(key)) {
            return Optional.of(creatorMsp);
        }
        return SubjectIndex.parse(key).map(SubjectIndex::mspId);
    }

    /** A subject index key {@code \u0000subject\u0000<64 hex>\u0000<mspId>\u0000<64 hex>\u0000}, taken apart. */
    private record SubjectIndex(String subject, String mspId, String commitment) {
        static Optional<SubjectIndex> parse(String key) {
            int subjectEnd = SUBJECT_INDEX_PREFIX.length() + 64;
            if (!key.startsWith(SUBJECT_INDEX_PREFIX)
                    || key.length() < subjectEnd + 1 + 1 + 1 + 64 + 1
                    || key.charAt(subjectEnd) != '\u0000'
                    || key.charAt(key.length() - 1) != '\u0000'
                    || key.charAt(key.length() - 66) != '\u0000') {
                return Optional.empty();
            }
            String subject = key.substring(SUBJECT_INDEX_PREFIX.length(), subjectEnd);
            String mspId = key.substring(subjectEnd + 1, key.length() - 66);
            String commitment = key.substring(key.length() - 65, key.length() - 1);
            if (!isCommitment(subject) || !isCommitment(commitment) || mspId.indexOf('\u0000') >= 0) {
                return Optional.empty();
            }
            return Optional.of(new SubjectIndex(subject, mspId, commitment));
        }
    }

    /** @return true for 64 lowercase hexadecimal digits, the form of a commitment key */
    static boolean isCommitment(String key) {
        if (key.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = key.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
                return false;
            }
        }
        return true;
    }

    /** Validation parameters already judged "a node of" an organisation: few distinct ones ever occur. */
    private static final Map<ByteString, String> OWNERS = new ConcurrentHashMap<>();

    private static final int MAX_OWNERS_REMEMBERED = 1024;

    /** @return what is wrong unless the write sets the key's policy to "a node of {@code mspId}" */
    static Optional<String> ownerPolicyProblem(KeyWrite write, String mspId) {
        Optional<ByteString> parameter = write.newValidationParameter();
        if (parameter.isEmpty()) {
            return Optional.of("its endorsement policy must be set to " + mspId + " when it is written");
        }
        if (mspId.equals(OWNERS.get(parameter.get()))) {
            return Optional.empty();
        }
        try {
            if (!SignaturePolicies.parse(parameter.get()).equals(SignaturePolicies.ownedBy(mspId))) {
                return Optional.of("its endorsement policy must be "
                        + SignaturePolicies.describe(SignaturePolicies.ownedBy(mspId)));
            }
        } catch (IllegalArgumentException e) {
            return Optional.of("its endorsement policy is malformed: " + e.getMessage());
        }
        if (OWNERS.size() < MAX_OWNERS_REMEMBERED) {
            OWNERS.put(parameter.get(), mspId);
        }
        return Optional.empty();
    }

    static Optional<JsonNode> parse(byte[] value) {
        try {
            JsonNode node = JSON.readTree(new String(value, StandardCharsets.UTF_8));
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** The last transaction time {@link #isTime} was asked about, with its text: a bulk transaction's entries share it. */
    private record Stamp(Instant instant, String text) {}

    private static volatile Stamp lastStamp = new Stamp(Instant.EPOCH, Instant.EPOCH.toString());

    /**
     * @return whether {@code text} is an ISO-8601 instant ({@link Instant#parse}) equal to {@code time}; the text of
     *     {@link Instant#toString}, which {@code Instant.parse} reads back as the same instant, is recognised
     *     without parsing
     */
    static boolean isTime(String text, Instant time) {
        Stamp stamp = lastStamp;
        if (!stamp.instant().equals(time)) {
            stamp = new Stamp(time, time.toString());
            lastStamp = stamp;
        }
        return text.equals(stamp.text()) || time.equals(instant(text));
    }

    static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeException e) {
            return null;
        }
    }
}
