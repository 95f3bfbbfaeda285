package dev.dossier.client.certificate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.zxing.Result;
import com.google.zxing.ResultPoint;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import com.google.zxing.qrcode.encoder.Encoder;
import dev.dossier.client.TestData;
import dev.dossier.client.Verification;
import dev.dossier.client.card.CardIssuer;
import dev.dossier.client.digest.Commitment;
import dev.dossier.client.digest.Commitments;
import dev.dossier.client.record.Field;
import dev.dossier.client.record.RawRow;
import dev.dossier.client.record.RecordSource;
import dev.dossier.client.record.RecordValidator;
import dev.dossier.client.record.TrainingRecord;
import dev.dossier.common.card.CardKey;
import dev.dossier.common.merkle.Rfc9162;
import dev.dossier.common.note.Checkpoint;
import dev.dossier.common.note.NoteSignature;
import dev.dossier.common.note.NoteVerifier;
import dev.dossier.common.note.SignedNote;
import dev.dossier.common.note.TrustFile;
import dev.dossier.common.receipt.Receipt;
import dev.dossier.common.verdict.Verdict;
import dev.dossier.crypto.P256PrivateKey;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateTest {
    private static final String ORIGIN = "dossier/dossier/notary";
    private static final long TIME = 1_795_000_000L;
    private static final URI NODE = URI.create("http://127.0.0.1:9051");
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 23);

    private static KeyPair nodeKey;
    private static TrustFile trust;
    private static TrainingRecord record;
    private static byte[] salt;

    @BeforeAll
    static void setUp() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        nodeKey = generator.generateKeyPair();
        trust = new TrustFile(ORIGIN, 1, List.of(new NoteVerifier.Key("org1-node1", nodeKey.getPublic())));
        try (RecordSource source = RecordSource.open(TestData.small())) {
            RawRow row = source.next();
            record = new RecordValidator().validate(row).record();
        }
        salt = new byte[32];
        salt[0] = 7;
    }

    /** A receipt of the record as leaf 0 of a two-leaf log, signed by {@code signer}. */
    private static Receipt receipt(TrainingRecord r, String validUntil, KeyPair signer) throws Exception {
        byte[] commitment = Commitments.record(salt, r.canonicalJson()).toBytes();
        byte[] entry = ("{\"anchoredAt\":\"2026-11-20T10:00:00Z\",\"commitment\":\""
                        + java.util.HexFormat.of().formatHex(commitment)
                        + "\",\"kind\":\"record\",\"mspId\":\"Org1MSP\","
                        + "\"status\":\"active\",\"validUntil\":\"" + validUntil + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] leaf = Rfc9162.leafHash(Receipt.leafData(commitment, entry));
        byte[] other = Rfc9162.leafHash(new byte[] {1, 2, 3});
        String text = new Checkpoint(ORIGIN, 2, Rfc9162.nodeHash(leaf, other), TIME).text();
        Signature ecdsa = Signature.getInstance("SHA256withECDSA");
        ecdsa.initSign(signer.getPrivate());
        ecdsa.update(text.getBytes(StandardCharsets.UTF_8));
        NoteSignature line = new NoteSignature("org1-node1", NoteVerifier.keyId(signer.getPublic()), ecdsa.sign());
        return Receipt.of(
                commitment,
                0,
                2,
                List.of(other),
                entry,
                SignedNote.of(text, List.of(line)).format());
    }

    @Test
    void verify_certificateOfAnAnchoredRecord_isValidAsOfTheCheckpoint() throws Exception {
        Certificate certificate = Certificate.of(record, salt, NODE, receipt(record, "2031-01-01", nodeKey));

        Verification v = Certificate.parse(certificate.toJson().getBytes(StandardCharsets.US_ASCII))
                .verify(trust, TODAY);

        assertThat(v.status()).isEqualTo(Verdict.VALID);
        assertThat(v.asOf()).contains(java.time.Instant.ofEpochSecond(TIME));
        assertThat(v.reason()).contains("revocation not checked offline");
        assertThat(v.ledgerEntry().orElseThrow().mspId()).isEqualTo("Org1MSP");
        assertThat(v.commitment().toString()).isEqualTo(certificate.commitment());
        assertThat(certificate.toJson()).startsWith(Certificate.MARKER).matches("\\p{ASCII}+");
        assertThat(certificate.verifyUrl()).isEqualTo(NODE + "/verify#r=" + certificate.receipt());
    }

    @Test
    void verify_pastValidUntil_isExpired() throws Exception {
        Certificate certificate = Certificate.of(record, salt, NODE, receipt(record, "2026-11-22", nodeKey));
        Verification v = certificate.verify(trust, TODAY);
        assertThat(v.status()).isEqualTo(Verdict.EXPIRED);
        assertThat(v.reason()).contains("2026-11-22");
    }

    @Test
    void verify_alteredRecord_isTampered() throws Exception {
        Certificate certificate = Certificate.of(record, salt, NODE, receipt(record, "2031-01-01", nodeKey));
        String worker = record.value(dev.dossier.client.record.Field.WORKER_FAMILY_NAME);
        Certificate altered = new Certificate(
                certificate.record().replace(worker, worker + "x"),
                certificate.salt(),
                certificate.commitment(),
                NODE,
                certificate.receipt());
        Verification v = altered.verify(trust, TODAY);
        assertThat(v.status()).isEqualTo(Verdict.TAMPERED);
        assertThat(v.reason()).contains("altered");
    }

    @Test
    void verify_receiptSignedByAnUnpinnedKey_isTampered() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        Certificate forged =
                Certificate.of(record, salt, NODE, receipt(record, "2031-01-01", generator.generateKeyPair()));
        Verification v = forged.verify(trust, TODAY);
        assertThat(v.status()).isEqualTo(Verdict.TAMPERED);
        assertThat(v.reason()).contains("does not verify").contains("0 pinned key(s)");
    }

    @Test
    void verify_commitmentNotHex_isTampered() throws Exception {
        Certificate certificate = Certificate.of(record, salt, NODE, receipt(record, "2031-01-01", nodeKey));
        Certificate altered = new Certificate(
                certificate.record(),
                certificate.salt(),
                "?" + certificate.commitment().substring(1),
                NODE,
                certificate.receipt());
        Verification v = altered.verify(trust, TODAY);
        assertThat(v.status()).isEqualTo(Verdict.TAMPERED);
        assertThat(v.reason()).startsWith("the certificate's commitment is malformed");
    }

    @Test
    void verifyReceipt_garbage_isTamperedWithTheReason() {
        Verification v = Certificate.verifyReceipt("AQID", null, trust, TODAY);
        assertThat(v.status()).isEqualTo(Verdict.TAMPERED);
        assertThat(v.reason()).contains("truncated");
    }

    @Test
    void of_receiptOfAnotherCommitment_isRefused() throws Exception {
        Receipt receipt = receipt(record, "2031-01-01", nodeKey);
        byte[] otherSalt = salt.clone();
        otherSalt[1] = 9;
        assertThatThrownBy(() -> Certificate.of(record, otherSalt, NODE, receipt))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the receipt is for");
    }

    @Test
    void pdf_embedsTheCertificate_andItsQrCodeHoldsTheVerifyUrl(@TempDir Path dir) throws Exception {
        Certificate certificate = Certificate.of(record, salt, NODE, receipt(record, "2031-01-01", nodeKey));
        Path pdf = dir.resolve("certificate.pdf");

        CertificatePdf.write(certificate, pdf);

        byte[] bytes = Files.readAllBytes(pdf);
        assertThat(Certificate.parse(bytes)).isEqualTo(certificate);
        assertThat(Certificate.parse(bytes).verify(trust, TODAY).status()).isEqualTo(Verdict.VALID);
        try (PDDocument document = Loader.loadPDF(bytes)) {
            assertThat(document.getNumberOfPages()).isEqualTo(1);
            assertThat(document.getDocumentCatalog()
                            .getNames()
                            .getEmbeddedFiles()
                            .getNames())
                    .containsOnlyKeys(CertificatePdf.ATTACHMENT);
            String decoded =
                    qrCode(new PDFRenderer(document).renderImageWithDPI(0, 200)).getText();
            assertThat(decoded).isEqualTo(certificate.verifyUrl());
        }
        assertThat(Files.list(dir)).containsExactly(pdf);
    }

    /**
     * Issue 13, item 7: a certificate with the record's card carries the card's QR code printed at least 35 mm wide
     * (measured on the page rendered at 300 dpi, from the distance of the finder patterns), the facts an inspector
     * compares in its text, and the certificate JSON with the full receipt and the card's text embedded.
     */
    @Test
    void pdf_withCard_carriesTheCardsQrCodeAtLeast35mmWide_theFactsInText_andTheCertificateJson(@TempDir Path dir)
            throws Exception {
        Certificate certificate = Certificate.of(record, salt, NODE, receipt(record, "2031-01-01", nodeKey));
        P256PrivateKey cardKey = P256PrivateKey.generate();
        String card = new CardIssuer(
                        cardKey,
                        new CardKey(
                                "Org1MSP",
                                LocalDate.of(2026, 1, 1),
                                LocalDate.of(2028, 12, 31),
                                cardKey.publicKey().subjectPublicKeyInfo()))
                .issue(
                        record,
                        Commitments.record(salt, record.canonicalJson()).toBytes(),
                        Instant.parse("2026-11-20T10:00:00Z"));
        Path pdf = dir.resolve("certificate.pdf");

        CertificatePdf.write(certificate, card, pdf);

        byte[] bytes = Files.readAllBytes(pdf);
        assertThat(Certificate.parse(bytes)).isEqualTo(certificate);
        assertThat(CertificatePdf.card(bytes)).hasValue(card);
        try (PDDocument document = Loader.loadPDF(bytes)) {
            assertThat(document.getDocumentCatalog()
                            .getNames()
                            .getEmbeddedFiles()
                            .getNames())
                    .containsOnlyKeys(CertificatePdf.ATTACHMENT, CertificatePdf.CARD_ATTACHMENT);
            int dpi = 300;
            Result qr = qrCode(new PDFRenderer(document).renderImageWithDPI(0, dpi));
            assertThat(qr.getText()).isEqualTo(card);
            int modules =
                    Encoder.encode(card, ErrorCorrectionLevel.Q).getVersion().getDimensionForVersion();
            // the finder patterns' centres: bottom left, top left, top right; 7 modules less than the symbol apart
            ResultPoint[] points = qr.getResultPoints();
            double modulePixels = ResultPoint.distance(points[1], points[2]) / (modules - 7);
            double widthMm = modulePixels * modules / dpi * 25.4;
            assertThat(widthMm).as("printed width of the card's QR code, mm").isBetween(35.0, 60.0);

            String text = new PDFTextStripper().getText(document).replaceAll("\\s+", " ");
            assertThat(text)
                    .contains(record.value(Field.WORKER_GIVEN_NAME) + " " + record.value(Field.WORKER_FAMILY_NAME))
                    .contains("Birth date " + record.value(Field.WORKER_BIRTH_DATE))
                    .contains("Course " + record.value(Field.COURSE_TITLE))
                    .contains("Valid until 2031-01-01")
                    .contains("Provider " + record.value(Field.PROVIDER_NAME))
                    .contains("identity document");
            assertThat(text.replace(" ", "")).contains("Commitment" + certificate.commitment()); // wrapped
        }
    }

    /** @return the one QR code on a rendered page */
    private static Result qrCode(BufferedImage page) {
        List<Result> codes = QrCode.read(page);
        assertThat(codes).as("QR codes read on the page").hasSize(1);
        return codes.get(0);
    }

    @Test
    void parse_neitherJsonNorPdfCertificate_throws() {
        assertThatThrownBy(() -> Certificate.parse("%PDF-1.7 nothing".getBytes(StandardCharsets.US_ASCII)))
                .hasMessageContaining("not a Dossier certificate");
        assertThatThrownBy(() -> Certificate.parse((Certificate.MARKER + ",\"record\":1}").getBytes()))
                .hasMessageContaining("no record object");
    }

    @Test
    void commitment_ofTheCertificatesRecord_isTheRecordsCommitment() throws Exception {
        Certificate certificate = Certificate.of(record, salt, NODE, receipt(record, "2031-01-01", nodeKey));
        assertThat(Commitment.fromHex(certificate.commitment()))
                .isEqualTo(Commitments.record(salt, record.canonicalJson()));
    }
}
