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
 *
 * <p>Every transaction function is in this class, with its documentation: the contract API routes the functions of
 * one {@code @Contract} class under bare names, and a second contract would make clients call its functions as
 * {@code name:function}. The work behind them is in
 * {@link Anchoring}, {@link EntryStore} (the state layout), {@link Arguments}, {@link Access} (the caller's reach),
 * {@link Governance} (the policy's votes), {@link Delegations} and {@link Drafting} (delegated drafting and its
 * validation). This is why the class is longer than 400 lines: it is the contract's whole documented API.
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
    public static final String ANCHORED_EVENT = Anchoring.ANCHORED_EVENT;
    /** Name of the event emitted by {@link #revoke}; payload: the commitment. */
    public static final String REVOKED_EVENT = "Revoked";
    /** Name of the event emitted by {@link #supersede}; payload: the superseded commitment. */
    public static final String SUPERSEDED_EVENT = "Superseded";
    /** The most entries one {@link #anchorBatch} transaction takes. */
    public static final int MAX_BATCH = 5000;
    /** The revocation reason codes {@link #revoke} accepts. */
    public static final List<String> REVOCATION_REASONS =
            List.of("issued_in_error", "fraud", "withdrawn", "accreditation_withdrawn", "other");

    /**
     * The context of a call, made once its argument count is checked: {@link ErrorCode#INVALID_ARGUMENT} naming the
     * function and the count it takes, where the contract API would answer a wrong count with "Unexpected error".
     */
    @Override
    public Context createContext(final ChaincodeStub stub) {
        Arguments.checkCount(stub.getFunction(), stub.getParameters().size());
        return ContractInterface.super.createContext(stub);
    }

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
        return Anchoring.one(ctx.getStub(), caller, Arguments.request(request));
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
        return Anchoring.one(ctx.getStub(), caller, Arguments.request(Arguments.json(entryJson, "entry")));
    }

    /**
     * Anchors up to {@value #MAX_BATCH} commitments for the caller's organisation in one transaction. Each element of
     * the array is an {@link AnchorRequest} object. Per entry the outcome is {@code ANCHORED} (written),
     * {@code ALREADY_ANCHORED} (by the caller's organisation, before or earlier in this batch: nothing written) or
     * {@code CONFLICT} (anchored by another organisation: nothing written); only the last two carry a {@code reason}.
     * No event is emitted: the write set names the entries.
     *
     * <p><b>Corrections.</b> An entry with {@code "supersedes":"<old commitment>"} is anchored and marks the old entry
     * {@code superseded} with {@code supersededBy} in this same transaction: outcome {@code SUPERSEDED}. The caller's
     * role needs the {@code revoke} permission too, and the old entry must be anchored, within its reach (with the
     * default policy: of its organisation) and active; else the outcome is {@code REFUSED} with the reason and
     * nothing of that entry is written. A correction already made is {@code ALREADY_SUPERSEDED} (nothing written);
     * one anchored before without the link gets the link ({@code SUPERSEDED}). Every node checks at commit that a new
     * entry which supersedes another is written together with that entry's mark, which only the old entry's
     * organisation can endorse. A batch with corrections also counts them in its answer, {@code "superseded":n}.
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
     * @throws ChaincodeException {@link ErrorCode#PERMISSION_DENIED} if the caller's role may not anchor, or an entry
     *     supersedes another and it may not revoke; {@link ErrorCode#INVALID_ARGUMENT} if the argument is not a JSON
     *     array, has more than {@value #MAX_BATCH} elements, or an element is not a valid entry
     */
    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String anchorBatch(final Context ctx, final String entriesJson) {
        Access caller = access(ctx, Permission.ANCHOR, "anchorBatch");
        if (!(Arguments.json(entriesJson, "entries") instanceof List<?> elements)) {
            throw Arguments.invalid("entries must be a JSON array of entry objects");
        }
        if (elements.size() > MAX_BATCH) {
            throw Arguments.invalid("a batch holds at most " + MAX_BATCH + " entries, got " + elements.size());
        }
        boolean corrections = false;
        for (Object element : elements) {
            corrections |= element instanceof Map<?, ?> entry && entry.get("supersedes") != null;
        }
        return Anchoring.batch(
                ctx.getStub(), caller, corrections ? access(ctx, Permission.REVOKE, "anchorBatch") : null, elements);
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
        String commitment = Arguments.commitment(commitmentHex);
        if (!REVOCATION_REASONS.contains(reasonCode)) {
            throw Arguments.invalid("reason code must be one of " + REVOCATION_REASONS + ", got '"
                    + Tokens.abbreviate(reasonCode) + "'");
        }
        ChaincodeStub stub = ctx.getStub();
        LedgerEntry entry = EntryStore.entry(EntryStore.stored(stub, commitment));
        caller.requireReach(entry);
        if (LedgerEntry.REVOKED.equals(entry.status())) {
            return entry.toJson();
        }
        LedgerEntry revoked = entry.revoked(reasonCode, stub.getTxTimestamp().toString());
        EntryStore.write(stub, revoked);
        stub.setEvent(REVOKED_EVENT, commitment.getBytes(UTF_8));
        return revoked.toJson();
    }

    /**
     * Revokes up to {@value #MAX_BATCH} entries in one transaction, each with its reason code. Per element the outcome
     * is {@code REVOKED} (written), {@code ALREADY_REVOKED} (revoked before or earlier in this batch: nothing written;
     * the first reason stands) or {@code REFUSED} with a {@code reason} (not anchored, or outside the caller's reach:
     * with the default policy another organisation's entry; nothing written). Every node checks at commit that only
     * the entry's organisation endorsed the change (its key-level policy).
     *
     * <pre>{@code
     * [{"commitment":"<64 hex>","reason":"withdrawn"}]  ->
     * {"alreadyRevoked":0,"results":[{"commitment":"<hex>","outcome":"REVOKED"}],"revoked":1}
     * }</pre>
     *
     * @param ctx the transaction context
     * @param revocationsJson a JSON array of {@code {"commitment","reason"}} objects, reason one of
     *     {@link #REVOCATION_REASONS}
     * @return the outcomes as JSON, in input order
     * @throws ChaincodeException {@link ErrorCode#PERMISSION_DENIED} if the caller's role may not revoke;
     *     {@link ErrorCode#INVALID_ARGUMENT} if the argument is not such an array, has more than {@value #MAX_BATCH}
     *     elements, or an element is malformed or has an unknown reason (nothing is revoked)
     */
    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String revokeBatch(final Context ctx, final String revocationsJson) {
        Access caller = access(ctx, Permission.REVOKE, "revokeBatch");
        if (!(Arguments.json(revocationsJson, "revocations") instanceof List<?> elements)) {
            throw Arguments.invalid("revocations must be a JSON array of {\"commitment\",\"reason\"} objects");
        }
        if (elements.size() > MAX_BATCH) {
            throw Arguments.invalid("a batch holds at most " + MAX_BATCH + " revocations, got " + elements.size());
        }
        return Revoking.batch(ctx.getStub(), caller, elements);
    }

    /**
     * Records that {@code newCommitment} replaces {@code oldCommitment}, both anchored before (for a correction and its
     * link in one transaction, use {@link #anchorBatch} with {@code supersedes}, as the client does): the old
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
        String oldCommitment = Arguments.commitment(oldCommitmentHex);
        String newCommitment = Arguments.commitment(newCommitmentHex);
        if (oldCommitment.equals(newCommitment)) {
            throw Arguments.invalid("a commitment cannot supersede itself");
        }
        ChaincodeStub stub = ctx.getStub();
        LedgerEntry old = EntryStore.entry(EntryStore.stored(stub, oldCommitment));
        LedgerEntry replacement = EntryStore.entry(EntryStore.stored(stub, newCommitment));
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
        EntryStore.write(stub, superseded);
        EntryStore.write(stub, replacement.superseding(oldCommitment));
        stub.setEvent(SUPERSEDED_EVENT, oldCommitment.getBytes(UTF_8));
        return superseded.toJson();
    }

    /**
     * Grants the caller's organisation's delegation of drafting for a project to a training provider, another member
     * organisation: its identities whose role holds the {@code draft} permission may then draft records of the
     * project's modules in the caller's organisation's name ({@link #draftBatch}), which only the caller's
     * organisation can validate. Granting again replaces the modules and puts a withdrawn delegation back in force.
     *
     * <pre>{@code
     * grantDelegation("P-2025-07", "Org2MSP", "[\"SIC-GEN-4H\",\"SIC-RB-8H\"]")  ->
     * {"grantedAt":"...","issuer":"Org1MSP","modules":["SIC-GEN-4H","SIC-RB-8H"],"project":"P-2025-07",
     *  "provider":"Org2MSP","status":"active"}
     * }</pre>
     *
     * @param ctx the transaction context
     * @param project the project code, {@value Tokens#CODE_RULE}
     * @param provider the provider organisation's MSP id
     * @param modulesJson a JSON array of 1 to 100 module codes
     * @return the delegation as stored
     * @throws ChaincodeException {@link ErrorCode#PERMISSION_DENIED} if the caller's role may not delegate;
     *     {@link ErrorCode#INVALID_ARGUMENT} for a malformed code, or a provider that is the caller's own organisation
     *     or not a member
     */
    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String grantDelegation(
            final Context ctx, final String project, final String provider, final String modulesJson) {
        Access caller = access(ctx, Permission.DELEGATE, "grantDelegation");
        return Delegations.grant(
                ctx.getStub(), caller, Governance.current(ctx.getStub()), project, provider, modulesJson);
    }

    /**
     * Withdraws the caller's organisation's delegation of a project to a provider: from the next block on, every node
     * refuses the provider's drafts for it. Drafts made before stay pending until validated or rejected.
     *
     * @param ctx the transaction context
     * @param project the project code
     * @param provider the provider organisation's MSP id
     * @return the delegation as stored, {@code "status":"withdrawn"}
     * @throws ChaincodeException {@link ErrorCode#PERMISSION_DENIED} if the caller's role may not delegate;
     *     {@link ErrorCode#NOT_FOUND} if the caller's organisation never granted it
     */
    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String withdrawDelegation(final Context ctx, final String project, final String provider) {
        Access caller = access(ctx, Permission.DELEGATE, "withdrawDelegation");
        return Delegations.withdraw(ctx.getStub(), caller, project, provider);
    }

    /**
     * Lists a project's delegations, in force and withdrawn, by issuing organisation then provider, as a JSON array
     * of the objects {@link #grantDelegation} returns. Open to every member organisation's identities.
     *
     * @param ctx the transaction context
     * @param project the project code
     * @return the delegations as JSON, {@code []} when there are none
     */
    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String listDelegations(final Context ctx, final String project) {
        Access.checkMember(ctx, Governance.current(ctx.getStub()), "listDelegations");
        return Delegations.list(ctx.getStub(), project);
    }

    /**
     * Drafts up to {@value #MAX_BATCH} records for an issuing organisation under its delegation of a project to the
     * caller's organisation. Each element is an {@link AnchorRequest} with its {@code "module"} and no
     * {@code supersedes}. A draft is not anchored: it is stored with status {@code pending} under its draft key,
     * {@link #status} shows it, and only the issuer's {@link #validateDrafts} anchors it. Per entry the outcome is
     * {@code DRAFTED}, {@code ALREADY_DRAFTED} (by the caller's organisation for the same issuer, pending: nothing
     * written), {@code CONFLICT} (anchored already, or drafted by or for another organisation, or rejected) or
     * {@code REFUSED} (its module is not delegated); only the last three carry a {@code reason}.
     *
     * <pre>{@code
     * {"alreadyDrafted":0,"drafted":1,"results":[{"commitment":"<hex>","outcome":"DRAFTED"}]}
     * }</pre>
     *
     * @param ctx the transaction context
     * @param issuer the issuing organisation's MSP id
     * @param project the project code
     * @param entriesJson a JSON array of entry objects
     * @return the outcomes as JSON, in input order
     * @throws ChaincodeException {@link ErrorCode#PERMISSION_DENIED} if the caller's role may not draft, or
     *     {@code issuer} has no delegation of {@code project} in force to the caller's organisation;
     *     {@link ErrorCode#INVALID_ARGUMENT} for a malformed argument or entry (nothing is drafted)
     */
    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String draftBatch(final Context ctx, final String issuer, final String project, final String entriesJson) {
        Access caller = access(ctx, Permission.DRAFT, "draftBatch");
        return Drafting.draft(ctx.getStub(), caller, issuer, project, batch(entriesJson, "entries"));
    }

    /**
     * Validates drafts made for the caller's organisation in one transaction: each is anchored as an active entry of
     * the caller's organisation (anchored now, by the caller; {@code draftedBy}, {@code project} and {@code module}
     * kept) and its draft removed. Per commitment the outcome is {@code VALIDATED}, {@code ALREADY_VALIDATED} or
     * {@code REFUSED} with a {@code reason} (no such draft, drafted for another organisation, of another project,
     * rejected, or the commitment anchored otherwise).
     *
     * <pre>{@code
     * ["<64 hex>", ...]  ->  {"alreadyValidated":0,"results":[{"commitment":"<hex>","outcome":"VALIDATED"}],
     *                         "validated":1}
     * }</pre>
     *
     * @param ctx the transaction context
     * @param project the project code the drafts must be of
     * @param commitmentsJson a JSON array of up to {@value #MAX_BATCH} commitments
     * @return the outcomes as JSON, in input order
     * @throws ChaincodeException {@link ErrorCode#PERMISSION_DENIED} if the caller's role may not validate;
     *     {@link ErrorCode#INVALID_ARGUMENT} for a malformed argument (nothing is validated)
     */
    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String validateDrafts(final Context ctx, final String project, final String commitmentsJson) {
        Access caller = access(ctx, Permission.VALIDATE, "validateDrafts");
        return Drafting.validate(ctx.getStub(), caller, project, batch(commitmentsJson, "commitments"));
    }

    /**
     * Rejects drafts made for the caller's organisation, each with a reason code ({@link Drafting#REJECTION_REASONS}:
     * {@code incomplete}, {@code not_attended}, {@code assessment_failed}, {@code not_eligible}, {@code wrong_module},
     * {@code duplicate}, {@code other}); {@link #status} then shows the draft {@code rejected} with its
     * {@code rejectionReason}. Outcomes {@code REJECTED}, {@code ALREADY_REJECTED} (the first reason stands) or
     * {@code REFUSED} with a {@code reason}.
     *
     * @param ctx the transaction context
     * @param project the project code the drafts must be of
     * @param rejectionsJson a JSON array of up to {@value #MAX_BATCH} {@code {"commitment","reason"}} objects
     * @return the outcomes as JSON, in input order: {@code {"alreadyRejected":0,"rejected":1,"results":[...]}}
     * @throws ChaincodeException {@link ErrorCode#PERMISSION_DENIED} if the caller's role may not validate;
     *     {@link ErrorCode#INVALID_ARGUMENT} for a malformed argument or an unknown reason (nothing is rejected)
     */
    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String rejectDrafts(final Context ctx, final String project, final String rejectionsJson) {
        Access caller = access(ctx, Permission.VALIDATE, "rejectDrafts");
        return Drafting.reject(ctx.getStub(), caller, project, batch(rejectionsJson, "rejections"));
    }

    /**
     * Returns the entry of a commitment, or of its draft when it is not anchored but drafted ({@code "status":
     * "pending"} or {@code "rejected"}, naming the issuing organisation in {@code mspId} and the provider in
     * {@code draftedBy}; see {@link #draftBatch}). A caller whose role may not list this entry in a dossier gets it
     * without the subject pseudonym and the issuing person ({@code issuerId}): the organisation is what a verifier
     * needs, and nothing then links two entries of one worker.
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
        String commitment = Arguments.commitment(commitmentHex);
        byte[] anchored = ctx.getStub().getState(commitment);
        LedgerEntry entry = anchored != null && anchored.length > 0
                ? EntryStore.entry(new String(anchored, UTF_8))
                : Drafting.find(ctx.getStub(), commitment);
        if (entry == null) {
            throw EntryStore.notAnchored(commitment);
        }
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
        String commitment = Arguments.commitment(commitmentHex);
        ChaincodeStub stub = ctx.getStub();
        if (caller.scope() != Scope.ANY) {
            byte[] current = stub.getState(commitment);
            if (current == null || current.length == 0) {
                return "[]";
            }
            caller.requireReach(EntryStore.entry(new String(current, UTF_8)));
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
            throw Arguments.invalid("subject must be a pseudonym of 64 hexadecimal digits, got '"
                    + Tokens.abbreviate(subjectHex) + "'");
        }
        caller.requireSubject(subject);
        return Json.write(
                EntryStore.ofSubject(ctx.getStub(), subject, caller.scope() == Scope.OWN_ORG ? caller.mspId() : null));
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

    /** @return the argument parsed as a JSON array of at most {@value #MAX_BATCH} elements */
    private static List<?> batch(String json, String what) {
        if (!(Arguments.json(json, what) instanceof List<?> elements)) {
            throw Arguments.invalid(what + " must be a JSON array");
        }
        if (elements.size() > MAX_BATCH) {
            throw Arguments.invalid("a batch holds at most " + MAX_BATCH + " " + what + ", got " + elements.size());
        }
        return elements;
    }

    private static Access access(Context ctx, Permission permission, String function) {
        return Access.check(ctx, Governance.current(ctx.getStub()), permission, function);
    }

    /** A historical value as the caller may see it: an entry through {@link Access#show}, anything else as it is. */
    private static Object shown(Access caller, String value) {
        try {
            return JsonReader.parse(value) instanceof Map<?, ?>
                    ? new Json.Raw(caller.show(EntryStore.entry(value)))
                    : value;
        } catch (IllegalArgumentException e) {
            return value; // not written by this contract: reported as it is
        }
    }
}
