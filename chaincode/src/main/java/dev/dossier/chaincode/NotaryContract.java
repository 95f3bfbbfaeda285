package dev.dossier.chaincode;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.hyperledger.fabric.contract.Context;
import org.hyperledger.fabric.contract.ContractInterface;
import org.hyperledger.fabric.contract.annotation.Contract;
import org.hyperledger.fabric.contract.annotation.Default;
import org.hyperledger.fabric.contract.annotation.Info;
import org.hyperledger.fabric.contract.annotation.Transaction;
import org.hyperledger.fabric.shim.ChaincodeException;
import org.hyperledger.fabric.shim.ChaincodeStub;
import org.hyperledger.fabric.shim.ledger.KeyModification;
import org.hyperledger.fabric.shim.ledger.QueryResultsIterator;
import org.json.JSONException;
import org.json.JSONObject;

/**
 * Anchors commitments on the ledger. A commitment is the SHA-256 of a salted, canonicalised training record or
 * document, written as 64 hexadecimal digits (either case is accepted; the ledger key is the lowercase form). The
 * entry stored under it holds no personal data:
 *
 * <pre>{@code
 * {"anchoredAt":"2025-03-01T09:30:00Z","commitment":"<64 hex>","kind":"record","mspId":"Org1MSP","status":"active"}
 * }</pre>
 *
 * <p>Keys are sorted and there is no whitespace, so every endorser writes the same bytes; {@code anchoredAt} is the
 * transaction timestamp (ISO-8601, UTC), never the endorser's clock. Business errors are {@link ChaincodeException}s
 * whose payload is an {@link ErrorCode} name.
 *
 * <p>Example, with the Fabric Gateway client: {@code contract.submitTransaction("anchor", commitmentHex, "record")}.
 */
@Contract(
        name = "notary",
        info = @Info(
                title = "Dossier notary",
                description = "Anchors commitments of training records and documents and reports their status",
                version = "0.1.0"))
@Default
public final class NotaryContract implements ContractInterface {
    /** Name of the event emitted by {@link #anchor}; its payload is the commitment in lowercase hex (UTF-8). */
    public static final String ANCHORED_EVENT = "Anchored";

    private static final Pattern COMMITMENT = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern KIND = Pattern.compile("[a-z][a-z0-9._-]{0,31}");
    private static final String STATUS_ACTIVE = "active";

    /**
     * Anchors a commitment for the caller's organisation (the MSP id of the submitting identity). Anchoring a
     * commitment the same organisation already anchored changes nothing and returns the existing entry, so a re-run
     * of an upload is harmless.
     *
     * @param ctx the transaction context
     * @param commitmentHex the commitment, 64 hexadecimal digits
     * @param kind what the commitment is of, a short lowercase token such as {@code record} or {@code document}
     *     ({@code [a-z][a-z0-9._-]{0,31}}; never free text)
     * @return the stored entry as JSON
     * @throws ChaincodeException {@link ErrorCode#INVALID_ARGUMENT} if the commitment or kind is malformed,
     *     {@link ErrorCode#ALREADY_ANCHORED} if another organisation anchored the commitment
     */
    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String anchor(final Context ctx, final String commitmentHex, final String kind) {
        String commitment = normaliseCommitment(commitmentHex);
        if (kind == null || !KIND.matcher(kind).matches()) {
            throw new ChaincodeException(
                    "kind must match " + KIND.pattern() + ", got '" + abbreviate(kind) + "'",
                    ErrorCode.INVALID_ARGUMENT.name());
        }
        ChaincodeStub stub = ctx.getStub();
        String mspId = ctx.getClientIdentity().getMSPID();

        byte[] existing = stub.getState(commitment);
        if (existing != null && existing.length > 0) {
            String json = new String(existing, UTF_8);
            String owner = new JSONObject(json).optString("mspId");
            if (owner.equals(mspId)) {
                return json;
            }
            throw new ChaincodeException(
                    "commitment " + commitment + " is already anchored by " + owner,
                    ErrorCode.ALREADY_ANCHORED.name());
        }

        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("anchoredAt", stub.getTxTimestamp().toString());
        entry.put("commitment", commitment);
        entry.put("kind", kind);
        entry.put("mspId", mspId);
        entry.put("status", STATUS_ACTIVE);
        String json = Json.write(entry);
        stub.putState(commitment, json.getBytes(UTF_8));
        stub.setEvent(ANCHORED_EVENT, commitment.getBytes(UTF_8));
        return json;
    }

    /**
     * Returns the entry of a commitment.
     *
     * @param ctx the transaction context
     * @param commitmentHex the commitment, 64 hexadecimal digits
     * @return the stored entry as JSON (see the class documentation)
     * @throws ChaincodeException {@link ErrorCode#INVALID_ARGUMENT} if the commitment is malformed,
     *     {@link ErrorCode#NOT_FOUND} if it was never anchored
     */
    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String status(final Context ctx, final String commitmentHex) {
        String commitment = normaliseCommitment(commitmentHex);
        byte[] value = ctx.getStub().getState(commitment);
        if (value == null || value.length == 0) {
            throw new ChaincodeException(
                    "commitment " + commitment + " is not anchored", ErrorCode.NOT_FOUND.name());
        }
        return new String(value, UTF_8);
    }

    /**
     * Returns every committed change of a commitment's entry, newest first, as a JSON array of objects
     * {@code {"delete":false,"timestamp":"<ISO-8601>","txId":"<id>","value":{<entry>}}} ({@code value} is
     * {@code null} for a deletion). A commitment never anchored has an empty history, {@code []}.
     *
     * @param ctx the transaction context
     * @param commitmentHex the commitment, 64 hexadecimal digits
     * @return the history as JSON
     * @throws ChaincodeException {@link ErrorCode#INVALID_ARGUMENT} if the commitment is malformed
     */
    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String history(final Context ctx, final String commitmentHex) {
        String commitment = normaliseCommitment(commitmentHex);
        List<Map<String, Object>> changes = new ArrayList<>();
        try (QueryResultsIterator<KeyModification> it = ctx.getStub().getHistoryForKey(commitment)) {
            for (KeyModification m : it) {
                Map<String, Object> change = new LinkedHashMap<>();
                change.put("delete", m.isDeleted());
                change.put("timestamp", m.getTimestamp() == null ? null : m.getTimestamp().toString());
                change.put("txId", m.getTxId());
                change.put("value", m.isDeleted() ? null : parseEntry(m.getStringValue()));
                changes.add(change);
            }
        }
        return Json.write(changes);
    }

    private static Object parseEntry(final String json) {
        try {
            return new JSONObject(json);
        } catch (JSONException e) {
            return json; // not written by this contract: reported as it is
        }
    }

    private static String normaliseCommitment(final String commitmentHex) {
        if (commitmentHex == null || !COMMITMENT.matcher(commitmentHex).matches()) {
            throw new ChaincodeException(
                    "commitment must be 64 hexadecimal digits, got '" + abbreviate(commitmentHex) + "'",
                    ErrorCode.INVALID_ARGUMENT.name());
        }
        return commitmentHex.toLowerCase(Locale.ROOT);
    }

    private static String abbreviate(final String s) {
        if (s == null) {
            return "null";
        }
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
