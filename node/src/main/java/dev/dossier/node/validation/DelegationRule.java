package dev.dossier.node.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dossier.node.ledger.KeyWrite;
import dev.dossier.node.ledger.StateView;
import java.util.List;
import java.util.Optional;

/**
 * The notary namespace's rule for delegated drafting, beside {@link NotaryRule}: what delegation and draft keys may
 * hold and who may write them, checked at commit on every node from the written values and the state, so that a
 * dishonest training provider or issuer that skips the contract gets nothing the contract would refuse it.
 *
 * <ul>
 *   <li><b>Delegation</b> (key {@code \0delegation\0<project>\0<issuer>\0<provider>\0}). Created by the issuer it names
 *       alone, with that issuer, project and provider in its value, a provider other than the issuer, status
 *       {@code active}, at least one module, {@code grantedAt} the transaction's time, and its policy set to "a node
 *       of the issuer". After that its policy lets the issuer alone change it; it keeps issuer, project and provider,
 *       its status is {@code active} or {@code withdrawn}, its policy never changes and it is never deleted.
 *   <li><b>Draft</b> (key {@code \0draft\0<commitment>\0}). Created by the provider that drafts it alone: an entry of
 *       that commitment, status {@code pending}, {@code draftedBy} the creator's organisation, {@code issuerId} the
 *       creator's certificate subject, {@code anchoredAt} the transaction's time, for an issuer ({@code mspId}) that
 *       is another organisation, and a commitment not anchored; the delegation of its {@code project} by that issuer
 *       to the creator's organisation must be {@code active} in the state the transaction commits on and list its
 *       {@code module}; its policy is set to "a node of the issuer". After that only the issuer can change it: a
 *       pending draft may become {@code rejected} (with its reason and time, everything else kept) or be deleted by
 *       the transaction that anchors its commitment from it (its validation); nothing else.
 *   <li><b>Validated entry</b> (a new entry under a commitment that names {@code draftedBy}, {@code project} or
 *       {@code module}). Besides {@link NotaryRule}'s rule for every new entry (created by its own organisation
 *       alone), it must carry the facts of the pending draft of its commitment drafted for the creator's organisation
 *       by another one, and the same transaction must delete that draft: a write the draft's policy gives to the
 *       issuer alone. {@link NotaryRule#update} keeps {@code draftedBy}, {@code project} and {@code module} with the
 *       other anchored fields.
 * </ul>
 *
 * Stateless and thread-safe.
 */
final class DelegationRule {
    private static final String DRAFT_PREFIX = "\u0000draft\u0000";
    private static final String DELEGATION_PREFIX = "\u0000delegation\u0000";
    /** What a draft and the entry anchored from it share. */
    private static final List<String> DRAFT_FACTS = List.of(
            "commitment", "draftedBy", "kind", "module", "mspId", "project", "schemaVersion", "subject", "validUntil");

    private DelegationRule() {}

    /** @return whether {@code key} is a delegation or draft key, which this rule judges */
    static boolean claims(String key) {
        return draftCommitment(key).isPresent() || Delegation.parse(key).isPresent();
    }

    /** @return the organisation that may create {@code key} alone: the drafting creator's, or the delegating issuer */
    static Optional<String> claimant(String key, String creatorMsp) {
        if (draftCommitment(key).isPresent()) {
            return Optional.of(creatorMsp);
        }
        return Delegation.parse(key).map(Delegation::issuer);
    }

    /** Judges a write to a delegation or draft key that has no endorsement policy yet. */
    static NotaryRule.Verdict create(KeyWrite write, Signers signers, StateView state) {
        String key = write.key();
        if (state.value(write.namespace(), key).isPresent()) {
            return new NotaryRule.Unclaimed(); // a value without a policy: not written by the notary; majority decides
        }
        Optional<String> commitment = draftCommitment(key);
        if (commitment.isPresent()) {
            Optional<String> problem = write.change() != KeyWrite.Change.PUT
                    ? Optional.of("draft of " + commitment.get() + " does not exist and can only be created")
                    : newDraftProblem(commitment.get(), write, signers, state);
            return problem.<NotaryRule.Verdict>map(NotaryRule.Broken::new)
                    .orElseGet(() -> new NotaryRule.Owned(signers.creatorMsp()));
        }
        Delegation delegation = Delegation.parse(key).orElseThrow();
        Optional<String> problem = newDelegationProblem(delegation, write, signers);
        return problem.<NotaryRule.Verdict>map(p -> new NotaryRule.Broken("delegation " + delegation + ": " + p))
                .orElseGet(() -> new NotaryRule.Owned(delegation.issuer()));
    }

    /**
     * Judges a write to a delegation or draft key that has an endorsement policy (already satisfied by the
     * endorsers).
     *
     * @return what is wrong, or empty
     */
    static Optional<String> update(KeyWrite write, TxWrites txWrites, Signers signers, StateView state) {
        Optional<JsonNode> before = state.value(write.namespace(), write.key()).flatMap(NotaryRule::parse);
        if (before.isEmpty()) {
            return Optional.empty(); // not written by the notary
        }
        Optional<String> commitment = draftCommitment(write.key());
        String owner = commitment.isPresent()
                ? before.get().path("mspId").asText()
                : Delegation.parse(write.key()).orElseThrow().issuer();
        String what = commitment.map(c -> "draft of " + c).orElseGet(() -> "delegation " + display(write.key()));
        if (write.metadata().isPresent()) {
            Optional<String> policy = NotaryRule.ownerPolicyProblem(write, owner);
            if (policy.isPresent()) {
                return Optional.of("the endorsement policy of the " + what + " cannot change: " + policy.get());
            }
        }
        if (commitment.isEmpty()) {
            return delegationChangeProblem(write).map(p -> what + ": " + p);
        }
        return draftChangeProblem(commitment.get(), write, before.get(), txWrites, signers)
                .map(p -> what + " for " + owner + ": " + p);
    }

    /**
     * The part of a new entry's rule that concerns drafts: an entry naming {@code draftedBy}, {@code project} or
     * {@code module} is a validation, which must carry its draft's facts and delete it in the same transaction.
     *
     * @return what is wrong, or empty (also for an entry that names none of them)
     */
    static Optional<String> validationProblem(
            String commitment, JsonNode entry, Signers signers, TxWrites txWrites, StateView state, String namespace) {
        if (!entry.has("draftedBy") && !entry.has("project") && !entry.has("module")) {
            return Optional.empty();
        }
        String draftedBy = entry.path("draftedBy").asText(null);
        if (draftedBy == null || draftedBy.equals(signers.creatorMsp())) {
            return Optional.of("new entry " + commitment + " says it was drafted by " + entry.path("draftedBy")
                    + ": only another organisation's draft can be validated");
        }
        String draftKey = DRAFT_PREFIX + commitment + '\u0000';
        Optional<JsonNode> draft = state.value(namespace, draftKey).flatMap(NotaryRule::parse);
        if (draft.isEmpty() || !"pending".equals(draft.get().path("status").asText(null))) {
            return Optional.of("new entry " + commitment + " names a draft by " + draftedBy + " but no such draft is"
                    + " pending");
        }
        for (String fact : DRAFT_FACTS) {
            if (!draft.get().path(fact).equals(entry.path(fact))) {
                return Optional.of("new entry " + commitment + ": '" + fact + "' differs from its draft's");
            }
        }
        KeyWrite deletion = txWrites.get(draftKey);
        if (deletion == null || deletion.change() != KeyWrite.Change.DELETE) {
            return Optional.of("new entry " + commitment + " is validated from its draft but the transaction does not"
                    + " remove the draft");
        }
        return Optional.empty();
    }

    private static Optional<String> newDraftProblem(
            String commitment, KeyWrite write, Signers signers, StateView state) {
        Optional<JsonNode> parsed = NotaryRule.parse(write.value());
        if (parsed.isEmpty()) {
            return Optional.of("new draft of " + commitment + " is not a JSON object");
        }
        JsonNode draft = parsed.get();
        String issuer = draft.path("mspId").asText("");
        String project = draft.path("project").asText("");
        String creator = signers.creatorMsp();
        if (!commitment.equals(draft.path("commitment").asText(null))
                || !"pending".equals(draft.path("status").asText(null))
                || !creator.equals(draft.path("draftedBy").asText(null))
                || !signers.creatorSubject().equals(draft.path("issuerId").asText(null))
                || !NotaryRule.isTime(draft.path("anchoredAt").asText(""), signers.timestamp())) {
            return Optional.of("new draft of " + commitment + " must name it, be pending, and be drafted by its"
                    + " creator (" + creator + ", " + signers.creatorSubject() + ") at the transaction's time");
        }
        for (String absent : List.of(
                "revocationReason", "revokedAt", "supersededBy", "supersedes", "rejectedAt", "rejectionReason")) {
            if (draft.has(absent)) {
                return Optional.of("new draft of " + commitment + " has '" + absent + "'");
            }
        }
        if (issuer.isEmpty()
                || issuer.equals(creator)
                || project.isEmpty()
                || !draft.path("module").isTextual()) {
            return Optional.of(
                    "new draft of " + commitment + " must be for another organisation, of a project and a" + " module");
        }
        if (state.value(write.namespace(), commitment).isPresent()) {
            return Optional.of("new draft of " + commitment + ": the commitment is anchored already");
        }
        Optional<JsonNode> delegation = state.value(write.namespace(), new Delegation(project, issuer, creator).key())
                .flatMap(NotaryRule::parse);
        if (delegation.isEmpty()
                || !"active".equals(delegation.get().path("status").asText(null))) {
            return Optional.of("new draft of " + commitment + ": " + issuer + " has no delegation of project " + project
                    + " in force to " + creator);
        }
        boolean delegated = false;
        for (JsonNode module : delegation.get().path("modules")) {
            delegated |= module.equals(draft.path("module"));
        }
        if (!delegated) {
            return Optional.of("new draft of " + commitment + ": module " + draft.path("module") + " of project "
                    + project + " is not delegated to " + creator);
        }
        return NotaryRule.ownerPolicyProblem(write, issuer).map(p -> "new draft of " + commitment + ": " + p);
    }

    private static Optional<String> draftChangeProblem(
            String commitment, KeyWrite write, JsonNode before, TxWrites txWrites, Signers signers) {
        boolean pending = "pending".equals(before.path("status").asText(null));
        if (write.change() == KeyWrite.Change.DELETE) {
            KeyWrite anchoring = txWrites.get(commitment);
            Optional<JsonNode> entry = anchoring == null ? Optional.empty() : txWrites.value(anchoring);
            if (!pending
                    || entry.isEmpty()
                    || !before.path("draftedBy").equals(entry.get().path("draftedBy"))) {
                return Optional.of("a draft is removed only by the transaction that validates it while pending");
            }
            return Optional.empty();
        }
        if (write.change() == KeyWrite.Change.UNCHANGED) {
            return Optional.empty();
        }
        Optional<JsonNode> after = NotaryRule.parse(write.value());
        if (after.isEmpty() || !pending) {
            return Optional.of("only a pending draft may change, into a rejected draft");
        }
        for (String field : NotaryRule.ANCHORED_FIELDS) { // what a rejection keeps of a draft
            if (!before.path(field).equals(after.get().path(field))) {
                return Optional.of("'" + field + "' was drafted and cannot change");
            }
        }
        if (!"rejected".equals(after.get().path("status").asText(null))
                || !after.get().path("rejectionReason").isTextual()
                || !NotaryRule.isTime(after.get().path("rejectedAt").asText(""), signers.timestamp())) {
            return Optional.of("a draft changes only into a rejected one, with its reason, at the transaction's time");
        }
        return Optional.empty();
    }

    private static Optional<String> newDelegationProblem(Delegation delegation, KeyWrite write, Signers signers) {
        if (!delegation.issuer().equals(signers.creatorMsp())) {
            return Optional.of("written by a creator of " + signers.creatorMsp() + "; only " + delegation.issuer()
                    + " delegates its drafting");
        }
        if (write.change() != KeyWrite.Change.PUT) {
            return Optional.of("does not exist and can only be created");
        }
        if (delegation.provider().equals(delegation.issuer())) {
            return Optional.of("an organisation cannot delegate drafting to itself");
        }
        Optional<JsonNode> value = NotaryRule.parse(write.value());
        Optional<String> problem =
                value.isEmpty() ? Optional.of("its value is not a JSON object") : delegation.mismatch(value.get());
        if (problem.isPresent()) {
            return problem;
        }
        if (!"active".equals(value.get().path("status").asText(null))
                || value.get().has("withdrawnAt")) {
            return Optional.of("a new delegation must be active");
        }
        if (!NotaryRule.isTime(value.get().path("grantedAt").asText(""), signers.timestamp())) {
            return Optional.of("grantedAt must be the transaction's time, " + signers.timestamp());
        }
        return NotaryRule.ownerPolicyProblem(write, delegation.issuer());
    }

    private static Optional<String> delegationChangeProblem(KeyWrite write) {
        if (write.change() == KeyWrite.Change.DELETE) {
            return Optional.of("delegations are withdrawn, never deleted");
        }
        if (write.change() == KeyWrite.Change.UNCHANGED) {
            return Optional.empty();
        }
        Delegation delegation = Delegation.parse(write.key()).orElseThrow();
        Optional<JsonNode> after = NotaryRule.parse(write.value());
        if (after.isEmpty()) {
            return Optional.of("its value would not be a JSON object");
        }
        String status = after.get().path("status").asText("");
        if (!status.equals("active") && !status.equals("withdrawn")) {
            return Optional.of("status must be active or withdrawn, got '" + status + "'");
        }
        return delegation.mismatch(after.get());
    }

    /** @return the commitment of a draft key {@code \0draft\0<64 hex>\0} */
    private static Optional<String> draftCommitment(String key) {
        if (key.length() != DRAFT_PREFIX.length() + 65 || !key.startsWith(DRAFT_PREFIX) || !key.endsWith("\u0000")) {
            return Optional.empty();
        }
        String commitment = key.substring(DRAFT_PREFIX.length(), key.length() - 1);
        return NotaryRule.isCommitment(commitment) ? Optional.of(commitment) : Optional.empty();
    }

    private static String display(String key) {
        return key.replace('\u0000', '/');
    }

    /** A delegation key {@code \0delegation\0<project>\0<issuer>\0<provider>\0}, taken apart. */
    private record Delegation(String project, String issuer, String provider) {
        static Optional<Delegation> parse(String key) {
            if (!key.startsWith(DELEGATION_PREFIX) || !key.endsWith("\u0000")) {
                return Optional.empty();
            }
            String[] parts =
                    key.substring(DELEGATION_PREFIX.length(), key.length() - 1).split("\u0000", -1);
            if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Delegation(parts[0], parts[1], parts[2]));
        }

        String key() {
            return DELEGATION_PREFIX + project + '\u0000' + issuer + '\u0000' + provider + '\u0000';
        }

        /** @return what in {@code value} does not name this delegation, or empty; and a module list is required */
        Optional<String> mismatch(JsonNode value) {
            if (!project.equals(value.path("project").asText(null))
                    || !issuer.equals(value.path("issuer").asText(null))
                    || !provider.equals(value.path("provider").asText(null))) {
                return Optional.of("its value must name project " + project + ", issuer " + issuer + " and provider "
                        + provider + " as its key does");
            }
            JsonNode modules = value.path("modules");
            if (!modules.isArray() || modules.isEmpty()) {
                return Optional.of("it must name at least one module");
            }
            for (JsonNode module : modules) {
                if (!module.isTextual()) {
                    return Optional.of("its modules must be codes");
                }
            }
            return Optional.empty();
        }

        @Override
        public String toString() {
            return "of project " + project + " by " + issuer + " to " + provider;
        }
    }
}
