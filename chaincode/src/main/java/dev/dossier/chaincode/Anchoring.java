package dev.dossier.chaincode;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.dossier.common.entry.LedgerEntry;
import dev.dossier.common.json.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hyperledger.fabric.shim.ChaincodeException;
import org.hyperledger.fabric.shim.ChaincodeStub;

/**
 * Anchoring for the caller's organisation, one entry or a batch, once the caller may anchor: a commitment not yet
 * anchored gets a new entry; one the same organisation anchored is left as it is (a re-run of an upload is
 * harmless); one another organisation anchored is refused (one entry) or reported as a conflict (a batch).
 */
final class Anchoring {
    /** Name of the event a new single entry emits (see {@code NotaryContract.ANCHORED_EVENT}). */
    static final String ANCHORED_EVENT = "Anchored";

    private static final String NOT_A_DRAFT = "module is a draft's member: a provider drafts with draftBatch";

    /** Errors named in a refused batch's message, at most; the count of the others follows. */
    private static final int MAX_ERRORS_NAMED = 10;

    private Anchoring() {}

    /**
     * Anchors one entry and emits {@link #ANCHORED_EVENT} when it is new.
     *
     * @return the stored entry's JSON, new or existing
     * @throws ChaincodeException {@link ErrorCode#ALREADY_ANCHORED} if another organisation anchored the commitment
     */
    static String one(ChaincodeStub stub, Access caller, AnchorRequest request) {
        if (request.module() != null) {
            throw Arguments.invalid(NOT_A_DRAFT);
        }
        if (request.supersedes() != null) {
            throw Arguments.invalid("anchorRecord takes no supersedes: anchor a correction with anchorBatch");
        }
        String commitment = request.commitment();
        byte[] existing = stub.getState(commitment);
        if (existing != null && existing.length > 0) {
            String json = new String(existing, UTF_8);
            String owner = EntryStore.entry(json).mspId();
            if (owner.equals(caller.mspId())) {
                return json;
            }
            throw new ChaincodeException(
                    "commitment " + commitment + " is already anchored by " + owner, ErrorCode.ALREADY_ANCHORED.name());
        }
        LedgerEntry entry = request.entry(
                caller.mspId(), caller.issuerId(), stub.getTxTimestamp().toString());
        String json = EntryStore.create(stub, entry);
        stub.setEvent(ANCHORED_EVENT, commitment.getBytes(UTF_8));
        return json;
    }

    /**
     * Anchors a batch of parsed entry objects; see {@code NotaryContract.anchorBatch} for the outcomes.
     *
     * @param superseder the caller as allowed to supersede ({@code revoke} permission), or null if the caller may not:
     *     then a correction is refused for the whole batch
     * @return the outcomes as JSON
     * @throws ChaincodeException {@link ErrorCode#INVALID_ARGUMENT} naming the malformed entries, if there is any:
     *     then nothing is anchored; {@link ErrorCode#PERMISSION_DENIED} if an entry supersedes another and
     *     {@code superseder} is null
     */
    static String batch(ChaincodeStub stub, Access caller, Access superseder, List<?> elements) {
        List<AnchorRequest> requests = requests(elements, false);
        Batch batch = new Batch(stub, caller, superseder, elements.size());
        for (int i = 0; i < elements.size(); i++) {
            batch.add(requests.get(i));
        }
        return batch.answer();
    }

    /** One {@code anchorBatch} call: its outcomes so far, and what it wrote, which its own reads do not see. */
    private static final class Batch {
        private final ChaincodeStub stub;
        private final Access caller;
        private final Access superseder;
        private final String at;
        private final Map<String, String> ownerInBatch;
        private final Map<String, String> supersededInBatch = new HashMap<>();
        private final StringBuilder results;
        private int anchored;
        private int already;
        private int superseded;

        Batch(ChaincodeStub stub, Access caller, Access superseder, int size) {
            this.stub = stub;
            this.caller = caller;
            this.superseder = superseder;
            this.at = stub.getTxTimestamp().toString();
            this.ownerInBatch = new HashMap<>(size * 2);
            this.results = new StringBuilder(size * 96 + 2).append('[');
        }

        void add(AnchorRequest request) {
            if (results.length() > 1) {
                results.append(',');
            }
            String mspId = caller.mspId();
            String commitment = request.commitment();
            String owner = ownerInBatch.get(commitment);
            LedgerEntry existing = null;
            if (owner == null) {
                byte[] stored = stub.getState(commitment);
                if (stored == null || stored.length == 0) {
                    if (request.supersedes() == null) {
                        EntryStore.create(stub, request.entry(mspId, caller.issuerId(), at));
                        ownerInBatch.put(commitment, mspId);
                        anchored++;
                        result(results, commitment, "ANCHORED", null);
                    } else {
                        correct(request, null);
                    }
                    return;
                }
                existing = EntryStore.entry(new String(stored, UTF_8));
                owner = existing.mspId();
                ownerInBatch.put(commitment, owner);
            }
            if (!owner.equals(mspId)) {
                result(results, commitment, "CONFLICT", "already anchored by " + owner);
            } else if (request.supersedes() == null) {
                already++;
                result(results, commitment, "ALREADY_ANCHORED", "already anchored by " + owner);
            } else if (existing != null && request.supersedes().equals(existing.supersedes())) {
                already++;
                result(results, commitment, "ALREADY_SUPERSEDED", "already supersedes " + existing.supersedes());
            } else if (existing != null && existing.active() && existing.supersedes() == null) {
                correct(request, existing); // anchored before without the link: the link alone
            } else {
                result(
                        results,
                        commitment,
                        "REFUSED",
                        "already anchored, and not as a correction of " + request.supersedes());
            }
        }

        /**
         * Anchors a correction and marks the entry it supersedes superseded by it, or refuses it with the reason,
         * writing nothing.
         *
         * @param existing the correction's entry when it was anchored before without a link, else null (a new one)
         */
        private void correct(AnchorRequest request, LedgerEntry existing) {
            String commitment = request.commitment();
            String oldCommitment = request.supersedes();
            if (superseder == null) {
                throw new IllegalStateException("a correction without the permission to supersede");
            }
            String refusal = null;
            LedgerEntry old = null;
            byte[] stored = stub.getState(oldCommitment);
            if (supersededInBatch.containsKey(oldCommitment)) {
                refusal = "entry " + oldCommitment + " is superseded by " + supersededInBatch.get(oldCommitment)
                        + " earlier in this batch";
            } else if (stored == null || stored.length == 0) {
                refusal = "entry " + oldCommitment + " is not anchored";
            } else {
                old = EntryStore.entry(new String(stored, UTF_8));
                if (!superseder.reaches(old)) {
                    refusal = "entry " + oldCommitment + " is of " + old.mspId() + ": only its organisation can"
                            + " supersede it";
                } else if (!old.active()) {
                    refusal = "entry " + oldCommitment + " is " + old.status() + ", not active";
                }
            }
            if (refusal != null) {
                result(results, commitment, "REFUSED", refusal);
                return;
            }
            if (existing == null) {
                EntryStore.create(stub, request.entry(caller.mspId(), caller.issuerId(), at));
                ownerInBatch.put(commitment, caller.mspId());
            } else {
                EntryStore.write(stub, existing.superseding(oldCommitment));
            }
            EntryStore.write(stub, old.supersededBy(commitment));
            supersededInBatch.put(oldCommitment, commitment);
            anchored += existing == null ? 1 : 0;
            superseded++;
            result(results, commitment, "SUPERSEDED", null);
        }

        String answer() {
            results.append(']');
            StringBuilder out = new StringBuilder(results.length() + 80);
            Json.object(out)
                    .add("alreadyAnchored", already)
                    .add("anchored", anchored)
                    .add("results", new Json.Raw(results.toString()))
                    .add("superseded", superseder == null ? null : superseded)
                    .end();
            return out.toString();
        }
    }

    /**
     * @param drafts whether the entries are drafts, which name their module and correct nothing, or entries to anchor,
     *     which name no module
     * @throws ChaincodeException INVALID_ARGUMENT naming the malformed entries, if there is any
     */
    static List<AnchorRequest> requests(List<?> elements, boolean drafts) {
        List<AnchorRequest> requests = new ArrayList<>(elements.size());
        StringBuilder errors = new StringBuilder();
        int bad = 0;
        for (int i = 0; i < elements.size(); i++) {
            try {
                AnchorRequest request = AnchorRequest.of(elements.get(i));
                if (drafts && request.module() == null) {
                    throw new AnchorRequest.Invalid("a draft must name its module");
                }
                if (drafts && request.supersedes() != null) {
                    throw new AnchorRequest.Invalid("a draft corrects nothing: its issuer corrects validated entries");
                }
                if (!drafts && request.module() != null) {
                    throw new AnchorRequest.Invalid(NOT_A_DRAFT);
                }
                requests.add(request);
            } catch (AnchorRequest.Invalid e) {
                if (bad++ < MAX_ERRORS_NAMED) {
                    errors.append(bad == 1 ? "" : "; ")
                            .append("entry ")
                            .append(i)
                            .append(": ")
                            .append(e.getMessage());
                }
            }
        }
        if (bad > 0) {
            throw Arguments.invalid(bad + " malformed entr" + (bad == 1 ? "y" : "ies") + ", nothing "
                    + (drafts ? "drafted" : "anchored") + ": " + errors
                    + (bad > MAX_ERRORS_NAMED ? "; and " + (bad - MAX_ERRORS_NAMED) + " more" : ""));
        }
        return requests;
    }

    static void result(StringBuilder results, String commitment, String outcome, String reason) {
        Json.object(results)
                .add("commitment", commitment == null ? null : Tokens.abbreviate(commitment))
                .add("outcome", outcome)
                .add("reason", reason)
                .end();
    }
}
