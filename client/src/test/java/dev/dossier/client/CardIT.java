package dev.dossier.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.Result;
import dev.dossier.client.bulk.Outcome;
import dev.dossier.client.card.CardAnchoring;
import dev.dossier.client.card.CardIssuer;
import dev.dossier.client.card.IssuedCard;
import dev.dossier.client.certificate.CertificatePdf;
import dev.dossier.client.certificate.QrCode;
import dev.dossier.client.cli.Main;
import dev.dossier.client.digest.Commitment;
import dev.dossier.client.digest.Commitments;
import dev.dossier.client.digest.HmacKey;
import dev.dossier.client.record.RawRow;
import dev.dossier.client.record.RecordSource;
import dev.dossier.client.record.RecordValidator;
import dev.dossier.client.record.TrainingRecord;
import dev.dossier.client.record.ValidatedRow;
import dev.dossier.client.transport.NodeApi;
import dev.dossier.common.card.CardCheck;
import dev.dossier.common.note.TrustFile;
import dev.dossier.common.verdict.Verdict;
import dev.dossier.crypto.P256PrivateKey;
import dev.dossier.crypto.Pem;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
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
 * Inspector's cards end to end through a real node: signed by the client with a card key the trust file lists, anchored
 * with their records, verified online through the gateway ({@link Dossier#verifyCard}) and through the public HTTP API
 * ({@code dossier verify --card}), from the {@code dossier anchor --cards} files and the {@code dossier certificate}
 * PDF, whose QR code holds the card.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CardIT {
    private Path directory;
    private LocalNode node;
    private Path keys;
    private Path cardKeyFile;
    private Path trustFile;
    private TrustFile trust;
    private P256PrivateKey cardKey;

    @BeforeAll
    void start(@TempDir Path temporary) throws Exception {
        directory = temporary;
        node = new LocalNode(directory.resolve("ledger"));
        keys = Files.createDirectories(directory.resolve("keys"));
        // the organisation's card key made as network init makes it; the node lists it in its /v1/keys
        cardKeyFile = node.cardKeyFile();
        cardKey = Pem.readPrivateKey(cardKeyFile);
        trust = new NodeApi(URI.create(node.node.httpUrl())).trust();
        assertThat(trust.cardKeys()).containsExactly(node.cardKey);
        trustFile = keys.resolve("trust.txt");
        Files.writeString(trustFile, trust.format());
    }

    @AfterAll
    void stop() {
        node.close();
    }

    private Dossier dossier(Gateway gateway) throws Exception {
        return Dossier.newInstance()
                .contract(LocalNode.notary(gateway))
                .saltKey(HmacKey.loadOrCreate(keys.resolve("issuer-salt.key")))
                .pseudonymKey(HmacKey.loadOrCreate(keys.resolve("sector-pseudonym.key")))
                .cardIssuer(CardIssuer.listed(cardKey, trust.cardKeys()))
                .build();
    }

    /** @return the valid test record with this id and version */
    static TrainingRecord record(String id, int version) {
        Map<String, String> fields = TestData.validRow();
        fields.put("record_id", id);
        fields.put("version", Integer.toString(version));
        ValidatedRow row = new RecordValidator().validate(new RawRow(1, fields, List.of()));
        assertThat(row.violations()).isEmpty();
        return row.record();
    }

    @Test
    void issuedCard_isValidOnline_thenRevokedWithItsRecord_orSupersededWithIt() throws Exception {
        try (Gateway gateway = node.gateway("Issuer")) {
            Dossier dossier = dossier(gateway);
            IssuedCard card = dossier.issueCard(record("CARD-1", 1));
            assertThat(card.recordOutcome()).isIn(Outcome.ANCHORED, Outcome.ALREADY_ANCHORED);
            assertThat(card.cardOutcome()).isEqualTo(Outcome.ANCHORED);
            assertThat(card.text()).startsWith("DC1:").matches("[0-9A-Z $%*+./:-]+");

            CardCheck valid = dossier.verifyCard(card.text(), trust.cardKeys());
            assertThat(valid.verdict()).as(valid.reason()).isEqualTo(Verdict.VALID);
            assertThat(valid.reason()).endsWith("anchored by Org1MSP, status active");
            assertThat(valid.card().familyName()).isEqualTo(TestData.validRow().get("worker_family_name"));
            assertThat(dossier.status(Commitment.fromHex(card.digest()))
                            .orElseThrow()
                            .kind())
                    .isEqualTo("card");

            dossier.revoke(Commitment.fromHex(card.recordCommitment()), "issued_in_error");
            CardCheck revoked = dossier.verifyCard(card.text(), trust.cardKeys());
            assertThat(revoked.verdict()).isEqualTo(Verdict.REVOKED);
            assertThat(revoked.reason()).isEqualTo("the record was revoked by Org1MSP (issued_in_error)");

            IssuedCard second = dossier.issueCard(record("CARD-2", 1));
            dossier.supersede(Commitment.fromHex(second.recordCommitment()), record("CARD-2", 2));
            assertThat(dossier.verifyCard(second.text(), trust.cardKeys()).verdict())
                    .isEqualTo(Verdict.SUPERSEDED);
        }
    }

    @Test
    void anchorWithCards_writesACardPerRecord_andCertificateCarriesItsQr_andVerifyReadsBoth() throws Exception {
        Path out = directory.resolve("out");
        Path cards = directory.resolve("cards");
        Path input = TestData.small();
        int code = anchorWithCards(input, out, cards);
        assertThat(code).isZero();
        List<Path> files;
        try (Stream<Path> list = Files.list(cards)) {
            files = list.sorted().toList();
        }
        List<TrainingRecord> records = new ArrayList<>();
        RecordValidator validator = new RecordValidator();
        try (RecordSource source = RecordSource.open(input)) {
            for (RawRow row = source.next(); row != null; row = source.next()) {
                records.add(validator.validate(row).record());
            }
        }
        assertThat(files).hasSize(records.size());
        try (Gateway gateway = node.gateway("Inspector")) {
            Dossier inspector = LocalNode.dossier(gateway, directory.resolve("inspector-keys"));
            // three records whose training does not expire (no safety module): VALID whenever the test runs; the
            // fixture's dates are fixed, and its first-aid rows expire in 2028
            List<TrainingRecord> lasting = records.stream()
                    .filter(r -> r.validUntil().isEmpty())
                    .limit(3)
                    .toList();
            assertThat(lasting).hasSize(3);
            for (TrainingRecord record : lasting) {
                String text =
                        Files.readString(CardAnchoring.file(cards, record)).strip();
                CardCheck check = inspector.verifyCard(text, trust.cardKeys());
                assertThat(check.verdict()).as(check.reason()).isEqualTo(Verdict.VALID);
                assertThat(check.card().commitmentHex())
                        .isEqualTo(Commitments.record(
                                        Commitments.salt(
                                                HmacKey.load(keys.resolve("issuer-salt.key")),
                                                record.recordId(),
                                                record.version()),
                                        record.canonicalJson())
                                .toString());
            }
        }
        // a second run signs no card twice
        assertThat(anchorWithCards(input, out, cards)).isZero();
        try (Stream<Path> list = Files.list(cards)) {
            assertThat(list.count()).isEqualTo(records.size());
        }

        TrainingRecord first = records.get(0);
        Path pdf = directory.resolve("certificate.pdf");
        assertThat(Main.run(cli(
                        "certificate",
                        "--input",
                        input.toString(),
                        "--record-id",
                        first.recordId(),
                        "--node-url",
                        node.node.httpUrl(),
                        "--out",
                        pdf.toString())))
                .isZero();
        byte[] bytes = Files.readAllBytes(pdf);
        String card = CertificatePdf.card(bytes).orElseThrow();
        assertThat(Files.readString(directory.resolve("certificate.card")).strip())
                .isEqualTo(card);
        assertThat(qrOf(bytes)).isEqualTo(card);

        CliRun verified = run("verify", "--card", pdf.toString(), "--trust", trustFile.toString());
        assertThat(verified.code()).as(verified.text()).isZero();
        assertThat(verified.text())
                .contains("VALID")
                .contains(first.value(dev.dossier.client.record.Field.WORKER_FAMILY_NAME))
                .contains("compare the name and birth date with the worker's identity document");
        Path photo = directory.resolve("card-photo.png");
        javax.imageio.ImageIO.write(dev.dossier.client.certificate.QrCode.image(card, 3), "png", photo.toFile());
        CliRun scanned = run("verify", "--card", photo.toString(), "--trust", trustFile.toString());
        assertThat(scanned.code()).as(scanned.text()).isZero();
        assertThat(scanned.text())
                .contains("VALID")
                .contains(first.value(dev.dossier.client.record.Field.WORKER_FAMILY_NAME));
        CliRun offline = run("verify", "--card", card, "--trust", trustFile.toString(), "--offline");
        assertThat(offline.code()).isZero();
        // the online check before kept the node's revocation list in the config directory: offline uses it
        assertThat(offline.text())
                .contains("offline: revocation list kept in")
                .contains("not on the revocation list of ledger height");
        char flipped = card.charAt(40) == 'A' ? 'B' : 'A';
        CliRun tampered = run(
                "verify",
                "--card",
                card.substring(0, 40) + flipped + card.substring(41),
                "--trust",
                trustFile.toString());
        assertThat(tampered.code()).isEqualTo(4);
        assertThat(tampered.text())
                .contains("TAMPERED")
                .doesNotContain(first.value(dev.dossier.client.record.Field.WORKER_FAMILY_NAME));
    }

    /**
     * {@code dossier card}: the worker's safety card of three anchored records (one revoked later), verified with
     * {@code dossier verify --card} online (each module found by its prefix) and offline; nine modules are refused.
     */
    @Test
    void workerCard_signedFromTheRecordsFile_verifiedModuleByModule_andNineModulesRefused() throws Exception {
        List<String> modules = List.of(
                "generale",
                "specifica_alto",
                "antincendio",
                "preposto",
                "dirigente",
                "attrezzature_ponteggi",
                "attrezzature_ple",
                "attrezzature_carrelli",
                "attrezzature_escavatori");
        StringBuilder csv =
                new StringBuilder(String.join(",", TestData.validRow().keySet()) + "\n");
        for (String module : modules) {
            Map<String, String> row = TestData.validRow();
            row.put("record_id", "WORKER-" + module);
            row.put("safety_module", module);
            csv.append(String.join(",", row.values())).append('\n');
        }
        Path input = Files.writeString(directory.resolve("worker.csv"), csv);
        Path out = directory.resolve("worker-out");
        assertThat(Main.run(cli("anchor", "--input", input.toString(), "--out", out.toString(), "--no-progress")))
                .isZero();
        Path card = directory.resolve("worker.card");
        String[] nine = cli(
                "card",
                "--input",
                input.toString(),
                "--fiscal-code",
                "clmnio76e27b354x",
                "--out",
                card.toString(),
                "--node-url",
                node.node.httpUrl());
        assertThat(Main.run(nine)).as("nine current modules").isNotZero();
        assertThat(card).doesNotExist();

        List<String> args = new ArrayList<>(List.of(nine));
        for (String module : modules.subList(0, 3)) {
            args.addAll(List.of("--module", module));
        }
        assertThat(Main.run(args.toArray(String[]::new))).isZero();
        String text = Files.readString(card).strip();
        assertThat(text).startsWith("DW1:");
        assertThat(directory.resolve("worker.png")).isRegularFile();

        CliRun valid = run("verify", "--card", card.toString(), "--trust", trustFile.toString());
        assertThat(valid.code()).as(valid.text()).isZero();
        assertThat(valid.text())
                .contains("worker        Ion Colombo")
                .contains("valid         antincendio")
                .contains("valid         generale")
                .contains("every module anchored by Org1MSP; 3 valid");
        try (Gateway gateway = node.gateway("Issuer")) {
            Dossier dossier = dossier(gateway);
            byte[] salt = Commitments.salt(HmacKey.load(keys.resolve("issuer-salt.key")), "WORKER-antincendio", 1);
            dossier.revoke(
                    Commitments.record(
                            salt, record("WORKER-antincendio", modules, 2).canonicalJson()),
                    "issued_in_error");
        }
        CliRun revoked = run("verify", "--card", text, "--trust", trustFile.toString());
        assertThat(revoked.text()).contains("revoked       antincendio").contains("2 valid, 1 revoked");
        assertThat(revoked.code()).as("a genuine card with a revoked module").isEqualTo(4);
        CliRun offline = run("verify", "--card", text, "--trust", trustFile.toString(), "--offline");
        // the online check kept the node's revocation list, which holds the revoked record: offline sees it too
        assertThat(offline.text())
                .contains("revoked       antincendio")
                .contains("2 valid, 1 revoked; revocations as of the revocation list of ledger height")
                .contains("the ledger was not asked; offline: revocation list kept in");
        assertThat(offline.code())
                .as("offline, a genuine card with a revoked module")
                .isEqualTo(4);
    }

    /** The worker's row of {@code modules.get(index)} as the test's CSV holds it. */
    private static TrainingRecord record(String id, List<String> modules, int index) {
        Map<String, String> fields = TestData.validRow();
        fields.put("record_id", id);
        fields.put("safety_module", modules.get(index));
        ValidatedRow row = new RecordValidator().validate(new RawRow(1, fields, List.of()));
        assertThat(row.violations()).isEmpty();
        return row.record();
    }

    private int anchorWithCards(Path input, Path out, Path cards) {
        return Main.run(cli(
                "anchor",
                "--input",
                input.toString(),
                "--out",
                out.toString(),
                "--no-progress",
                "--cards",
                cards.toString()));
    }

    private String[] cli(String... command) {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(List.of(node.cli("Issuer", keys)));
        args.addAll(List.of("--card-key", cardKeyFile.toString(), "--trust", trustFile.toString()));
        return args.toArray(String[]::new);
    }

    private CliRun run(String... command) {
        return CliRun.of(List.of(command), "--node-url", node.node.httpUrl(), "--config-dir", keys.toString());
    }

    private static String qrOf(byte[] pdf) throws Exception {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            List<Result> codes = QrCode.read(new PDFRenderer(document).renderImageWithDPI(0, 200));
            assertThat(codes).as("QR codes read on the certificate").hasSize(1);
            return codes.get(0).getText();
        }
    }
}
