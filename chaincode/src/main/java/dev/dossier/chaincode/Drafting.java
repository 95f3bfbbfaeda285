package dev.dossier.chaincode;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.dossier.chaincode.Delegations.Delegation;
import dev.dossier.common.entry.LedgerEntry;
import dev.dossier.common.json.Json;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.hyperledger.fabric.shim.ChaincodeException;
import org.hyperledger.fabric.shim.ChaincodeStub;
import org.hyperledger.fabric.shim.ledger.CompositeKey;

/**
 * Drafts under a {@link Delegations delegation}, and their validation or rejection by the issuer.
 *
 * <p>A draft is a {@link LedgerEntry} with status {@value LedgerEntry#PENDING} stored under the composite key
 * {@code draft/<commitment>}, never under the commitment itself: it is not anchored, so the commitment log has no
 * leaf of it, no receipt proves it and every reader of the commitment key finds nothing. Its {@code mspId} is the
 * issuing organisation it is drafted for, {@code draftedBy} the provider's organisation, {@code issuerId} the drafting
 * identity, {@code project} and {@code module} what it was drafted under. Its key-level endorsement policy is "a node
 * of the issuer", set by the provider's transaction that writes it: from then on only the issuer's nodes can change it.
 *
 * <p>Validation anchors the entry under the commitment (status {@value LedgerEntry#ACTIVE}, anchored by the
 * validating identity at the validation's time, still naming {@code draftedBy}, {@code project} and {@code module})
 * and deletes the draft key, in one transaction of the issuer. Rejection rewrites the draft with status
 * {@value LedgerEntry#REJECTED}, a reason code and the time; a rejected draft stays rejected.
 */
final class Drafting {
    /** The reason codes a rejection takes. */
    static final List<String> REJECTION_REASONS = List.of(
            "incomplete", "not_attended", "assessment_failed", "not_eligible", "wrong_module", "duplicate", "other");

    /** Object type of the draft keys, {@code draft/<commitment>}. */
    static final String TYPE = "draft";

    private Drafting() {}

    /** @return the draft key of {@code commitment} (64 lowercase hex digits) */
    static String key(String commitment) {
        return CompositeKey.NAMESPACE + TYPE + '\u0000' + commitment + '\u0000';
    }

    /** @return the stored draft of {@code commitment}, or null */
    static LedgerEntry find(ChaincodeStub stub, String commitment) {
        byte[] stored = stub.getState(key(commitment));
        return stored == null || stored.length == 0 ? null : EntryStore.entry(new String(stored, UTF_8));
    }

    /**
     * Drafts a batch for {@code issuer}; see {@code NotaryContract.draftBatch} for the outcomes.
     *
     * @throws ChaincodeException {@link ErrorCode#PERMISSION_DENIED} unless {@code issuer} has a delegation of
     *     {@code project} in force to the caller's organisation; {@link ErrorCode#INVALID_ARGUMENT} naming the
     *     malformed entries
     */
    static String draft(ChaincodeStub stub, Access caller, String issuer, String project, List<?> elements) {
        Delegations.requireCode(project, "project");
        List<AnchorRequest> requests = Anchoring.requests(elements, true);
        Delegation delegation = Delegations.find(stub, project, issuer, caller.mspId());
        if (delegation == null || !delegation.inForce()) {
            throw new ChaincodeException(
                    caller.mspId() + " has no delegation in force from " + Tokens.abbreviate(issuer) + " for project "
                            + project + (delegation == null ? "" : " (withdrawn at " + delegation.withdrawnAt() + ")"),
                    ErrorCode.PERMISSION_DENIED.name());
        }
        String at = stub.getTxTimestamp().toString();
        byte[] issuerPolicy = EntryStore.ownerPolicy(issuer);
        Set<String> inBatch = new HashSet<>();
        Outcomes outcomes = new Outcomes(elements.size());
        for (AnchorRequest request : requests) {
            String commitment = request.commitment();
            LedgerEntry draft = inBatch.contains(commitment) ? null : find(stub, commitment);
            byte[] anchored = stub.getState(commitment);
            if (!delegation.modules().contains(request.module())) {
                outcomes.add(
                        commitment,
                        "REFUSED",
                        "module " + request.module() + " of project " + project + " is not delegated to "
                                + caller.mspId() + " (delegated: " + delegation.modules() + ")");
            } else if (anchored != null && anchored.length > 0) {
                outcomes.add(
                        commitment,
                        "CONFLICT",
                        "already anchored by "
                                + EntryStore.entry(new String(anchored, UTF_8)).mspId());
            } else if (inBatch.contains(commitment)) {
                outcomes.already(commitment, "ALREADY_DRAFTED", "drafted earlier in this batch");
            } else if (draft != null) {
                boolean same = issuer.equals(draft.mspId()) && caller.mspId().equals(draft.draftedBy());
                if (same && draft.status().equals(LedgerEntry.PENDING)) {
                    outcomes.already(commitment, "ALREADY_DRAFTED", "already drafted, pending validation");
                } else {
                    outcomes.add(
                            commitment,
                            "CONFLICT",
                            "already drafted by " + draft.draftedBy() + " for " + draft.mspId() + ", "
                                    + draft.status());
                }
            } else {
                LedgerEntry entry = request.entry(issuer, caller.issuerId(), at)
                        .draft(caller.mspId(), caller.issuerId(), project, request.module(), at);
                String draftKey = key(commitment);
                stub.putState(draftKey, entry.toJson().getBytes(UTF_8));
                stub.setStateValidationParameter(draftKey, issuerPolicy);
                inBatch.add(commitment);
                outcomes.done(commitment, "DRAFTED");
            }
        }
        return outcomes.answer("alreadyDrafted", "drafted");
    }

    /** Validates drafts of the caller's organisation; see {@code NotaryContract.validateDrafts}. */
    static String validate(ChaincodeStub stub, Access caller, String project, List<?> elements) {
        Delegations.requireCode(project, "project");
        List<String> commitments = commitments(elements);
        String at = stub.getTxTimestamp().toString();
        Set<String> inBatch = new HashSet<>();
        Outcomes outcomes = new Outcomes(commitments.size());
        for (String commitment : commitments) {
            if (!inBatch.add(commitment)) {
                outcomes.already(commitment, "ALREADY_VALIDATED", "validated earlier in this batch");
                continue;
            }
            LedgerEntry draft = find(stub, commitment);
            byte[] anchored = stub.getState(commitment);
            LedgerEntry entry =
                    anchored == null || anchored.length == 0 ? null : EntryStore.entry(new String(anchored, UTF_8));
            if (draft == null && entry != null && entry.draftedBy() != null && caller.reaches(entry)) {
                outcomes.already(commitment, "ALREADY_VALIDATED", "validated, anchored at " + entry.anchoredAt());
                continue;
            }
            String refusal = refusal(caller, project, commitment, draft);
            if (refusal == null && entry != null) {
                refusal = "already anchored by " + entry.mspId();
            }
            if (refusal != null) {
                outcomes.add(commitment, "REFUSED", refusal);
                continue;
            }
            EntryStore.create(stub, draft.validated(caller.issuerId(), at));
            stub.delState(key(commitment));
            outcomes.done(commitment, "VALIDATED");
        }
        return outcomes.answer("alreadyValidated", "validated");
    }

    /** Rejects drafts of the caller's organisation; see {@code NotaryContract.rejectDrafts}. */
    static String reject(ChaincodeStub stub, Access caller, String project, List<?> elements) {
        Delegations.requireCode(project, "project");
        String[][] requests = new String[elements.size()][];
        for (int i = 0; i < elements.size(); i++) {
            requests[i] = rejection(i, elements.get(i));
        }
        String at = stub.getTxTimestamp().toString();
        Set<String> inBatch = new HashSet<>();
        Outcomes outcomes = new Outcomes(requests.length);
        for (String[] request : requests) {
            String commitment = request[0];
            LedgerEntry draft = find(stub, commitment);
            boolean rejected = draft != null
                    && LedgerEntry.REJECTED.equals(draft.status())
                    && caller.mspId().equals(draft.mspId());
            String refusal = refusal(caller, project, commitment, draft);
            if (inBatch.contains(commitment) || rejected) {
                outcomes.already(commitment, "ALREADY_REJECTED", "already rejected");
            } else if (refusal != null) {
                outcomes.add(commitment, "REFUSED", refusal);
            } else {
                stub.putState(
                        key(commitment), draft.rejected(request[1], at).toJson().getBytes(UTF_8));
                inBatch.add(commitment);
                outcomes.done(commitment, "REJECTED");
            }
        }
        return outcomes.answer("alreadyRejected", "rejected");
    }

    /** @return why the caller may not validate or reject {@code draft}, or null if it may (a rejected one: reject) */
    private static String refusal(Access caller, String project, String commitment, LedgerEntry draft) {
        if (draft == null) {
            return "no draft of " + commitment;
        }
        if (!caller.mspId().equals(draft.mspId())) {
            return "drafted for " + draft.mspId() + ": only " + draft.mspId() + " can validate or reject it";
        }
        if (!project.equals(draft.project())) {
            return "a draft of project " + draft.project() + ", not " + project;
        }
        if (LedgerEntry.REJECTED.equals(draft.status())) {
            return "rejected at " + draft.rejectedAt() + ", reason " + draft.rejectionReason();
        }
        return null;
    }

    private static List<String> commitments(List<?> elements) {
        String[] commitments = new String[elements.size()];
        for (int i = 0; i < commitments.length; i++) {
            String commitment = elements.get(i) instanceof String s ? Tokens.lowerHex64(s) : null;
            if (commitment == null) {
                throw Arguments.invalid("commitment " + i + " is not 64 hexadecimal digits; nothing validated");
            }
            commitments[i] = commitment;
        }
        return List.of(commitments);
    }

    /** @return {commitment, reason code} of element {@code i} */
    private static String[] rejection(int i, Object element) {
        return Arguments.coded(i, element, "rejection", REJECTION_REASONS, "nothing rejected");
    }

    /** The per-element outcomes of a batch, in input order, and their counts. */
    private static final class Outcomes {
        private final StringBuilder results;
        private int done;
        private int already;

        Outcomes(int size) {
            results = new StringBuilder(size * 96 + 2).append('[');
        }

        void add(String commitment, String outcome, String reason) {
            if (results.length() > 1) {
                results.append(',');
            }
            Anchoring.result(results, commitment, outcome, reason);
        }

        void done(String commitment, String outcome) {
            add(commitment, outcome, null);
            done++;
        }

        void already(String commitment, String outcome, String reason) {
            add(commitment, outcome, reason);
            already++;
        }

        String answer(String alreadyName, String doneName) {
            results.append(']');
            Map<String, Object> answer = new TreeMap<>();
            answer.put(alreadyName, already);
            answer.put(doneName, done);
            answer.put("results", new Json.Raw(results.toString()));
            return Json.write(answer);
        }
    }
}
