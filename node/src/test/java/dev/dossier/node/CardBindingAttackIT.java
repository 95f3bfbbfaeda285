package dev.dossier.node;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dossier.common.card.Card;
import dev.dossier.common.card.CardCheck;
import dev.dossier.common.card.CardCodec;
import dev.dossier.common.card.CardKey;
import dev.dossier.common.card.CardVerifier;
import dev.dossier.common.card.WorkerCard;
import dev.dossier.common.card.WorkerCardCheck;
import dev.dossier.common.card.WorkerCardCheck.Status;
import dev.dossier.common.card.WorkerCardVerifier;
import dev.dossier.common.entry.LedgerEntry;
import dev.dossier.common.verdict.Verdict;
import dev.dossier.crypto.P256PrivateKey;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attacks on the binding of inspector's cards to the ledger ({@code docs/card.md}), on a two-node, two-organisation
 * network through the contract and the nodes' public {@code GET /v1/status}, as the verify page and {@code dossier
 * verify --card} check a card online. Both organisations hold genuine card keys listed in the trust file; Org2 is the
 * dishonest one. Every card is checked against both nodes, which must agree. Workers' safety cards too: their modules
 * are found by commitment prefix ({@code GET /v1/status/<32 hex digits>}), and must be the signer's records.
 */
class CardBindingAttackIT {
    private static final String NOTARY = "notary";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final LocalDate TODAY = LocalDate.now(java.time.ZoneOffset.UTC);

    @TempDir
    static Path directory;

    private static TestCluster cluster;
    private static P256PrivateKey org1Key;
    private static P256PrivateKey org2Key;
    private static CardVerifier verifier;

    @BeforeAll
    static void startNetwork() throws Exception {
        cluster = new TestCluster(directory, 2);
        org1Key = P256PrivateKey.generate();
        org2Key = P256PrivateKey.generate();
        verifier = new CardVerifier(keys());
    }

    @AfterAll
    static void stopNetwork() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void genuineCard_anchoredWithItsRecord_isValidOnEveryNode_andRevokedWithItsRecord() throws Exception {
        String record = newCommitment();
        String card = sign(org1Key, "Org1MSP", record);
        anchorWithCard("Issuer@org1.dossier.local", record, card);

        for (CardCheck check : checkOnEveryNode(card)) {
            assertThat(check.verdict()).isEqualTo(Verdict.VALID);
            assertThat(check.reason()).contains("anchored by Org1MSP, status active");
            assertThat(check.card().familyName()).isEqualTo("Rossi");
        }

        submit("Issuer@org1.dossier.local", "revoke", record, "fraud");
        for (CardCheck check : checkOnEveryNode(card)) {
            assertThat(check.verdict()).isEqualTo(Verdict.REVOKED);
            assertThat(check.reason()).isEqualTo("the record was revoked by Org1MSP (fraud)");
        }
    }

    @Test
    void cardForAnotherOrganisationsRecord_signedAndAnchoredByTheAttacker_isNotFound() throws Exception {
        String record = newCommitment();
        anchorOne("Issuer@org1.dossier.local", record, "record");
        // Org2 signs, with its own listed key, a card naming a worker for Org1's record, and anchors the card
        String forged = sign(org2Key, "Org2MSP", record);
        anchorOne("Issuer@org2.dossier.local", digest(forged), "card");

        for (CardCheck check : checkOnEveryNode(forged)) {
            assertThat(verifier.verify(forged, TODAY).verdict())
                    .as("offline, the signature is genuine")
                    .isEqualTo(Verdict.VALID);
            assertThat(check.verdict()).isEqualTo(Verdict.NOT_FOUND);
            assertThat(check.reason())
                    .isEqualTo("the card's record is anchored by Org1MSP, not by the card's issuer Org2MSP: an"
                            + " organisation signs cards only for its own records");
        }
    }

    @Test
    void cardWhoseDigestTheLedgerDoesNotHold_isNotFound() throws Exception {
        String record = newCommitment();
        String anchored = sign(org1Key, "Org1MSP", record);
        anchorWithCard("Issuer@org1.dossier.local", record, anchored);
        // a second card for the same record, signed with Org1's key but never anchored (a copy made off the ledger)
        Thread.sleep(1_100);
        String unanchored = sign(org1Key, "Org1MSP", record);
        assertThat(digest(unanchored)).isNotEqualTo(digest(anchored));

        for (CardCheck check : checkOnEveryNode(unanchored)) {
            assertThat(check.verdict()).isEqualTo(Verdict.NOT_FOUND);
            assertThat(check.reason())
                    .isEqualTo("signed by Org1MSP, but the ledger holds no entry for this card: it was never anchored");
        }
    }

    @Test
    void cardDigestAnchoredFirstByAnotherOrganisation_isNotFound_andItsIssuerCannotTakeItBack() throws Exception {
        String record = newCommitment();
        String card = sign(org1Key, "Org1MSP", record);
        anchorOne("Issuer@org1.dossier.local", record, "record");
        // Org2 saw the card before Org1 anchored it and anchors its digest in its own name
        anchorOne("Issuer@org2.dossier.local", digest(card), "card");
        String answer = anchorOne("Issuer@org1.dossier.local", digest(card), "card");
        assertThat(JSON.readTree(answer).path("results").path(0).path("outcome").asText())
                .isEqualTo("CONFLICT");

        for (CardCheck check : checkOnEveryNode(card)) {
            assertThat(check.verdict()).isEqualTo(Verdict.NOT_FOUND);
            assertThat(check.reason()).isEqualTo("this card is anchored by Org2MSP, not by its issuer Org1MSP");
        }
    }

    @Test
    void revokingAnotherOrganisationsCardEntry_isRefused() throws Exception {
        String record = newCommitment();
        String card = sign(org1Key, "Org1MSP", record);
        anchorWithCard("Issuer@org1.dossier.local", record, card);

        assertThatThrownBy(() -> submit("Issuer@org2.dossier.local", "revoke", digest(card), "fraud"))
                .isInstanceOf(Exception.class);
        for (CardCheck check : checkOnEveryNode(card)) {
            assertThat(check.verdict()).isEqualTo(Verdict.VALID);
        }
    }

    @Test
    void workerCard_eachModuleFoundByItsPrefixOnEveryNode_aRevokedRecordShowsItsModuleRevoked() throws Exception {
        List<String> records = List.of(newCommitment(), newCommitment(), newCommitment());
        for (String record : records) {
            anchorOne("Issuer@org1.dossier.local", record, "record");
        }
        String card = signWorker(org1Key, "Org1MSP", records);
        for (WorkerCardCheck check : checkWorkerOnEveryNode(card)) {
            assertThat(check.verdict()).as(check.reason()).isEqualTo(Verdict.VALID);
            assertThat(check.modules())
                    .extracting(WorkerCardCheck.ModuleCheck::status)
                    .containsExactly(Status.VALID, Status.EXPIRING, Status.EXPIRED);
        }

        submit("Issuer@org1.dossier.local", "revoke", records.get(1), "fraud");
        for (WorkerCardCheck check : checkWorkerOnEveryNode(card)) {
            assertThat(check.verdict()).isEqualTo(Verdict.VALID);
            assertThat(check.modules())
                    .extracting(WorkerCardCheck.ModuleCheck::status)
                    .containsExactly(Status.VALID, Status.REVOKED, Status.EXPIRED);
            assertThat(check.modules().get(1).reason()).isEqualTo("revoked by Org1MSP (fraud)");
        }
    }

    @Test
    void workerCardListingAnotherOrganisationsRecord_isRefused_andAnUnanchoredModuleNotFound() throws Exception {
        String own = newCommitment();
        String others = newCommitment();
        anchorOne("Issuer@org2.dossier.local", own, "record");
        anchorOne("Issuer@org1.dossier.local", others, "record");
        // Org2 signs, with its own listed key, a worker's card listing its record and one of Org1's
        String forged = signWorker(org2Key, "Org2MSP", List.of(own, others));
        assertThat(new WorkerCardVerifier(keys()).verify(forged, TODAY).verdict())
                .as("offline, the signature is genuine")
                .isEqualTo(Verdict.VALID);
        for (WorkerCardCheck check : checkWorkerOnEveryNode(forged)) {
            assertThat(check.verdict()).isEqualTo(Verdict.NOT_FOUND);
            assertThat(check.modules())
                    .extracting(WorkerCardCheck.ModuleCheck::status)
                    .containsExactly(Status.VALID, Status.REFUSED);
            assertThat(check.modules().get(1).reason())
                    .isEqualTo("its record is anchored by Org1MSP, not by the card's signer Org2MSP: an organisation"
                            + " lists only records it anchored");
            assertThat(check.reason()).startsWith("signed by Org2MSP, but module 2 (module-2)");
        }

        String unanchored = signWorker(org2Key, "Org2MSP", List.of(own, newCommitment()));
        for (WorkerCardCheck check : checkWorkerOnEveryNode(unanchored)) {
            assertThat(check.verdict()).isEqualTo(Verdict.NOT_FOUND);
            assertThat(check.modules().get(1).status()).isEqualTo(Status.NOT_FOUND);
        }
    }

    private static List<CardKey> keys() {
        return List.of(listed("Org1MSP", org1Key), listed("Org2MSP", org2Key));
    }

    /** A worker's card listing the records, valid for years, for 30 days, and expired yesterday, in turn. */
    private static String signWorker(P256PrivateKey key, String organisation, List<String> records) {
        List<LocalDate> until = List.of(TODAY.plusYears(3), TODAY.plusDays(30), TODAY.minusDays(1));
        List<WorkerCard.Module> modules = new java.util.ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            modules.add(new WorkerCard.Module(
                    "module-" + (i + 1),
                    "Formazione " + (i + 1),
                    until.get(i),
                    java.util.Arrays.copyOf(HexFormat.of().parseHex(records.get(i)), 16)));
        }
        WorkerCard card = new WorkerCard(
                "Mario",
                "Rossi",
                LocalDate.of(1980, 1, 31),
                modules,
                organisation,
                Instant.now().truncatedTo(ChronoUnit.SECONDS));
        return CardCodec.encode(card, CardKey.keyId(key.publicKey().subjectPublicKeyInfo()), key::signFixed);
    }

    /** @return the worker's card checked offline, then with each node's {@code /v1/status/<module prefix>} */
    private static List<WorkerCardCheck> checkWorkerOnEveryNode(String card) throws Exception {
        WorkerCardCheck offline = new WorkerCardVerifier(keys()).verify(card, TODAY);
        assertThat(offline.genuine()).as(offline.reason()).isTrue();
        List<WorkerCardCheck> checks = new java.util.ArrayList<>();
        for (int node = 0; node < 2; node++) {
            List<LedgerEntry> entries = new java.util.ArrayList<>();
            for (WorkerCardCheck.ModuleCheck module : offline.modules()) {
                entries.add(status(node, module.module().prefixHex()));
            }
            checks.add(WorkerCardVerifier.withLedger(offline, entries));
        }
        return checks;
    }

    private static CardKey listed(String organisation, P256PrivateKey key) {
        return new CardKey(
                organisation,
                TODAY.minusDays(1),
                TODAY.plusYears(1),
                key.publicKey().subjectPublicKeyInfo());
    }

    /** @return a card of the record, signed with {@code key} as {@code organisation}'s */
    static String sign(P256PrivateKey key, String organisation, String record) {
        Card card = new Card(
                "Mario",
                "Rossi",
                LocalDate.of(1980, 1, 31),
                "SIC-B",
                "Formazione specifica rischio alto",
                null,
                "12",
                TODAY.minusDays(3),
                TODAY.minusDays(2),
                TODAY.plusYears(5),
                "Ente Scuola Edile",
                organisation,
                Instant.now().truncatedTo(ChronoUnit.SECONDS),
                HexFormat.of().parseHex(record));
        return CardCodec.encode(card, CardKey.keyId(key.publicKey().subjectPublicKeyInfo()), key::signFixed);
    }

    /** @return the card checked offline, then against each node's {@code /v1/status} */
    private static List<CardCheck> checkOnEveryNode(String card) throws Exception {
        CardCheck offline = verifier.verify(card, TODAY);
        assertThat(offline.genuine()).as(offline.reason()).isTrue();
        return List.of(
                CardVerifier.withLedger(
                        offline,
                        status(0, digest(card)),
                        status(0, offline.card().commitmentHex())),
                CardVerifier.withLedger(
                        offline,
                        status(1, digest(card)),
                        status(1, offline.card().commitmentHex())));
    }

    private static LedgerEntry status(int node, String commitment) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(cluster.nodes[node].httpUrl() + "/v1/status/" + commitment))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            return null;
        }
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return LedgerEntry.parse(response.body());
    }

    private static String digest(String card) {
        return HexFormat.of().formatHex(CardVerifier.digest(card));
    }

    /** Anchors a record and its card in one transaction, as {@code dossier anchor --cards} does. */
    private static void anchorWithCard(String user, String record, String card) throws Exception {
        submit(user, "anchorBatch", "[" + entry(record, "record") + "," + entry(digest(card), "card") + "]");
    }

    private static String anchorOne(String user, String commitment, String kind) throws Exception {
        return submit(user, "anchorBatch", "[" + entry(commitment, kind) + "]");
    }

    private static String entry(String commitment, String kind) {
        return "{\"commitment\":\"" + commitment + "\",\"kind\":\"" + kind + "\"}";
    }

    /** Submits as the user through its organisation's node; returns once both nodes hold the block. */
    private static String submit(String user, String function, String... args) throws Exception {
        return new String(cluster.submit(user, NOTARY, function, args), UTF_8);
    }

    private static String newCommitment() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
