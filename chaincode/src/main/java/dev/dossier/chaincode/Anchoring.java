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
     * @return the outcomes as JSON
     * @throws ChaincodeException {@link ErrorCode#INVALID_ARGUMENT} naming the malformed entries, if there is any:
     *     then nothing is anchored
     */
    static String batch(ChaincodeStub stub, Access caller, List<?> elements) {
        List<AnchorRequest> requests = requests(elements);
        String mspId = caller.mspId();
        String issuerId = caller.issuerId();
        String at = stub.getTxTimestamp().toString();
        Map<String, String> ownerInBatch = new HashMap<>(elements.size() * 2);
        StringBuilder results = new StringBuilder(elements.size() * 96 + 2).append('[');
        int anchored = 0;
        int already = 0;
        for (int i = 0; i < elements.size(); i++) {
            if (i > 0) {
                results.append(',');
            }
            AnchorRequest request = requests.get(i);
            String commitment = request.commitment();
            String owner = ownerInBatch.get(commitment);
            if (owner == null) {
                byte[] existing = stub.getState(commitment);
                if (existing == null || existing.length == 0) {
                    EntryStore.create(stub, request.entry(mspId, issuerId, at));
                    ownerInBatch.put(commitment, mspId);
                    anchored++;
                    result(results, commitment, "ANCHORED", null);
                    continue;
                }
                owner = EntryStore.entry(new String(existing, UTF_8)).mspId();
                ownerInBatch.put(commitment, owner);
            }
            if (owner.equals(mspId)) {
                already++;
                result(results, commitment, "ALREADY_ANCHORED", "already anchored by " + owner);
            } else {
                result(results, commitment, "CONFLICT", "already anchored by " + owner);
            }
        }
        results.append(']');
        StringBuilder out = new StringBuilder(results.length() + 64);
        Json.object(out)
                .add("alreadyAnchored", already)
                .add("anchored", anchored)
                .add("results", new Json.Raw(results.toString()))
                .end();
        return out.toString();
    }

    /** @throws ChaincodeException INVALID_ARGUMENT naming the malformed entries, if there is any */
    private static List<AnchorRequest> requests(List<?> elements) {
        List<AnchorRequest> requests = new ArrayList<>(elements.size());
        StringBuilder errors = new StringBuilder();
        int bad = 0;
        for (int i = 0; i < elements.size(); i++) {
            try {
                requests.add(AnchorRequest.of(elements.get(i)));
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
            throw Arguments.invalid(bad + " malformed entr" + (bad == 1 ? "y" : "ies") + ", nothing anchored: " + errors
                    + (bad > MAX_ERRORS_NAMED ? "; and " + (bad - MAX_ERRORS_NAMED) + " more" : ""));
        }
        return requests;
    }

    private static void result(StringBuilder results, String commitment, String outcome, String reason) {
        Json.object(results)
                .add("commitment", commitment == null ? null : Tokens.abbreviate(commitment))
                .add("outcome", outcome)
                .add("reason", reason)
                .end();
    }
}
