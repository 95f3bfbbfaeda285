package dev.dossier.chaincode;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.dossier.chaincode.Policy.Permission;
import dev.dossier.chaincode.Policy.Scope;
import dev.dossier.common.entry.LedgerEntry;
import dev.dossier.common.json.Json;
import dev.dossier.common.json.JsonReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.hyperledger.fabric.contract.Context;
import org.hyperledger.fabric.contract.ContractInterface;
import org.hyperledger.fabric.contract.annotation.Contract;
import org.hyperledger.fabric.contract.annotation.Default;
import org.hyperledger.fabric.contract.annotation.Info;
import org.hyperledger.fabric.contract.annotation.Transaction;
import org.hyperledger.fabric.shim.ChaincodeException;
import org.hyperledger.fabric.shim.ChaincodeStub;
import org.hyperledger.fabric.shim.ext.sbe.StateBasedEndorsement;
import org.hyperledger.fabric.shim.ext.sbe.impl.StateBasedEndorsementFactory;
import org.hyperledger.fabric.shim.ledger.CompositeKey;
import org.hyperledger.fabric.shim.ledger.KeyModification;
import org.hyperledger.fabric.shim.ledger.KeyValue;
import org.hyperledger.fabric.shim.ledger.QueryResultsIterator;

/**
 * Anchors commitments on the ledger under the consortium's role policy. A commitment is the SHA-256 of a salted,
 * canonicalised training record or document, written as 64 hexadecimal digits (either case is accepted; the ledger
 * key is the lowercase form). The {@link LedgerEntry entry} stored under it holds no personal data:
 *
 * <pre>{@code
 * {"anchoredAt":"2025-03-01T09:30:00Z","commitment":"<64 hex>","issuerId":"CN=Issuer@org1.dossier.local,...",
 *  "kind":"record","mspId":"Org1MSP","schemaVersion":1,"status":"active","subject":"<64 hex>",
 *  "validUntil":"2030-06-30"}
 * }</pre>
 *
 * <p>Keys are sorted and there is no whitespace, so every endorser writes the same bytes; times are the transaction
 * timestamp (ISO-8601, UTC), never the endorser's clock. An entry with a subject pseudonym is also indexed under the
 * composite key {@code subject/<pseudonym>/<mspId>/<commitment>} for {@link #dossier} queries.
 *
 * <p><b>Roles.</b> Every function first checks the caller's role ({@code dossier.role} certificate attribute) and
 * organisation against the {@link Policy role policy} in force, and refuses with {@link ErrorCode#PERMISSION_DENIED}
 * and a message naming role, organisation and function, before writing anything. {@link #getPolicy} and
 * {@link #getPolicyProposal} are open to every identity of a member organisation.
 *
 * <p>Business errors are {@link ChaincodeException}s whose payload is an {@link ErrorCode} name.
 *
 * <p>Example, with the Fabric Gateway client: {@code contract.submitTransaction("anchor", commitmentHex, "record")}.
 */
@Contract(
        name = "notary",
        info =
                @Info(
                        title = "Dossier notary",
                        description = "Anchors commitments of training records and documents under a role policy",
                        version = "0.2.0"))
@Default
public final class NotaryContract implements ContractInterface {
    /** Name of the event emitted by the single-entry anchor functions; payload: the commitment (UTF-8 hex). */
    public static final String ANCHORED_EVENT = "Anchored";
    /** Name of the event emitted by {@link #revoke}; payload: the commitment. */
    public static final String REVOKED_EVENT = "Revoked";
    /** Name of the event emitted by {@link #supersede}; payload: the superseded commitment. */
    public static final String SUPERSEDED_EVENT = "Superseded";
    /** The most entries one {@link #anchorBatch} transaction takes. */
    public static final int MAX_BATCH = 5000;
    /** The revocation reason codes {@link #revoke} accepts. */
    public static final List<String> REVOCATION_REASONS =
            List.of("issued_in_error", "fraud", "withdrawn", "accreditation_withdrawn", "other");

    /** Object type of the subject index's composite keys: {@code subject/<pseudonym>/<mspId>/<commitment>}. */
    static final String SUBJECT_INDEX = "subject";

    private static final byte[] INDEX_VALUE = {0};

    /**
     * Anchors a commitment for the caller's organisation, with schema version 1, no expiry and no subject. Anchoring
     * a commitment the same organisation already anchored changes nothing and returns the existing entry, so a re-run
     * of an upload is harmless.
     *
     * @param ctx the transaction context
     * @param commitmentHex the commitment, 64 hexadecimal digits
     * @param kind what the commitment is of, a short lowercase token such as {@code record} or {@code document}
     *     ({@value Tokens#KIND_RULE}; never free text)
     * @return the stored entry as JSON
     * @throws ChaincodeException {@link ErrorCode#PERMISSION_DENIED} if the caller's role may not anchor,
     *     {@link ErrorCode#INVALID_ARGUMENT} if the commitment or kind is malformed, {@link ErrorCode#ALREADY_ANCHORED}
     *     if another organisation anchored the commitment
     */
    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String anchor(final Context ctx, final String commitmentHex, final String kind) {
        Access caller = access(ctx, Permission.ANCHOR, "anchor");
        Map<String, Object> request = new HashMap<>();
        request.put("commitment", commitmentHex);
        request.put("kind", kind);
        return anchorOne(ctx, caller, request(request));
    }

    /**
     * Anchors one commitment with all its metadata: the single-entry form of {@link #anchorBatch} (the contract API
     * routes by name only, so optional arguments come as one JSON object rather than as overloads of
     * {@link #anchor}). Idempotent for the same organisation, as {@link #anchor}.
     *
     * @param ctx the transaction context
     * @param entryJson {@code {"commitment":"<64 hex>","kind":"record","schemaVersion":1,"validUntil":"YYYY-MM-DD",
     *     "subject":"<64 hex>"}} (see {@link AnchorRequest}; schemaVersion, validUntil and subject are optional)
     * @return the stored entry as JSON
     * @throws ChaincodeException {@link ErrorCode#PERMISSION_DENIED}, {@link ErrorCode#INVALID_ARGUMENT} or
     *     {@link ErrorCode#ALREADY_ANCHORED}, as {@link #anchor}
     */
    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String anchorRecord(final Context ctx, final String entryJson) {
        Access caller = access(ctx, Permission.ANCHOR, "anchorRecord");
        return anchorOne(ctx, caller, request(parseArgument(entryJson, "entry")));
    }

    /**
     * Anchors up to {@value #MAX_BATCH} commitments for the caller's organisation in one transaction. Each element of
     * the array is an {@link AnchorRequest} object. Per entry the outcome is {@code ANCHORED} (written),
     * {@code ALREADY_ANCHORED} (by the caller's organisation, before or earlier in this batch: nothing written) or
     * {@code CONFLICT} (anchored by another organisation: nothing written); only the last two carry a {@code reason}.
     * No event is emitted: the write set names the entries.
     *
     * <p>A malformed entry (a bad commitment, an unknown member such as a name, a value of the wrong form) fails the
     * whole call at endorsement, naming each bad entry by its index: a refused transaction never reaches a block, so
     * whatever a misbehaving client put in the argument stays off the ledger.
     *
     * <pre>{@code
     * {"alreadyAnchored":1,"anchored":1,"results":[{"commitment":"<hex>","outcome":"ANCHORED"},
     *  {"commitment":"<hex>","outcome":"ALREADY_ANCHORED","reason":"already anchored by Org1MSP"}]}
     * }</pre>
     *
     * <p>Results are in input order; {@code commitment} is the lowercase commitment.
     *
     * @param ctx the transaction context
     * @param entriesJson a JSON array of entry objects
     * @return the outcomes as JSON
     * @throws ChaincodeException {@link ErrorCode#PERMISSION_DENIED} if the caller's role may not anchor,
     *     {@link ErrorCode#INVALID_ARGUMENT} if the argument is not a JSON array, has more than {@value #MAX_BATCH}
     *     elements, or an element is not a valid entry
     */
    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String anchorBatch(final Context ctx, final String entriesJson) {
        Access caller = access(ctx, Permission.ANCHOR, "anchorBatch");
        if (!(parseArgument(entriesJson, "entries") instanceof List<?> elements)) {
            throw invalid("entries must be a JSON array of entry objects");
        }
        if (elements.size() > MAX_BATCH) {
            throw invalid("a batch holds at most " + MAX_BATCH + " entries, got " + elements.size());
        }
        List<AnchorRequest> requests = requests(elements);
        ChaincodeStub stub = ctx.getStub();
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
                    create(stub, request.entry(mspId, issuerId, at));
                    ownerInBatch.put(commitment, mspId);
                    anchored++;
                    result(results, commitment, "ANCHORED", null);
                    continue;
                }
                owner = storedEntry(new String(existing, UTF_8)).mspId();
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

    /** Errors named in a refused batch's message, at most; the count of the others follows. */
    private static final int MAX_ERRORS_NAMED = 10;

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
            throw invalid(bad + " malformed entr" + (bad == 1 ? "y" : "ies") + ", nothing anchored: " + errors
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

    /**
     * Revokes an entry of the caller's organisation (with the default policy) with a reason code. Revoking a revoked
     * entry changes nothing and returns it (the first reason stands). A superseded entry can still be revoked.
     *
     * @param ctx the transaction context
     * @param commitmentHex the commitment, 64 hexadecimal digits
     * @param reasonCode one of {@link #REVOCATION_REASONS}
     * @return the entry after revocation, as JSON
     * @throws ChaincodeException {@link ErrorCode#PERMISSION_DENIED} if the caller's role may not revoke, or not this
     *     entry; {@link ErrorCode#INVALID_ARGUMENT} for a malformed commitment or unknown reason;
     *     {@link ErrorCode#NOT_FOUND} if the commitment is not anchored
     */
    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String revoke(final Context ctx, final String commitmentHex, final String reasonCode) {
        Access caller = access(ctx, Permission.REVOKE, "revoke");
        String commitment = commitment(commitmentHex);
        if (!REVOCATION_REASONS.contains(reasonCode)) {
            throw invalid("reason code must be one of " + REVOCATION_REASONS + ", got '" + Tokens.abbreviate(reasonCode)
                    + "'");
        }
        ChaincodeStub stub = ctx.getStub();
        LedgerEntry entry = storedEntry(stored(stub, commitment));
        caller.requireReach(entry);
        if (LedgerEntry.REVOKED.equals(entry.status())) {
            return entry.toJson();
        }
        LedgerEntry revoked = entry.revoked(reasonCode, stub.getTxTimestamp().toString());
        write(stub, revoked);
        stub.setEvent(REVOKED_EVENT, commitment.getBytes(UTF_8));
        return revoked.toJson();
    }

    /**
     * Records that {@code newCommitment} replaces {@code oldCommitment} (a corrected or reissued record): the old
     * entry becomes {@code superseded} with {@code supersededBy}, the new one gets {@code supersedes}. Both must be
     * anchored, active and within the caller's reach (with the default policy: of the caller's organisation); the new
     * one is anchored first, in an earlier transaction. Repeating a supersession that was done changes nothing.
     *
     * @param ctx the transaction context
     * @param oldCommitmentHex the commitment replaced
     * @param newCommitmentHex the commitment replacing it
     * @return the superseded (old) entry, as JSON
     * @throws ChaincodeException {@link ErrorCode#PERMISSION_DENIED} if the caller's role may not supersede, or not
     *     these entries; {@link ErrorCode#INVALID_ARGUMENT} for malformed or equal commitments;
     *     {@link ErrorCode#NOT_FOUND} if either is not anchored; {@link ErrorCode#INVALID_STATE} if either is not
     *     active or the new one already replaces another
     */
    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String supersede(final Context ctx, final String oldCommitmentHex, final String newCommitmentHex) {
        Access caller = access(ctx, Permission.REVOKE, "supersede");
        String oldCommitment = commitment(oldCommitmentHex);
        String newCommitment = commitment(newCommitmentHex);
        if (oldCommitment.equals(newCommitment)) {
            throw invalid("a commitment cannot supersede itself");
        }
        ChaincodeStub stub = ctx.getStub();
        LedgerEntry old = storedEntry(stored(stub, oldCommitment));
        LedgerEntry replacement = storedEntry(stored(stub, newCommitment));
        caller.requireReach(old);
        caller.requireReach(replacement);
        if (newCommitment.equals(old.supersededBy())) {
            return old.toJson();
        }
        for (LedgerEntry e : List.of(old, replacement)) {
            if (!e.active()) {
                throw new ChaincodeException(
                        "entry " + e.commitment() + " is " + e.status() + ", not active",
                        ErrorCode.INVALID_STATE.name());
            }
        }
        if (replacement.supersedes() != null) {
            throw new ChaincodeException(
                    "entry " + newCommitment + " already supersedes " + replacement.supersedes(),
                    ErrorCode.INVALID_STATE.name());
        }
        LedgerEntry superseded = old.supersededBy(newCommitment);
        write(stub, superseded);
        write(stub, replacement.superseding(oldCommitment));
        stub.setEvent(SUPERSEDED_EVENT, oldCommitment.getBytes(UTF_8));
        return superseded.toJson();
    }

    /**
     * Returns the entry of a commitment. A caller whose role may not list this entry in a dossier gets it without the
     * subject pseudonym and the issuing person ({@code issuerId}): the organisation is what a verifier needs, and
     * nothing then links two entries of one worker.
     *
     * @param ctx the transaction context
     * @param commitmentHex the commitment, 64 hexadecimal digits
     * @return the stored entry as JSON (see the class documentation)
     * @throws ChaincodeException {@link ErrorCode#PERMISSION_DENIED} if the caller's role may not read it,
     *     {@link ErrorCode#INVALID_ARGUMENT} if the commitment is malformed, {@link ErrorCode#NOT_FOUND} if it was
     *     never anchored
     */
    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String status(final Context ctx, final String commitmentHex) {
        Access caller = access(ctx, Permission.STATUS, "status");
        LedgerEntry entry = storedEntry(stored(ctx.getStub(), commitment(commitmentHex)));
        if (caller.scope() != Scope.ANY) {
            caller.requireReach(entry);
        }
        return caller.show(entry);
    }

    /**
     * Returns every committed change of a commitment's entry, newest first, as a JSON array of objects
     * {@code {"delete":false,"timestamp":"<ISO-8601>","txId":"<id>","value":{<entry>}}} ({@code value} is
     * {@code null} for a deletion). A commitment never anchored has an empty history, {@code []}.
     *
     * @param ctx the transaction context
     * @param commitmentHex the commitment, 64 hexadecimal digits
     * @return the history as JSON
     * @throws ChaincodeException {@link ErrorCode#PERMISSION_DENIED} if the caller's role may not read the history of
     *     this entry, {@link ErrorCode#INVALID_ARGUMENT} if the commitment is malformed
     */
    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String history(final Context ctx, final String commitmentHex) {
        Access caller = access(ctx, Permission.HISTORY, "history");
        String commitment = commitment(commitmentHex);
        ChaincodeStub stub = ctx.getStub();
        if (caller.scope() != Scope.ANY) {
            byte[] current = stub.getState(commitment);
            if (current == null || current.length == 0) {
                return "[]";
            }
            caller.requireReach(storedEntry(new String(current, UTF_8)));
        }
        List<Map<String, Object>> changes = new ArrayList<>();
        try (QueryResultsIterator<KeyModification> it = stub.getHistoryForKey(commitment)) {
            for (KeyModification m : it) {
                Map<String, Object> change = new LinkedHashMap<>();
                change.put("delete", m.isDeleted());
                change.put(
                        "timestamp",
                        m.getTimestamp() == null ? null : m.getTimestamp().toString());
                change.put("txId", m.getTxId());
                change.put("value", m.isDeleted() ? null : shown(caller, m.getStringValue()));
                changes.add(change);
            }
        }
        return Json.write(changes);
    }

    /**
     * Lists the entries of a subject pseudonym, ordered by anchoring organisation then commitment. Within the caller's
     * reach: with the default policy, issuers and employers see their own organisation's entries only, a worker only
     * their own subject (the {@code dossier.subject} attribute), auditors everything.
     *
     * @param ctx the transaction context
     * @param subjectHex the subject pseudonym, 64 hexadecimal digits
     * @return a JSON array of entries, {@code []} when there are none
     * @throws ChaincodeException {@link ErrorCode#PERMISSION_DENIED} if the caller's role may not list dossiers, or not
     *     this subject's; {@link ErrorCode#INVALID_ARGUMENT} if the pseudonym is malformed
     */
    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String dossier(final Context ctx, final String subjectHex) {
        Access caller = access(ctx, Permission.DOSSIER, "dossier");
        String subject = Tokens.lowerHex64(subjectHex);
        if (subject == null) {
            throw invalid("subject must be a pseudonym of 64 hexadecimal digits, got '" + Tokens.abbreviate(subjectHex)
                    + "'");
        }
        caller.requireSubject(subject);
        ChaincodeStub stub = ctx.getStub();
        List<Object> entries = new ArrayList<>();
        try (QueryResultsIterator<KeyValue> it = caller.scope() == Scope.OWN_ORG
                ? stub.getStateByPartialCompositeKey(SUBJECT_INDEX, subject, caller.mspId())
                : stub.getStateByPartialCompositeKey(SUBJECT_INDEX, subject)) {
            for (KeyValue index : it) {
                String commitment =
                        stub.splitCompositeKey(index.getKey()).getAttributes().get(2);
                byte[] entry = stub.getState(commitment);
                if (entry != null && entry.length > 0) {
                    entries.add(new Json.Raw(new String(entry, UTF_8)));
                }
            }
        }
        return Json.write(entries);
    }

    /**
     * Returns the role policy in force: {@code {"hash":"<hex>","initialised":true|false,"policy":{...}}}: the one stored
     * on the ledger (from the genesis block, then as changed by votes), else the built-in default (equal to
     * {@code network-config/policy.json}, listing no organisation). Open to every member
     * organisation's identities, whatever their role.
     *
     * @param ctx the transaction context
     * @return the policy as JSON
     */
    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String getPolicy(final Context ctx) {
        return Governance.describe(ctx);
    }

    /**
     * Returns a pending policy proposal: {@code {"approvals":["Org1MSP"],"base":"<hex>","hash":"<hex>",
     * "policy":{...},"proposedAt":"..."}}, {@code base} being the hash of the policy it was proposed under. Open to
     * every member organisation's identities.
     *
     * @param ctx the transaction context
     * @param policyHash the proposed policy's hash
     * @return the proposal as JSON
     * @throws ChaincodeException {@link ErrorCode#NOT_FOUND} if no proposal is pending under that hash,
     *     {@link ErrorCode#INVALID_ARGUMENT} if the hash is malformed
     */
    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String getPolicyProposal(final Context ctx, final String policyHash) {
        return Governance.proposal(ctx, policyHash);
    }

    /**
     * Proposes a new role policy, counting as the caller's organisation's approval; applied at once if that makes a
     * strict majority of the organisations the policy in force lists. Proposing a policy already pending under the
     * same policy in force adds the caller's approval.
     *
     * @param ctx the transaction context
     * @param policyJson the proposed policy document
     * @return {@code {"applied":false,"approvals":["Org1MSP"],"base":"<hex>","hash":"<hex>","required":2}}
     * @throws ChaincodeException {@link ErrorCode#PERMISSION_DENIED} if the caller's role may not manage the policy,
     *     {@link ErrorCode#INVALID_STATE} if the policy in force lists no organisation, {@link ErrorCode#INVALID_ARGUMENT} if the
     *     document is invalid, lists no organisation or is the policy in force
     */
    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String proposePolicy(final Context ctx, final String policyJson) {
        return Governance.propose(ctx, policyJson);
    }

    /**
     * Approves a pending policy proposal for the caller's organisation; the policy is applied in the transaction that
     * brings its approvals to a strict majority of the organisations the policy in force lists. Approving the policy
     * in force changes nothing.
     *
     * @param ctx the transaction context
     * @param policyHash the proposed policy's hash, as {@link #proposePolicy} returned it
     * @return as {@link #proposePolicy}
     * @throws ChaincodeException {@link ErrorCode#PERMISSION_DENIED} if the caller's role may not manage the policy,
     *     {@link ErrorCode#NOT_FOUND} if no such proposal is pending, {@link ErrorCode#INVALID_STATE} if the policy in
     *     force lists no organisation or the proposal was made under a policy no longer in force
     */
    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String approvePolicy(final Context ctx, final String policyHash) {
        return Governance.approve(ctx, policyHash);
    }

    // ---- helpers

    private static Access access(Context ctx, Permission permission, String function) {
        return Access.check(ctx, Governance.current(ctx.getStub()), permission, function);
    }

    private static String anchorOne(Context ctx, Access caller, AnchorRequest request) {
        ChaincodeStub stub = ctx.getStub();
        String commitment = request.commitment();
        byte[] existing = stub.getState(commitment);
        if (existing != null && existing.length > 0) {
            String json = new String(existing, UTF_8);
            String owner = storedEntry(json).mspId();
            if (owner.equals(caller.mspId())) {
                return json;
            }
            throw new ChaincodeException(
                    "commitment " + commitment + " is already anchored by " + owner, ErrorCode.ALREADY_ANCHORED.name());
        }
        LedgerEntry entry = request.entry(
                caller.mspId(), caller.issuerId(), stub.getTxTimestamp().toString());
        String json = create(stub, entry);
        stub.setEvent(ANCHORED_EVENT, commitment.getBytes(UTF_8));
        return json;
    }

    /**
     * Writes a new entry, and its subject index key when it has a subject, each with the key-level endorsement policy
     * "a node of the anchoring organisation": from then on only that organisation's nodes can endorse a change of
     * them (checked at commit on every node, as Fabric's validator checks state-based endorsement). Returns its JSON.
     */
    private static String create(ChaincodeStub stub, LedgerEntry entry) {
        String json = entry.toJson();
        byte[] owner = ownerPolicy(entry.mspId());
        stub.putState(entry.commitment(), json.getBytes(UTF_8));
        stub.setStateValidationParameter(entry.commitment(), owner);
        if (entry.subject() != null) {
            String index = subjectIndexKey(stub, entry);
            stub.putState(index, INDEX_VALUE);
            stub.setStateValidationParameter(index, owner);
        }
        return json;
    }

    /** Rewrites an existing entry (its status and links); its key-level policy stays as it was. */
    private static String write(ChaincodeStub stub, LedgerEntry entry) {
        String json = entry.toJson();
        stub.putState(entry.commitment(), json.getBytes(UTF_8));
        return json;
    }

    private static final Map<String, byte[]> OWNER_POLICIES = new ConcurrentHashMap<>();

    /** @return the serialized endorsement policy {@code AND('<mspId>.peer')}, as the shim's SBE API builds it */
    private static byte[] ownerPolicy(String mspId) {
        return OWNER_POLICIES
                .computeIfAbsent(mspId, msp -> {
                    StateBasedEndorsement sbe =
                            StateBasedEndorsementFactory.getInstance().newStateBasedEndorsement(null);
                    sbe.addOrgs(StateBasedEndorsement.RoleType.RoleTypePeer, msp);
                    return sbe.policy();
                })
                .clone();
    }

    /**
     * The composite key {@code subject/<subject>/<mspId>/<commitment>}, exactly as {@code createCompositeKey} builds
     * it but without the shim's per-call regular expression: subject and commitment are hex, and an MSP id holding a
     * delimiter goes to the shim, which refuses it.
     */
    private static String subjectIndexKey(ChaincodeStub stub, LedgerEntry entry) {
        String mspId = entry.mspId();
        if (mspId.indexOf(0) >= 0 || mspId.indexOf(Character.MAX_CODE_POINT) >= 0) {
            return stub.createCompositeKey(SUBJECT_INDEX, entry.subject(), mspId, entry.commitment())
                    .toString();
        }
        return CompositeKey.NAMESPACE
                + SUBJECT_INDEX
                + '\u0000'
                + entry.subject()
                + '\u0000'
                + mspId
                + '\u0000'
                + entry.commitment()
                + '\u0000';
    }

    private static AnchorRequest request(Object value) {
        try {
            return AnchorRequest.of(value);
        } catch (AnchorRequest.Invalid e) {
            throw invalid(e.getMessage());
        }
    }

    private static Object parseArgument(String json, String what) {
        try {
            return JsonReader.parse(json);
        } catch (IllegalArgumentException e) {
            throw invalid(what + ": " + e.getMessage());
        }
    }

    /**
     * Reads an entry this contract stored.
     *
     * @throws IllegalStateException if {@code json} is not an entry (a value written around the contract)
     */
    private static LedgerEntry storedEntry(String json) {
        try {
            return LedgerEntry.parse(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("stored entry is not an entry of this contract: " + e.getMessage(), e);
        }
    }

    private static String stored(ChaincodeStub stub, String commitment) {
        byte[] value = stub.getState(commitment);
        if (value == null || value.length == 0) {
            throw new ChaincodeException("commitment " + commitment + " is not anchored", ErrorCode.NOT_FOUND.name());
        }
        return new String(value, UTF_8);
    }

    /**
     * A historical value as the caller may see it: an entry through {@link Access#show}, a value that is not a JSON
     * object as it is. A JSON object that is not an entry fails the call ({@link #storedEntry}) rather than show the
     * caller members it may not see.
     */
    private static Object shown(Access caller, String value) {
        try {
            return JsonReader.parse(value) instanceof Map<?, ?> ? new Json.Raw(caller.show(storedEntry(value))) : value;
        } catch (IllegalArgumentException e) {
            return value; // not written by this contract: reported as it is
        }
    }

    private static String commitment(String commitmentHex) {
        String commitment = Tokens.lowerHex64(commitmentHex);
        if (commitment == null) {
            throw invalid("commitment must be 64 hexadecimal digits, got '" + Tokens.abbreviate(commitmentHex) + "'");
        }
        return commitment;
    }

    private static ChaincodeException invalid(String message) {
        return new ChaincodeException(message, ErrorCode.INVALID_ARGUMENT.name());
    }
}
