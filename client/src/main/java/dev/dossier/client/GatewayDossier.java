package dev.dossier.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dossier.client.bulk.Anchoring;
import dev.dossier.client.bulk.BulkAnchorer;
import dev.dossier.client.bulk.BulkCards;
import dev.dossier.client.bulk.BulkOptions;
import dev.dossier.client.bulk.BulkReport;
import dev.dossier.client.bulk.BulkRevoker;
import dev.dossier.client.bulk.DraftDecisions;
import dev.dossier.client.bulk.Outcome;
import dev.dossier.client.bulk.ReceiptIndex;
import dev.dossier.client.card.CardAnchoring;
import dev.dossier.client.card.CardIssuer;
import dev.dossier.client.card.IssuedCard;
import dev.dossier.client.credential.CredentialIssuance;
import dev.dossier.client.credential.CredentialIssuer;
import dev.dossier.client.credential.IssuedCredential;
import dev.dossier.client.digest.Canonical;
import dev.dossier.client.digest.Commitment;
import dev.dossier.client.digest.Commitments;
import dev.dossier.client.digest.HmacKey;
import dev.dossier.client.record.TrainingRecord;
import dev.dossier.client.transport.DossierException;
import dev.dossier.client.transport.NodeApi;
import dev.dossier.client.transport.Notary;
import dev.dossier.common.card.CardCheck;
import dev.dossier.common.card.CardKey;
import dev.dossier.common.card.CardVerifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.hyperledger.fabric.client.Contract;

/** {@link Dossier} over a {@link Notary}: the notary contract through fabric-gateway. */
final class GatewayDossier implements Dossier {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();
    /** How long a freshly committed record may take to reach the node's commitment log. */
    private static final java.time.Duration CREDENTIAL_WAIT = java.time.Duration.ofSeconds(30);

    private final Notary notary;
    private final HmacKey saltKey;
    private final HmacKey pseudonymKey;
    private final CardIssuer cardIssuer;
    private final Clock clock;

    GatewayDossier(Notary notary, HmacKey saltKey, HmacKey pseudonymKey, CardIssuer cardIssuer, Clock clock) {
        this.notary = Objects.requireNonNull(notary, "notary");
        this.saltKey = saltKey;
        this.pseudonymKey = pseudonymKey;
        this.cardIssuer = cardIssuer;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    static final class Builder implements Dossier.Builder {
        private Notary notary;
        private HmacKey saltKey;
        private HmacKey pseudonymKey;
        private CardIssuer cardIssuer;
        private Clock clock = Clock.systemUTC();

        @Override
        public Builder contract(Contract contract) {
            this.notary = Notary.over(contract);
            return this;
        }

        @Override
        public Builder saltKey(HmacKey key) {
            this.saltKey = Objects.requireNonNull(key, "saltKey");
            return this;
        }

        @Override
        public Builder pseudonymKey(HmacKey key) {
            this.pseudonymKey = Objects.requireNonNull(key, "pseudonymKey");
            return this;
        }

        @Override
        public Builder cardIssuer(CardIssuer issuer) {
            this.cardIssuer = Objects.requireNonNull(issuer, "cardIssuer");
            return this;
        }

        @Override
        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        @Override
        public Dossier build() {
            Objects.requireNonNull(notary, "contract");
            return new GatewayDossier(notary, saltKey, pseudonymKey, cardIssuer, clock);
        }
    }

    private Anchoring anchoring() {
        if (saltKey == null) {
            throw new IllegalStateException("anchoring needs the issuer's salt key");
        }
        return new Anchoring(saltKey, pseudonymKey);
    }

    @Override
    public AnchorReceipt anchor(TrainingRecord record) throws DossierException {
        Anchoring.Prepared prepared = anchoring().prepare(0, record);
        return submitEntries("anchorBatch", prepared, "[" + prepared.entryJson() + "]");
    }

    private AnchorReceipt submitEntries(String function, Anchoring.Prepared prepared, String... args)
            throws DossierException {
        Notary.Committed committed = notary.submit(function, args);
        String commitment = HEX.formatHex(prepared.commitment());
        Anchoring.Result result;
        try {
            result = Anchoring.parseResults(committed.result(), List.of(commitment))
                    .get(0);
        } catch (IOException e) {
            throw new DossierException(
                    function + " answered unexpectedly: " + e.getMessage(), committed.txId(), null, e);
        }
        return new AnchorReceipt(
                prepared.recordId(),
                prepared.version(),
                prepared.line(),
                commitment,
                HEX.formatHex(prepared.salt()),
                committed.txId(),
                committed.block(),
                result.outcome(),
                result.reason(),
                prepared.supersedes());
    }

    @Override
    public BulkReport anchorAll(Path input, BulkOptions options)
            throws IOException, DossierException, InterruptedException {
        return new BulkAnchorer(notary, anchoring(), input, options, bulkCards(options)).run();
    }

    private CardAnchoring cardAnchoring() {
        if (cardIssuer == null) {
            throw new IllegalStateException("issuing cards needs the organisation's card key");
        }
        return new CardAnchoring(notary, anchoring(), cardIssuer, clock);
    }

    @Override
    public IssuedCard issueCard(TrainingRecord record) throws DossierException {
        return cardAnchoring().issue(record);
    }

    private BulkCards bulkCards(BulkOptions options) {
        return options.cards() == null || cardIssuer == null ? null : CardAnchoring.bulk(cardIssuer, clock);
    }

    @Override
    public List<IssuedCredential> issueCredentials(
            List<CredentialIssuance.Anchored> records, CredentialIssuer issuer, NodeApi node)
            throws IOException, InterruptedException, DossierException {
        return new CredentialIssuance(notary, node, issuer, clock, CREDENTIAL_WAIT).issueAll(records);
    }

    @Override
    public CardCheck verifyCard(String text, List<CardKey> trusted) throws DossierException {
        CardCheck offline = new CardVerifier(trusted).verify(text, LocalDate.now(clock.withZone(ZoneOffset.UTC)));
        if (!offline.genuine()) {
            return offline;
        }
        Optional<LedgerEntry> card = status(Commitment.of(offline.digest()));
        Optional<LedgerEntry> record = status(Commitment.of(offline.card().commitment()));
        return CardVerifier.withLedger(
                offline,
                card.map(LedgerEntry::shared).orElse(null),
                record.map(LedgerEntry::shared).orElse(null));
    }

    @Override
    public Optional<LedgerEntry> status(Commitment commitment) throws DossierException {
        byte[] answer = notary.evaluate("status", commitment.toString());
        if (answer == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(LedgerEntry.parse(new String(answer, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new DossierException("status answered unexpectedly: " + e.getMessage(), null, null, e);
        }
    }

    @Override
    public Verification verify(Commitment commitment) throws DossierException {
        return Verification.of(
                commitment, status(commitment).orElse(null), LocalDate.now(clock.withZone(ZoneOffset.UTC)));
    }

    @Override
    public Verification verifyRecord(String recordJson, byte[] salt, Commitment claimed) throws DossierException {
        byte[] canonical = Canonical.jcs(recordJson);
        byte[] recordSalt = salt != null ? salt : ownSalt(recordJson);
        return check(Commitments.record(recordSalt, canonical), claimed);
    }

    private byte[] ownSalt(String recordJson) {
        if (saltKey == null) {
            throw new IllegalArgumentException("no salt given and no salt key to derive it");
        }
        try {
            JsonNode node = MAPPER.readTree(recordJson);
            String id = node.path("record_id").asText(null);
            if (id == null) {
                throw new IllegalArgumentException("the record has no record_id to derive its salt from");
            }
            return Commitments.salt(saltKey, id, node.path("version").asInt(1));
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getMessage(), e);
        }
    }

    @Override
    public Verification verifyDocument(byte[] content, boolean json, byte[] salt, Commitment claimed)
            throws DossierException {
        Objects.requireNonNull(salt, "salt");
        byte[] bytes = json ? Canonical.jcs(new String(content, StandardCharsets.UTF_8)) : content;
        return check(Commitments.document(salt, bytes), claimed);
    }

    @Override
    public Verification verify(AnchorReceipt receipt, String recordJson) throws DossierException {
        Commitment claimed = Commitment.fromHex(receipt.commitment());
        if (recordJson == null) {
            return verify(claimed);
        }
        return verifyRecord(recordJson, HEX.parseHex(receipt.salt()), claimed);
    }

    private Verification check(Commitment computed, Commitment claimed) throws DossierException {
        if (claimed != null && !claimed.equals(computed)) {
            return Verification.tampered(computed, claimed);
        }
        return verify(computed);
    }

    @Override
    public LedgerEntry revoke(Commitment commitment, String reasonCode) throws DossierException {
        Notary.Committed committed = notary.submit("revoke", commitment.toString(), reasonCode);
        try {
            return LedgerEntry.parse(new String(committed.result(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new DossierException("revoke answered unexpectedly: " + e.getMessage(), committed.txId(), null, e);
        }
    }

    @Override
    public AnchorReceipt supersede(Commitment old, TrainingRecord replacement) throws DossierException {
        Anchoring.Prepared prepared = anchoring().prepare(0, replacement, old.toString());
        AnchorReceipt receipt = submitEntries("anchorBatch", prepared, "[" + prepared.entryJson() + "]");
        if (receipt.outcome() == Outcome.CONFLICT || receipt.outcome() == Outcome.REFUSED) {
            throw new DossierException(
                    "the correction was refused: " + receipt.outcome() + " " + receipt.reason(),
                    receipt.txId(),
                    receipt.outcome().name(),
                    null);
        }
        return receipt;
    }

    @Override
    public BulkReport correctAll(Path input, ReceiptIndex earlier, BulkOptions options)
            throws IOException, DossierException, InterruptedException {
        return new BulkAnchorer(notary, anchoring().correcting(earlier), input, options, bulkCards(options)).run();
    }

    @Override
    public BulkRevoker.Report revokeAll(Path list, ReceiptIndex earlier, BulkOptions options)
            throws IOException, DossierException, InterruptedException {
        return new BulkRevoker(notary, list, earlier, options).run();
    }

    @Override
    public List<EntryChange> history(Commitment commitment) throws DossierException {
        byte[] answer = notary.evaluate("history", commitment.toString());
        List<EntryChange> changes = new ArrayList<>();
        if (answer == null) {
            return changes;
        }
        try {
            for (JsonNode change : MAPPER.readTree(new String(answer, StandardCharsets.UTF_8))) {
                JsonNode value = change.path("value");
                changes.add(new EntryChange(
                        change.path("txId").asText(),
                        change.path("timestamp").asText(null),
                        change.path("delete").asBoolean(),
                        value.isObject() ? LedgerEntry.parse(value.toString()) : null));
            }
        } catch (IOException e) {
            throw new DossierException("history answered unexpectedly: " + e.getMessage(), null, null, e);
        }
        return changes;
    }

    @Override
    public String policy(String function, String... args) throws DossierException {
        return switch (function) {
            case "getPolicy", "getPolicyProposal" -> call(function, false, args);
            case "proposePolicy", "approvePolicy" -> call(function, true, args);
            default -> throw new IllegalArgumentException("not a governance function: " + function);
        };
    }

    /** @return the contract's answer to {@code function(args)}, submitted as a transaction or evaluated as a query */
    private String call(String function, boolean submit, String... args) throws DossierException {
        byte[] answer = submit ? notary.submit(function, args).result() : notary.evaluate(function, args);
        if (answer == null) {
            throw new DossierException(function + ": not found", null, "NOT_FOUND", null);
        }
        return new String(answer, StandardCharsets.UTF_8);
    }

    @Override
    public BulkReport draftAll(Path input, Anchoring.DraftFor target, BulkOptions options)
            throws IOException, DossierException, InterruptedException {
        return new BulkAnchorer(notary, anchoring().drafting(target), input, options).run();
    }

    @Override
    public List<Anchoring.Result> decideDrafts(String project, List<Commitment> drafts, String rejection)
            throws DossierException {
        return DraftDecisions.decide(notary, project, drafts, rejection);
    }

    @Override
    public String delegation(String function, String... args) throws DossierException {
        return switch (function) {
            case "listDelegations" -> call(function, false, args);
            case "grantDelegation", "withdrawDelegation" -> call(function, true, args);
            default -> throw new IllegalArgumentException("not a delegation function: " + function);
        };
    }

    @Override
    public List<LedgerEntry> dossier(String subjectPseudonym) throws DossierException {
        byte[] answer = notary.evaluate("dossier", subjectPseudonym);
        List<LedgerEntry> entries = new ArrayList<>();
        if (answer == null) {
            return entries;
        }
        try {
            JsonNode root = MAPPER.readTree(new String(answer, StandardCharsets.UTF_8));
            JsonNode list = root.isArray() ? root : root.path("entries");
            for (JsonNode entry : list) {
                entries.add(LedgerEntry.parse(entry.toString()));
            }
        } catch (IOException e) {
            throw new DossierException("dossier answered unexpectedly: " + e.getMessage(), null, null, e);
        }
        return entries;
    }

    @Override
    public String pseudonym(String fiscalCode) {
        if (pseudonymKey == null) {
            throw new IllegalStateException("no sector pseudonym key");
        }
        return Commitments.pseudonym(pseudonymKey, fiscalCode);
    }
}
