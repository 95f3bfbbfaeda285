package dev.dossier.chaincode;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.dossier.common.entry.LedgerEntry;
import dev.dossier.common.json.Json;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hyperledger.fabric.shim.ChaincodeException;
import org.hyperledger.fabric.shim.ChaincodeStub;

/** Revocations in bulk, once the caller may revoke: see {@code NotaryContract.revokeBatch} for the outcomes. */
final class Revoking {
    private Revoking() {}

    /**
     * @param elements the parsed array of {@code {"commitment":"<64 hex>","reason":"<code>"}}
     * @return the outcomes as JSON
     * @throws ChaincodeException {@link ErrorCode#INVALID_ARGUMENT} naming the first malformed element: then nothing is
     *     revoked
     */
    static String batch(ChaincodeStub stub, Access caller, List<?> elements) {
        String[][] requests = new String[elements.size()][];
        for (int i = 0; i < elements.size(); i++) {
            requests[i] = request(i, elements.get(i));
        }
        String at = stub.getTxTimestamp().toString();
        Set<String> revokedInBatch = new HashSet<>();
        StringBuilder results = new StringBuilder(elements.size() * 96 + 2).append('[');
        int revoked = 0;
        int already = 0;
        for (String[] request : requests) {
            if (results.length() > 1) {
                results.append(',');
            }
            String commitment = request[0];
            byte[] stored = stub.getState(commitment);
            LedgerEntry entry =
                    stored == null || stored.length == 0 ? null : EntryStore.entry(new String(stored, UTF_8));
            String outcome;
            String why = null;
            if (entry == null) {
                outcome = "REFUSED";
                why = "entry " + commitment + " is not anchored";
            } else if (!caller.reaches(entry)) {
                outcome = "REFUSED";
                why = "entry " + commitment + " is of " + entry.mspId() + ": only its organisation can revoke it";
            } else if (LedgerEntry.REVOKED.equals(entry.status()) || !revokedInBatch.add(commitment)) {
                outcome = "ALREADY_REVOKED";
                already++;
            } else {
                EntryStore.write(stub, entry.revoked(request[1], at));
                outcome = "REVOKED";
                revoked++;
            }
            Json.object(results)
                    .add("commitment", commitment)
                    .add("outcome", outcome)
                    .add("reason", why)
                    .end();
        }
        results.append(']');
        StringBuilder out = new StringBuilder(results.length() + 64);
        Json.object(out)
                .add("alreadyRevoked", already)
                .add("results", new Json.Raw(results.toString()))
                .add("revoked", revoked)
                .end();
        return out.toString();
    }

    /** @return {commitment, reason code} of element {@code i} */
    private static String[] request(int i, Object element) {
        return Arguments.coded(i, element, "revocation", NotaryContract.REVOCATION_REASONS, "nothing revoked");
    }
}
