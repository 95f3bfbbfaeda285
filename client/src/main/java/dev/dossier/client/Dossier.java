package dev.dossier.client;

import dev.dossier.client.bulk.Anchoring;
import dev.dossier.client.bulk.BulkAnchorer;
import dev.dossier.client.bulk.BulkOptions;
import dev.dossier.client.bulk.BulkReport;
import dev.dossier.client.bulk.BulkRevoker;
import dev.dossier.client.bulk.DraftDecisions;
import dev.dossier.client.bulk.Outcome;
import dev.dossier.client.bulk.ReceiptIndex;
import dev.dossier.client.card.CardIssuer;
import dev.dossier.client.card.IssuedCard;
import dev.dossier.client.credential.CredentialIssuance;
import dev.dossier.client.credential.CredentialIssuer;
import dev.dossier.client.credential.IssuedCredential;
import dev.dossier.client.digest.Commitment;
import dev.dossier.client.digest.HmacKey;
import dev.dossier.client.record.TrainingRecord;
import dev.dossier.client.transport.DossierException;
import dev.dossier.client.transport.NodeApi;
import dev.dossier.common.card.CardCheck;
import dev.dossier.common.card.CardKey;
import dev.dossier.common.card.CardVerifier;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.hyperledger.fabric.client.Contract;

/**
 * Dossier's client: anchors training records and documents, verifies them, and manages their entries, through the
 * official fabric-gateway client against a Dossier node or a Hyperledger Fabric peer running the notary contract.
 * Only commitments (salted hashes) and non-personal metadata leave the client. Thread-safe.
 *
 * <pre>{@code
 * try (Gateway gateway = Connections.gateway(mspId, mspDirectory, channel).connect()) {
 *     Dossier dossier = Dossier.newInstance()
 *             .contract(gateway.getNetwork("dossier").getContract("notary"))
 *             .saltKey(HmacKey.loadOrCreate(saltKeyFile))
 *             .pseudonymKey(HmacKey.loadOrCreate(pseudonymKeyFile))
 *             .build();
 *     BulkReport report = dossier.anchorAll(Path.of("trainings.csv"), BulkOptions.forInput(input, outDir));
 *     dossier.verify(Commitment.fromHex(hex)).requireValid();
 * }
 * }</pre>
 */
public interface Dossier {
    /** @return a builder */
    static Builder newInstance() {
        return new GatewayDossier.Builder();
    }

    /** Builds a {@link Dossier}. */
    interface Builder {
        /** The notary contract (required). */
        Builder contract(Contract contract);

        /** The issuer's salt key, required to anchor and to verify one's own records without their salt. */
        Builder saltKey(HmacKey key);

        /** The sector's pseudonym key; without it entries are anchored without a subject pseudonym. */
        Builder pseudonymKey(HmacKey key);

        /** The organisation's card-signing key as the trust file lists it; without it no cards are issued. */
        Builder cardIssuer(CardIssuer issuer);

        /** The clock that decides expiry (default: the system clock, UTC). */
        Builder clock(Clock clock);

        /** @throws NullPointerException if no contract was given */
        Dossier build();
    }

    /**
     * Anchors one record (an {@code anchorBatch} of one) and waits until it is durable.
     *
     * @return its receipt; {@link Outcome#ALREADY_ANCHORED} if this organisation anchored it before
     * @throws IllegalStateException if no salt key was given
     * @throws DossierException if the transaction fails
     */
    AnchorReceipt anchor(TrainingRecord record) throws DossierException;

    /**
     * Anchors every valid row of a CSV or JSON Lines file (see {@link BulkOptions} and {@link BulkAnchorer}): streams
     * it, validates each row, writes refused rows to the error report, anchors the rest in {@code anchorBatch}
     * transactions with several in flight, and writes a receipt for each. Resumes after a crash from the journal
     * beside the receipts without anchoring anything twice. With {@link BulkOptions#cards} it also signs each
     * record's inspector's card with the card issuer and anchors it in the same transaction as its record, writing
     * {@code <record id>-v<version>.card} there once committed ({@code BulkCards}).
     *
     * @throws IllegalArgumentException if cards are asked for and no card issuer was given
     * @throws IOException if the input, receipts, journal or error report cannot be read or written
     * @throws DossierException if a transaction fails for a reason other than a transient one
     * @throws InterruptedException if interrupted; what was journaled stays journaled
     */
    BulkReport anchorAll(Path input, BulkOptions options) throws IOException, DossierException, InterruptedException;

    /**
     * Issues a record's inspector's card ({@code docs/card.md}): signs it with the card issuer, here, and anchors the
     * record (if this organisation has not yet) and the card's digest, an entry of kind {@code card}, in one
     * {@code anchorBatch} transaction, waiting until it is durable. Each call signs a new card (its signing time
     * differs); every anchored card of an active record verifies.
     *
     * @return the card's text and what the ledger answered
     * @throws IllegalStateException if no salt key or no card issuer was given
     * @throws IllegalArgumentException if the card key may not sign today or the record does not fit a card
     * @throws DossierException if the transaction fails
     */
    IssuedCard issueCard(TrainingRecord record) throws DossierException;

    /**
     * Verifies a card: offline against the trusted card keys ({@link CardVerifier#verify}), then, for a genuine card,
     * against the ledger's entries of its digest and of its record ({@link CardVerifier#withLedger}).
     *
     * @param text the card's text ({@code DC1:...})
     * @param trusted the card keys of the consortium's trust file
     * @throws DossierException if the query fails
     */
    CardCheck verifyCard(String text, List<CardKey> trusted) throws DossierException;

    /**
     * Signs the Open Badges 3.0 credentials of records this organisation anchored and anchors their digests (kind
     * {@code credential}) in {@code anchorBatch} transactions ({@code docs/credentials.md}). Each credential's status
     * index is its record's leaf index, which {@code node} tells.
     *
     * @param records anchored records and their commitments
     * @param issuer the organisation's credential key and DID
     * @param node a node's HTTP API
     * @throws IOException if a record is not this organisation's active entry, or the node cannot be asked
     * @throws DossierException if the ledger refuses a transaction
     */
    List<IssuedCredential> issueCredentials(
            List<CredentialIssuance.Anchored> records, CredentialIssuer issuer, NodeApi node)
            throws IOException, InterruptedException, DossierException;

    /**
     * @return the on-chain entry of a commitment, empty if it was never anchored
     * @throws DossierException if the query fails
     */
    Optional<LedgerEntry> status(Commitment commitment) throws DossierException;

    /**
     * Verifies a commitment: VALID, EXPIRED, REVOKED, SUPERSEDED, NOT_FOUND, or for a draft PENDING or REJECTED, with
     * the entry's facts.
     *
     * @throws DossierException if the query fails
     */
    Verification verify(Commitment commitment) throws DossierException;

    /**
     * Verifies a record's JSON (as the worker holds it): commits it with {@code salt} (RFC 8785 first) and verifies the
     * result; TAMPERED if {@code claimed} is given and differs.
     *
     * @param salt the record's salt (from its receipt or certificate), or null to derive it with the salt key from the
     *     record's own {@code record_id} and {@code version} (an issuer checking its own record)
     * @param claimed the commitment the record is said to have, or null
     * @throws IllegalArgumentException if the JSON is not valid, or there is neither salt nor salt key
     * @throws DossierException if the query fails
     */
    Verification verifyRecord(String recordJson, byte[] salt, Commitment claimed) throws DossierException;

    /**
     * Verifies a document (PDF, media, or an Open Badges / Verifiable Credential JSON, canonicalised first when
     * {@code json}); TAMPERED if {@code claimed} is given and differs.
     *
     * @throws DossierException if the query fails
     */
    Verification verifyDocument(byte[] content, boolean json, byte[] salt, Commitment claimed) throws DossierException;

    /**
     * Verifies a receipt: the commitment it names, and, if {@code recordJson} is given, that the record hashes to it
     * with the receipt's salt (TAMPERED otherwise).
     *
     * @throws DossierException if the query fails
     */
    Verification verify(AnchorReceipt receipt, String recordJson) throws DossierException;

    /**
     * Revokes an entry of the caller's organisation. Revoking a revoked entry changes nothing.
     *
     * @param reasonCode one of {@code issued_in_error}, {@code fraud}, {@code withdrawn},
     *     {@code accreditation_withdrawn}, {@code other} (a code, never free text: it goes on chain)
     * @return the entry after revocation
     * @throws DossierException if the contract refuses (not found, another organisation's, unknown reason)
     */
    LedgerEntry revoke(Commitment commitment, String reasonCode) throws DossierException;

    /**
     * Anchors a corrected version of a record (normally with its version incremented) and marks the old commitment
     * superseded by it, in one transaction: both commit or neither. Repeating it changes nothing
     * ({@link Outcome#ALREADY_SUPERSEDED}).
     *
     * @return the receipt of the correction, {@link Outcome#SUPERSEDED} naming {@code old}
     * @throws DossierException if the contract refuses (old entry not found or not active, another organisation's;
     *     the code is then {@code REFUSED}, with the contract's reason)
     */
    AnchorReceipt supersede(Commitment old, TrainingRecord replacement) throws DossierException;

    /**
     * Anchors the corrections in a CSV or JSON Lines file as {@link #anchorAll} anchors records: each row supersedes,
     * in the same transaction, the latest earlier version of its record id that {@code earlier} names. A row whose
     * record id no earlier receipt names, or whose version is not above the one anchored, corrects nothing and goes to
     * the error report. Receipts say {@link Outcome#SUPERSEDED} and name the entry superseded. With
     * {@link BulkOptions#cards}, each correction gets its card as in {@link #anchorAll}.
     *
     * @throws IOException if the input, receipts, journal or error report cannot be read or written
     * @throws DossierException if a transaction fails for a reason other than a transient one
     * @throws InterruptedException if interrupted; what was journaled stays journaled
     */
    BulkReport correctAll(Path input, ReceiptIndex earlier, BulkOptions options)
            throws IOException, DossierException, InterruptedException;

    /**
     * Revokes every entry a CSV list names (see {@link BulkRevoker}), with the same error report, journal and resume as
     * {@link #anchorAll}.
     *
     * @param earlier resolves the list's record ids through receipts of earlier uploads
     * @param options the revocations file is {@link BulkOptions#receipts()}
     * @throws IOException if the list, receipts, journal or error report cannot be read or written
     * @throws DossierException if a transaction fails for a reason other than a refusal of its row
     * @throws InterruptedException if interrupted
     */
    BulkRevoker.Report revokeAll(Path list, ReceiptIndex earlier, BulkOptions options)
            throws IOException, DossierException, InterruptedException;

    /**
     * @return every committed change of a commitment's entry, newest first; empty if it was never anchored
     * @throws DossierException if the query fails or is refused
     */
    List<EntryChange> history(Commitment commitment) throws DossierException;

    /**
     * Calls a governance function of the contract: {@code getPolicy()}, {@code getPolicyProposal(hash)},
     * {@code proposePolicy(json)} or {@code approvePolicy(hash)} (the last two as transactions).
     *
     * @return the contract's JSON answer
     * @throws IllegalArgumentException for another function
     * @throws DossierException if the contract refuses
     */
    String policy(String function, String... args) throws DossierException;

    /**
     * Drafts every valid row of a file for another organisation, under its delegation of a project to the caller's
     * organisation ({@code docs/policy.md}, "Delegated drafting"), as {@link #anchorAll} anchors: the same error
     * report, receipts (outcome {@link Outcome#DRAFTED}, with the salt the issuer needs later), journal and resume.
     * Each record is a draft of the module its course code names; nothing is anchored until the issuer validates it,
     * and until then it verifies PENDING, never VALID.
     *
     * @throws IOException if the input, receipts, journal or error report cannot be read or written
     * @throws DossierException if a transaction fails, such as a draft without a delegation in force
     *     ({@code PERMISSION_DENIED})
     * @throws InterruptedException if interrupted; what was journaled stays journaled
     */
    BulkReport draftAll(Path input, Anchoring.DraftFor target, BulkOptions options)
            throws IOException, DossierException, InterruptedException;

    /**
     * Validates drafts made for the caller's organisation (each is anchored as its active entry) or, with a reason
     * code, rejects them; in transactions of up to 5,000 ({@link DraftDecisions}).
     *
     * @param project the project the drafts must be of
     * @param rejection null to validate, else the rejection's reason code ({@link DraftDecisions#REJECTION_REASONS})
     * @return each draft's outcome, in order
     * @throws DossierException if the contract refuses (the caller's role may not validate, ...)
     */
    List<Anchoring.Result> decideDrafts(String project, List<Commitment> drafts, String rejection)
            throws DossierException;

    /**
     * Calls a delegation function of the contract: {@code grantDelegation(project, provider, modulesJson)} or
     * {@code withdrawDelegation(project, provider)} as transactions, {@code listDelegations(project)} as a query.
     *
     * @return the contract's JSON answer
     * @throws IllegalArgumentException for another function
     * @throws DossierException if the contract refuses
     */
    String delegation(String function, String... args) throws DossierException;

    /**
     * @return the entries anchored for a subject pseudonym that the caller may read
     * @throws DossierException if the query fails or is refused
     */
    List<LedgerEntry> dossier(String subjectPseudonym) throws DossierException;

    /**
     * @return the subject pseudonym of a fiscal code under the sector pseudonym key
     * @throws IllegalStateException if no pseudonym key was given
     */
    String pseudonym(String fiscalCode);
}
