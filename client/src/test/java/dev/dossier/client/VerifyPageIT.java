package dev.dossier.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dossier.client.bulk.Outcome;
import dev.dossier.client.card.CardIssuer;
import dev.dossier.client.card.IssuedCard;
import dev.dossier.client.card.WorkerCards;
import dev.dossier.client.certificate.Certificate;
import dev.dossier.client.certificate.CertificatePdf;
import dev.dossier.client.certificate.QrCode;
import dev.dossier.client.credential.CredentialIssuance;
import dev.dossier.client.credential.CredentialVerifier;
import dev.dossier.client.credential.IssuedCredential;
import dev.dossier.client.digest.Commitment;
import dev.dossier.client.digest.Commitments;
import dev.dossier.client.digest.HmacKey;
import dev.dossier.client.record.RawRow;
import dev.dossier.client.record.RecordValidator;
import dev.dossier.client.record.TrainingRecord;
import dev.dossier.client.record.ValidatedRow;
import dev.dossier.client.transport.NodeApi;
import dev.dossier.common.card.CardKey;
import dev.dossier.common.note.TrustFile;
import dev.dossier.common.receipt.Receipt;
import dev.dossier.common.receipt.VerifiedReceipt;
import dev.dossier.crypto.P256PrivateKey;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.hyperledger.fabric.client.Gateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node's inspector verify page in a real browser (playwright-core driving the system Chromium, see
 * {@code src/test/web}): against a real node whose records were anchored, revoked and superseded through the client
 * library, with certificates (JSON and PDF), QR codes and receipts the client and the node's HTTP API produced, and Open
 * Badges credentials it issued (each verdict also the Java {@code CredentialVerifier}'s against that node); against
 * the synthetic node of {@code mock-node.mjs}; and the page's verification module under Node's test runner.
 *
 * <p>Needs {@code node}, {@code npm} and Chromium ({@code /usr/bin/chromium}, or the system property
 * {@code dossier.chromium}); the tests fail, saying what to install, when one is missing. {@code npm ci} runs in
 * {@code src/test/web} when its {@code node_modules} is missing. {@code -Ddossier.web.screenshots=DIR} keeps a
 * screenshot of every case against the real node; {@code -Ddossier.web.cardScreenshot=FILE} saves the verdict of a
 * genuine card as the README shows it ({@code docs/inspector-card.png}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VerifyPageIT {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Path WEB = Path.of("src", "test", "web").toAbsolutePath();
    private static final Duration RECEIPT_WAIT = Duration.ofSeconds(60);
    private static final String REVOCATION_REASON = "issued_in_error";

    private final String chromium = System.getProperty("dossier.chromium", "/usr/bin/chromium");
    private Path directory;
    private LocalNode node;

    @BeforeAll
    void prepare(@TempDir Path temporary) throws Exception {
        directory = temporary;
        requireTool(
                succeeds(List.of("node", "--version")) && succeeds(List.of("npm", "--version")),
                "node and npm are needed for the verify page tests (apt-get install -y nodejs npm)");
        requireTool(
                Files.isExecutable(Path.of(chromium)),
                "Chromium is needed for the verify page tests: apt-get install -y chromium (or -Ddossier.chromium)");
        if (!Files.isDirectory(WEB.resolve("node_modules").resolve("playwright-core"))) {
            Run npm = run(List.of("npm", "ci", "--no-audit", "--no-fund"), "npm-ci");
            assertThat(npm.exit()).as("npm ci in %s:%n%s", WEB, npm.output()).isZero();
        }
        node = new LocalNode(directory.resolve("ledger"));
    }

    @AfterAll
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void verificationModule_unitTests_pass() throws Exception {
        Run tests = run(
                List.of(
                        "node",
                        "--test",
                        "receipt.test.mjs",
                        "card.test.mjs",
                        "revocations.test.mjs",
                        "worker-card.test.mjs",
                        "credential.test.mjs"),
                "receipt-unit");
        assertThat(tests.exit()).as(tests.output()).isZero();
        assertThat(tests.output()).contains("# fail 0").doesNotContain("# pass 0");
    }

    @Test
    void page_againstSyntheticNode_showsEveryVerdict() throws Exception {
        Run tests = run(List.of("node", "mock.test.mjs"), "page-mock");
        assertThat(tests.exit()).as(tests.output()).isZero();
        assertThat(tests.output()).contains(" passed, 0 failed");
    }

    @Test
    void page_againstRealNode_verifiesWhatTheClientAnchored() throws Exception {
        URI base = URI.create(node.node.httpUrl());
        NodeApi api = new NodeApi(base);
        Path keys = directory.resolve("keys");
        Path files = Files.createDirectories(directory.resolve("fixtures"));
        TrustFile trust = api.trust();

        Map<String, String> validRow = TestData.validRow();
        validRow.put("record_id", "WEB-VALID");
        validRow.put("worker_given_name", "Zoë"); // non-ASCII: escaped in the certificate, UTF-8 in JCS
        validRow.put("course_title", "Addetto primo soccorso — aziende gruppo B/C");
        Map<String, String> revokedRow = TestData.validRow();
        revokedRow.put("record_id", "WEB-REVOKED");
        Map<String, String> expiredRow = expiredRow("WEB-EXPIRED");
        Map<String, String> oldRow = TestData.validRow();
        oldRow.put("record_id", "WEB-CORRECTED");
        Map<String, String> correctedRow = new java.util.LinkedHashMap<>(oldRow);
        correctedRow.put("version", "2");
        correctedRow.put("course_title", "Addetto primo soccorso (corrected)");

        TrainingRecord valid = record(validRow);
        TrainingRecord revoked = record(revokedRow);
        TrainingRecord expired = record(expiredRow);
        TrainingRecord old = record(oldRow);
        Certificate validCertificate;
        Certificate revokedCertificate;
        Certificate expiredCertificate;
        Receipt oldReceipt;
        String revokedReceiptJson;
        Commitment corrected;
        try (Gateway gateway = node.gateway("Issuer")) {
            Dossier issuer = LocalNode.dossier(gateway, keys);
            for (TrainingRecord r : List.of(valid, revoked, expired, old)) {
                assertThat(issuer.anchor(r).outcome()).isEqualTo(Outcome.ANCHORED);
            }
            HmacKey saltKey = HmacKey.load(keys.resolve("issuer-salt.key"));
            validCertificate = certificate(api, saltKey, valid);
            revokedCertificate = certificate(api, saltKey, revoked);
            expiredCertificate = certificate(api, saltKey, expired);
            Certificate oldCertificate = certificate(api, saltKey, old);
            oldReceipt = Receipt.decode(oldCertificate.receipt());
            revokedReceiptJson = get(base.resolve("/v1/receipts/" + revokedCertificate.commitment()));

            issuer.revoke(Commitment.fromHex(revokedCertificate.commitment()), REVOCATION_REASON);
            corrected = Commitment.fromHex(
                    issuer.supersede(Commitment.fromHex(oldCertificate.commitment()), record(correctedRow))
                            .commitment());
        }

        VerifiedReceipt verified = Receipt.decode(validCertificate.receipt()).verify(trust);
        JsonNode entry = MAPPER.readTree(verified.entry());
        String checkpointTime =
                Instant.ofEpochSecond(verified.checkpoint().time()).toString();
        List<String> signers = new ArrayList<>(new TreeSet<>(verified.signers()));

        Path validJson = write(files, "valid.certificate.json", validCertificate.toJson());
        Path validPdf = files.resolve("valid.certificate.pdf");
        CertificatePdf.write(validCertificate, validPdf);
        Path qr = files.resolve("valid.qr.png");
        QrCode.writePng(validCertificate.verifyUrl(), 4, qr);
        ObjectNode tamperedJson = (ObjectNode) MAPPER.readTree(validCertificate.toJson());
        ((ObjectNode) tamperedJson.path("record").path("course")).put("workload_hours", 16);
        Path tampered = write(files, "tampered.certificate.json", MAPPER.writeValueAsString(tamperedJson));
        String extended = extendValidity(validCertificate.receipt());

        ObjectNode fixtures = fixtures(base);
        ArrayNode cases = fixtures.putArray("cases");
        List<String> facts = new ArrayList<>(List.of(
                "Org1MSP",
                "first checkpoint of this log seen here",
                entry.path("anchoredAt").asText(),
                valid.validUntil().orElseThrow().toString(),
                checkpointTime));
        facts.addAll(signers);
        addCase(cases, "valid: verify link", "link", "receipt", validCertificate.receipt(), "VALID", facts);
        addCase(
                cases,
                "valid: certificate JSON",
                "file",
                "file",
                validJson.toString(),
                "VALID",
                List.of("Zoë Colombo", "Addetto primo soccorso — aziende gruppo B/C", "Org1MSP"));
        addCase(cases, "valid: certificate PDF", "file", "file", validPdf.toString(), "VALID", List.of("Zoë Colombo"));
        addCase(cases, "valid: QR code picture", "file", "file", qr.toString(), "VALID", List.of("Org1MSP"));
        addCase(cases, "valid: QR code through the camera", "camera", "file", qr.toString(), "VALID", List.of());
        addCase(cases, "valid: pasted verify link", "paste", "text", validCertificate.verifyUrl(), "VALID", List.of());
        addCase(
                cases,
                "tampered: record changed in the certificate",
                "file",
                "file",
                tampered.toString(),
                "TAMPERED",
                List.of("Failed check: commitment", "does not hash to"));
        addCase(
                cases,
                "tampered: entry's validUntil extended in the receipt",
                "link",
                "receipt",
                extended,
                "TAMPERED",
                List.of("Failed check: inclusion", "Root mismatch"));
        addCase(
                cases,
                "revoked: receipt JSON from GET /v1/receipts",
                "file",
                "file",
                write(files, "revoked.receipt.json", revokedReceiptJson).toString(),
                "REVOKED",
                List.of(REVOCATION_REASON, "Org1MSP"));
        addCase(
                cases,
                "revoked: certificate JSON",
                "file",
                "file",
                write(files, "revoked.certificate.json", revokedCertificate.toJson())
                        .toString(),
                "REVOKED",
                List.of(REVOCATION_REASON));
        addCase(
                cases,
                "expired: certificate with a past valid_until",
                "file",
                "file",
                write(files, "expired.certificate.json", expiredCertificate.toJson())
                        .toString(),
                "EXPIRED",
                List.of("refresher was due by 2023-06-01"));
        addCase(
                cases,
                "superseded: verify link of the old version",
                "link",
                "receipt",
                oldReceipt.encode(),
                "SUPERSEDED",
                List.of(corrected.toString()));
        List<String> offline = List.of(
                "Valid as of " + checkpointTime,
                "Checked offline against the pinned consortium keys",
                "revocations after " + checkpointTime + " cannot be seen offline");
        addCase(
                cases,
                "offline: page from the service worker, keys from the cache",
                "offline",
                "receipt",
                validCertificate.receipt(),
                "VALID_OFFLINE",
                offline);
        for (String failure : List.of("http-503", "blocked", "not-json")) {
            ObjectNode failing = cases.addObject();
            failing.put("name", "revoked: status request fails while online (" + failure + ")")
                    .put("kind", "status-fails")
                    .put("failure", failure)
                    .put("receipt", revokedCertificate.receipt());
            ObjectNode expect = failing.putObject("expect").put("verdict", "UNKNOWN");
            expect.putArray("text").add("STATUS UNKNOWN").add("Current status unknown");
            expect.putArray("absent").add("VALID");
        }
        ObjectNode trustChange = cases.addObject();
        trustChange
                .put("name", "trust file changed: the pinned keys stay until the user trusts the new ones")
                .put("kind", "trust-change")
                .put("receipt", validCertificate.receipt());
        ObjectNode trustExpect = trustChange.putObject("expect").put("verdict", "VALID");
        trustExpect.putArray("text").add("not the different ones this node serves");
        ObjectNode afterAccept = trustExpect.putObject("afterAccept").put("verdict", "TAMPERED");
        afterAccept.putArray("text").add("Failed check: signature");
        Path otherQr = files.resolve("other.qr.png");
        QrCode.writePng("https://example.org/not-a-certificate", 4, otherQr);
        ObjectNode other = cases.addObject();
        other.put("name", "QR code of something else").put("kind", "file").put("file", otherQr.toString());
        other.putObject("expect").put("message", "not a Dossier verify link or receipt");
        if (serviceWorkerMayControlBareLinks(base)) {
            addCase(
                    cases,
                    "offline: bare QR link /verify#r= from the service worker",
                    "offline-link",
                    "receipt",
                    validCertificate.receipt(),
                    "VALID_OFFLINE",
                    offline);
        } else {
            System.out.println(
                    "VerifyPageIT: the node sends no 'Service-Worker-Allowed: /verify' with /verify/sw.js, so"
                            + " the page's service worker covers /verify/ only: a QR link /verify#r=... does not open offline");
        }
        Path fixturesFile = write(
                files, "fixtures.json", MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(fixtures));

        Run page = run(List.of("node", "verify-page.test.mjs", fixturesFile.toString()), "page-real-node");
        assertThat(page.exit()).as(page.output()).isZero();
        assertThat(page.output()).contains(cases.size() + " passed, 0 failed");
    }

    /**
     * Inspector's cards scanned by the page against the real node, which holds the records and the cards' entries and
     * serves the organisation's card key (made by {@link dev.dossier.node.config.OrganisationKeys#CARDS} as {@code network init}
     * makes it) in its own {@code /v1/keys}: the page's keys, statuses and service worker are all the real node's.
     */
    @Test
    void page_againstRealNode_verifiesInspectorsCards() throws Exception {
        URI base = URI.create(node.node.httpUrl());
        NodeApi api = new NodeApi(base);
        Path keys = directory.resolve("card-keys");
        Path files = Files.createDirectories(directory.resolve("card-fixtures"));
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        assertThat(api.trust().cardKeys()).containsExactly(node.cardKey);

        Map<String, String> genuineRow = TestData.validRow();
        genuineRow.put("record_id", "CARD-GENUINE");
        genuineRow.put("worker_given_name", "Giulia");
        genuineRow.put("worker_family_name", "Bianchi");
        Map<String, String> otherRow = TestData.validRow();
        otherRow.put("record_id", "CARD-OTHER");
        Map<String, String> revokedRow = TestData.validRow();
        revokedRow.put("record_id", "CARD-REVOKED");
        Map<String, String> expiredRow = expiredRow("CARD-EXPIRED");
        String genuine;
        String revoked;
        String expired;
        Certificate otherCertificate;
        try (Gateway gateway = node.gateway("Issuer")) {
            Dossier issuer = Dossier.newInstance()
                    .contract(LocalNode.notary(gateway))
                    .saltKey(HmacKey.loadOrCreate(keys.resolve("issuer-salt.key")))
                    .cardIssuer(node.cardIssuer())
                    .build();
            genuine = issuer.issueCard(record(genuineRow)).text();
            IssuedCard revokedCard = issuer.issueCard(record(revokedRow));
            revoked = revokedCard.text();
            expired = issuer.issueCard(record(expiredRow)).text();
            TrainingRecord other = record(otherRow);
            issuer.anchor(other);
            otherCertificate = certificate(api, HmacKey.load(keys.resolve("issuer-salt.key")), other);
            issuer.revoke(Commitment.fromHex(revokedCard.recordCommitment()), REVOCATION_REASON);
        }
        P256PrivateKey unlistedKey = P256PrivateKey.generate();
        String unlisted = new CardIssuer(
                        unlistedKey,
                        new CardKey(
                                "Org1MSP",
                                today.minusDays(1),
                                today.plusYears(2),
                                unlistedKey.publicKey().subjectPublicKeyInfo()))
                .issue(record(genuineRow), new byte[32], Instant.now());
        String tampered = changeOneCharacter(genuine);

        Path genuineQr = files.resolve("genuine.card.png");
        QrCode.writePng(genuine, 4, genuineQr);
        // the genuine card's QR code on a certificate PDF of another worker: the page must show Giulia Bianchi
        Path forgedPdf = files.resolve("forged.certificate.pdf");
        CertificatePdf.write(otherCertificate, genuine, forgedPdf);
        Path forgedPicture = files.resolve("forged.certificate.png");
        try (PDDocument document = Loader.loadPDF(Files.readAllBytes(forgedPdf))) {
            ImageIO.write(new PDFRenderer(document).renderImageWithDPI(0, 150), "png", forgedPicture.toFile());
        }

        ObjectNode fixtures = fixtures(base);
        ArrayNode cases = fixtures.putArray("cases");
        List<String> shown = List.of(
                "Giulia Bianchi",
                "1976-05-27",
                "Addetto primo soccorso",
                "identity document",
                "anchored by Org1MSP, status active");
        addCase(cases, "card: QR code picture", "file", "file", genuineQr.toString(), "VALID", shown);
        String readmeScreenshot = System.getProperty("dossier.web.cardScreenshot");
        if (readmeScreenshot != null) {
            ((ObjectNode) cases.get(cases.size() - 1))
                    .put(
                            "screenshot",
                            Path.of(readmeScreenshot).toAbsolutePath().toString());
        }
        addCase(cases, "card: QR code through the camera", "camera", "file", genuineQr.toString(), "VALID", shown);
        addCase(cases, "card: pasted text", "paste", "text", genuine, "VALID", shown);
        addCase(cases, "card: pasted text, CPU 4x slower (timed)", "paste", "text", genuine, "VALID", shown);
        ((ObjectNode) cases.get(cases.size() - 1)).put("cpuThrottling", 4);
        addCase(
                cases,
                "card: genuine QR code on a forged PDF shows the genuine worker",
                "file",
                "file",
                forgedPicture.toString(),
                "VALID",
                List.of("Giulia Bianchi"));
        expectAbsent(cases, "Colombo");
        addCase(
                cases,
                "card: certificate PDF carrying a card, dropped: checked as the card",
                "drop",
                "file",
                forgedPdf.toString(),
                "VALID",
                shown);
        expectAbsent(cases, "Colombo");
        addCase(cases, "card: one character changed", "paste", "text", tampered, "TAMPERED", List.of("altered"));
        expectAbsent(cases, "Bianchi");
        addCase(
                cases,
                "card: key not in the trust file",
                "paste",
                "text",
                unlisted,
                "UNKNOWN_SIGNER",
                List.of("which the trust file does not list"));
        addCase(cases, "card: expired", "paste", "text", expired, "EXPIRED", List.of("valid only until 2023-06-01"));
        addCase(
                cases,
                "card: record revoked",
                "paste",
                "text",
                revoked,
                "REVOKED",
                List.of("record was revoked by Org1MSP (" + REVOCATION_REASON + ")", "Colombo"));
        // The page syncs the node's signed revocation list when it loads (into IndexedDB): a card whose record was
        // revoked before that sync is REVOKED offline too, from the page the service worker serves, with the list's
        // age.
        addOfflinePaste(
                cases,
                "card: revoked while online, then verified offline after a sync",
                revoked,
                "REVOKED",
                "REVOKED",
                List.of(
                        "Colombo",
                        "record is revoked on the revocation list of ledger height",
                        "the consortium keys saved on this device today",
                        "the ledger was not asked"));
        addOfflinePaste(
                cases,
                "card: genuine, verified offline after a sync, says how old the revocation list is",
                genuine,
                "VALID",
                "VALID_OFFLINE",
                List.of(
                        "Giulia Bianchi",
                        "not on the revocation list of ledger height",
                        "a revocation after that cannot be seen offline"));
        addCase(
                cases,
                "card: a revocation list with a changed byte is refused, never used",
                "paste",
                "text",
                revoked,
                "REVOKED",
                List.of("record was revoked by Org1MSP"));
        ObjectNode altered = (ObjectNode) cases.get(cases.size() - 1);
        altered.put("alterRevocations", true);
        ObjectNode alteredList =
                ((ObjectNode) altered.get("expect")).putObject("revocations").put("state", "refused");
        alteredList
                .putArray("text")
                .add("Revocation list refused and not used")
                .add("the entries do not match the signed header's SHA-256 (altered)")
                .add("Still none on this device yet");
        runPage(files, fixtures, "page-cards");
    }

    /**
     * A worker's safety card with 8 modules scanned by the page against the real node: each module's entry found by
     * its commitment prefix; one module expired, one expiring within 60 days, one whose record was revoked; offline,
     * the statuses by date and that the ledger was not asked; a changed character is TAMPERED.
     */
    @Test
    void page_againstRealNode_verifiesAWorkersCardOfEightModules() throws Exception {
        URI base = URI.create(node.node.httpUrl());
        Path files = Files.createDirectories(directory.resolve("worker-card-fixtures"));
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        List<Map<String, String>> rows = new ArrayList<>();
        for (String module : List.of(
                "generale",
                "specifica_alto",
                "preposto",
                "dirigente",
                "attrezzature_ponteggi",
                "attrezzature_gru_autocarro")) {
            Map<String, String> row = TestData.validRow();
            row.put("record_id", "WORKER-" + module);
            row.put("safety_module", module);
            row.put("course_title", "Corso " + module.replace('_', ' '));
            rows.add(row);
        }
        Map<String, String> expiring = TestData.validRow(); // first aid, valid 3 years: ends in 30 days
        expiring.put("record_id", "WORKER-primo_soccorso");
        expiring.put("start_date", today.minusYears(2).minusDays(2).toString());
        expiring.put("end_date", today.minusYears(2).minusDays(1).toString());
        expiring.put("issue_date", today.minusYears(2).toString());
        expiring.put("valid_until", today.plusDays(30).toString());
        rows.add(expiring);
        Map<String, String> expired = expiredRow("WORKER-antincendio");
        expired.put("safety_module", "antincendio");
        expired.put("course_title", "Addetto antincendio livello 2");
        rows.add(expired);
        HmacKey saltKey = HmacKey.loadOrCreate(directory.resolve("card-keys").resolve("worker-salt.key"));
        List<WorkerCards.Held> held = new ArrayList<>();
        try (Gateway gateway = node.gateway("Issuer")) {
            Dossier issuer = Dossier.newInstance()
                    .contract(LocalNode.notary(gateway))
                    .saltKey(saltKey)
                    .build();
            for (Map<String, String> row : rows) {
                row.put("worker_given_name", "Marta");
                row.put("worker_family_name", "Ferri");
                TrainingRecord record = record(row);
                issuer.anchor(record);
                byte[] salt = Commitments.salt(saltKey, record.recordId(), record.version());
                held.add(new WorkerCards.Held(
                        record, Commitments.record(salt, record.canonicalJson()).toBytes()));
            }
            issuer.revoke(Commitment.of(held.get(5).commitment()), REVOCATION_REASON); // the crane module
        }
        List<WorkerCards.Held> current = WorkerCards.current(held, java.util.Set.of());
        assertThat(current).hasSize(8);
        String card = node.cardIssuer().sign(WorkerCards.card(current, "Org1MSP", Instant.now()));
        Path qr = files.resolve("worker.card.png");
        assertThat(QrCode.writeCardPng(card, 4, qr)).isLessThanOrEqualTo(25);
        String tampered = changeOneCharacter(card);

        ObjectNode fixtures = fixtures(base);
        ArrayNode cases = fixtures.putArray("cases");
        List<String> shown = List.of(
                "Marta Ferri",
                "1976-05-27",
                "every module anchored by Org1MSP; 5 valid, 1 expiring, 1 expired, 1 revoked",
                "! EXPIRING Addetto primo socco… (primo_soccorso)",
                "✕ EXPIRED Addetto antincendio… (antincendio)",
                "✕ REVOKED Corso attrezzature… (attrezzature_gru_autocarro)",
                "revoked by Org1MSP (" + REVOCATION_REASON + ")",
                "✓ VALID Corso generale (generale)",
                "identity document");
        addCase(cases, "worker's card: QR code picture, 8 modules", "file", "file", qr.toString(), "VALID", shown);
        addCase(cases, "worker's card: pasted text", "paste", "text", card, "VALID", shown);
        addCase(cases, "worker's card: one character changed", "paste", "text", tampered, "TAMPERED", List.of());
        expectAbsent(cases, "Ferri");
        addOfflinePaste(
                cases,
                "worker's card: offline, statuses by date and the synced revocation list",
                card,
                "VALID",
                "VALID_OFFLINE",
                List.of(
                        "Marta Ferri",
                        "5 valid, 1 expiring, 1 expired, 1 revoked",
                        "revoked on the revocation list of ledger height",
                        "the ledger was not asked"));
        runPage(files, fixtures, "page-worker-card");
    }

    @Test
    void page_againstRealNode_verifiesOpenBadgesCredentials_asDossierVerifyDoes() throws Exception {
        URI base = URI.create(node.node.httpUrl());
        NodeApi api = new NodeApi(base);
        Path files = Files.createDirectories(directory.resolve("credential-fixtures"));
        List<Map<String, String>> changes = List.of(
                Map.of("record_id", "OB3-PAGE-GENUINE", "worker_given_name", "Chiara", "worker_family_name", "Moretti"),
                Map.of("record_id", "OB3-PAGE-REVOKED"));
        IssuedCredential genuine;
        IssuedCredential revoked;
        try (Gateway gateway = node.gateway("Issuer")) {
            Dossier dossier = LocalNode.dossier(gateway, directory.resolve("credential-keys"));
            List<CredentialIssuance.Anchored> anchored = new ArrayList<>();
            for (Map<String, String> change : changes) {
                Map<String, String> row = TestData.validRow();
                row.putAll(change);
                TrainingRecord record = record(row);
                anchored.add(new CredentialIssuance.Anchored(
                        record, Commitment.fromHex(dossier.anchor(record).commitment())));
            }
            List<IssuedCredential> issued = dossier.issueCredentials(anchored, node.credentialIssuer(), api);
            genuine = issued.get(0);
            revoked = issued.get(1);
            dossier.revoke(revoked.recordCommitment(), REVOCATION_REASON);
        }
        JsonNode vectors = MAPPER.readTree(
                Path.of("src/test/resources/vectors/credential-v1.json").toFile());
        Map<String, String> others = new java.util.HashMap<>();
        vectors.get("credentials")
                .forEach(v -> others.put(v.get("name").asText(), v.get("json").asText()));
        ObjectNode renamed = (ObjectNode) MAPPER.readTree(genuine.json());
        renamed.put("name", "Another course");

        // each credential: the page's verdict must be the one dossier verify gives against the same node
        Map<String, String> credentials = new java.util.LinkedHashMap<>();
        credentials.put("genuine", genuine.json());
        credentials.put("revoked", revoked.json());
        credentials.put("renamed", MAPPER.writeValueAsString(renamed));
        credentials.put("another issuer (did:key)", others.get("another-issuer-did-key"));
        credentials.put("unlisted key", others.get("unlisted-key"));
        Map<String, String> expected = Map.of(
                "genuine", "VALID",
                "revoked", "REVOKED",
                "renamed", "TAMPERED",
                "another issuer (did:key)", "NOT_FOUND",
                "unlisted key", "UNKNOWN_SIGNER");
        CredentialVerifier cli = new CredentialVerifier(
                api, api.trust(), List.of(), dev.dossier.credential.Contexts.bundled(), java.time.Clock.systemUTC());
        ObjectNode fixtures = fixtures(base);
        ArrayNode cases = fixtures.putArray("cases");
        for (Map.Entry<String, String> credential : credentials.entrySet()) {
            CredentialVerifier.Result verdict = cli.verify(credential.getValue());
            assertThat(verdict.verdict().name())
                    .as(credential.getKey() + ": " + verdict.reason())
                    .isEqualTo(expected.get(credential.getKey()));
            Path file = write(files, credential.getKey().replaceAll("[^a-z]+", "-") + ".json", credential.getValue());
            // the reason as dossier verify prints it, up to the first detail the page words as a sentence
            String reason = verdict.reason().length() > 60
                    ? verdict.reason().substring(1, 60)
                    : verdict.reason().substring(1);
            addCase(
                    cases,
                    "credential: " + credential.getKey() + ", file",
                    "file",
                    "file",
                    file.toString(),
                    verdict.verdict().name(),
                    List.of(reason));
        }
        addCase(
                cases,
                "credential: genuine, pasted",
                "paste",
                "text",
                genuine.json(),
                "VALID",
                List.of(
                        "Chiara Moretti",
                        "anchored by Org1MSP, status active, not revoked on status list 0",
                        "eddsa-rdfc-2022"));
        addOfflinePaste(
                cases,
                "credential: genuine, offline: proof and dates only",
                genuine.json(),
                "VALID",
                "VALID_OFFLINE",
                List.of("Chiara Moretti", "the ledger and the status list were not asked (offline)"));
        runPage(files, fixtures, "page-credentials");
    }

    /** Runs the page's cases of {@code fixtures} in Chromium; every case must pass. */
    private void runPage(Path files, ObjectNode fixtures, String name) throws Exception {
        Path fixturesFile = write(
                files, "fixtures.json", MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(fixtures));
        Run page = run(List.of("node", "verify-page.test.mjs", fixturesFile.toString()), name);
        assertThat(page.exit()).as(page.output()).isZero();
        assertThat(page.output()).contains(fixtures.get("cases").size() + " passed, 0 failed");
    }

    /** @return a card's text with its middle character changed (to another Base45 character) */
    private static String changeOneCharacter(String card) {
        int middle = card.length() / 2;
        return card.substring(0, middle) + (card.charAt(middle) == '0' ? '1' : '0') + card.substring(middle + 1);
    }

    /** The receipt with its entry's validUntil moved two years on: same length, so only the proof can tell. */
    private static String extendValidity(String receipt) {
        byte[] bytes = Base64.getUrlDecoder().decode(receipt);
        String latin = new String(bytes, StandardCharsets.ISO_8859_1);
        int at = latin.indexOf("\"validUntil\":\"") + "\"validUntil\":\"".length();
        assertThat(at).isGreaterThan("\"validUntil\":\"".length());
        int year = Integer.parseInt(latin.substring(at, at + 4)) + 2;
        byte[] digits = Integer.toString(year).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(digits, 0, bytes, at, 4);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The page tests' fixtures: the node, the browser and where screenshots go ({@code -Ddossier.web.screenshots}). */
    private ObjectNode fixtures(URI base) {
        ObjectNode fixtures = MAPPER.createObjectNode();
        fixtures.put("baseUrl", base.toString());
        fixtures.put("chromium", chromium);
        String screenshots = System.getProperty("dossier.web.screenshots");
        if (screenshots != null) {
            fixtures.put("screenshots", screenshots);
        }
        return fixtures;
    }

    /** A valid row whose training expired on 2023-06-01. */
    private static Map<String, String> expiredRow(String recordId) {
        Map<String, String> row = TestData.validRow();
        row.put("record_id", recordId);
        row.put("start_date", "2020-05-27");
        row.put("end_date", "2020-05-28");
        row.put("issue_date", "2020-06-01");
        row.put("valid_until", "2023-06-01");
        return row;
    }

    private static TrainingRecord record(Map<String, String> fields) {
        ValidatedRow row = new RecordValidator().validate(new RawRow(1, fields, List.of()));
        assertThat(row.violations()).isEmpty();
        return row.record();
    }

    private static Certificate certificate(NodeApi api, HmacKey saltKey, TrainingRecord record)
            throws IOException, InterruptedException {
        byte[] salt = Commitments.salt(saltKey, record.recordId(), record.version());
        Receipt receipt = api.receipt(Commitments.record(salt, record.canonicalJson()), RECEIPT_WAIT);
        return Certificate.of(record, salt, api.base(), receipt);
    }

    private static void addCase(
            ArrayNode cases, String name, String kind, String field, String value, String verdict, List<String> text) {
        ObjectNode c = cases.addObject();
        c.put("name", name);
        c.put("kind", kind);
        c.put(field, value);
        ObjectNode expect = c.putObject("expect");
        expect.put("verdict", verdict);
        text.forEach(expect.putArray("text")::add);
    }

    /** Adds a case pasting {@code text} online (verdict {@code online}), then offline from the service worker. */
    private static void addOfflinePaste(
            ArrayNode cases, String name, String text, String online, String verdict, List<String> shown) {
        addCase(cases, name, "offline-paste", "text", text, verdict, shown);
        ((ObjectNode) cases.get(cases.size() - 1).path("expect")).put("online", online);
    }

    /** Adds a text the result of the last case must not contain. */
    private static void expectAbsent(ArrayNode cases, String text) {
        ((ObjectNode) cases.get(cases.size() - 1).path("expect"))
                .withArray("absent")
                .add(text);
    }

    private static boolean serviceWorkerMayControlBareLinks(URI base) throws IOException, InterruptedException {
        HttpResponse<Void> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(base.resolve("/verify/sw.js"))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.headers()
                .firstValue("Service-Worker-Allowed")
                .filter("/verify"::equals)
                .isPresent();
    }

    private static String get(URI uri) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", uri, response.body()).isEqualTo(200);
        return response.body();
    }

    private static Path write(Path dir, String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private record Run(int exit, String output) {}

    private Run run(List<String> command, String name) throws IOException, InterruptedException {
        Path log = Files.createTempFile(directory, name, ".log");
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(WEB.toFile()).redirectErrorStream(true);
        builder.redirectOutput(log.toFile());
        builder.environment().put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        builder.environment().put("CHROMIUM", chromium);
        Process process = builder.start();
        if (!process.waitFor(8, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
            return new Run(-1, "timed out after 8 minutes: " + command + "\n" + Files.readString(log));
        }
        String output = Files.readString(log);
        System.out.println("--- " + String.join(" ", command) + "\n" + output);
        return new Run(process.exitValue(), output);
    }

    /**
     * Fails, saying what to install, when a tool is missing: a skipped browser test would hide that the page went
     * untested. {@code scripts/dossier test} installs the tools; {@code -Ddossier.browserTests=skip} skips on
     * purpose.
     */
    private static void requireTool(boolean present, String why) {
        if ("skip".equals(System.getProperty("dossier.browserTests"))) {
            assumeTrue(false, "browser tests skipped with -Ddossier.browserTests=skip");
        }
        if (!present) {
            throw new AssertionError(why + " (scripts/dossier test installs what the browser tests need)");
        }
    }

    private static boolean succeeds(List<String> command) {
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
