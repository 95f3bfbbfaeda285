package dev.dossier.client.cli;

import dev.dossier.client.Verification;
import dev.dossier.client.card.IssuedCard;
import dev.dossier.client.certificate.Certificate;
import dev.dossier.client.certificate.CertificatePdf;
import dev.dossier.client.digest.Commitment;
import dev.dossier.client.digest.Commitments;
import dev.dossier.client.record.RawRow;
import dev.dossier.client.record.RecordSource;
import dev.dossier.client.record.RecordValidator;
import dev.dossier.client.record.TrainingRecord;
import dev.dossier.client.record.ValidatedRow;
import dev.dossier.client.transport.NodeApi;
import dev.dossier.common.file.AtomicFile;
import dev.dossier.common.receipt.Receipt;
import dev.dossier.common.verdict.Verdict;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dossier certificate --input FILE --record-id ID}: the worker's certificate of an anchored record, a PDF with a
 * QR code and the certificate JSON beside it.
 */
@Command(
        name = "certificate",
        mixinStandardHelpOptions = true,
        description = {
            "Write the certificate of an anchored record: FILE.pdf (the facts, a QR code of the verify URL with the",
            "record's receipt, and the certificate JSON embedded) and FILE.json (record, salt and receipt). The",
            "receipt comes from the node's HTTP API (--node-url); the salt from --receipts, else the issuer salt key.",
            "The certificate is checked offline against the pinned keys (--trust or --network) before it is written.",
            "With --card-key, the record's inspector's card is signed and anchored (the record too, if it is not yet)",
            "and its QR code goes on the PDF instead of the verify URL's; FILE.card holds its text.",
            "With --format ob3: an Open Badges 3.0 credential (FILE.json, default credential-<record id>.json) of the",
            "anchored record instead, signed with the organisation's credential key (eddsa-rdfc-2022), its status",
            "index the record's, its digest anchored (kind credential) and verified back (docs/credentials.md)."
        })
final class CertificateCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Option(names = "--input", required = true, paramLabel = "FILE", description = "the records (CSV or JSON Lines)")
    Path input;

    @Option(names = "--record-id", required = true, paramLabel = "ID", description = "which record")
    String recordId;

    @Option(
            names = "--receipts",
            paramLabel = "FILE",
            description = "the anchoring receipts (receipts.jsonl of dossier anchor), for the record's salt")
    Path receipts;

    @Option(
            names = "--out",
            paramLabel = "FILE.pdf",
            description = "where to write the PDF (default: certificate-<record id>.pdf); the JSON goes beside it")
    Path out;

    @Option(
            names = "--wait",
            paramLabel = "SECONDS",
            defaultValue = "60",
            description = "how long to wait for a checkpoint to cover a fresh anchoring (default: ${DEFAULT-VALUE})")
    int waitSeconds;

    @Option(
            names = "--format",
            paramLabel = "pdf|ob3",
            defaultValue = "pdf",
            description = "pdf: the PDF certificate and its JSON (default); ob3: an Open Badges 3.0 credential")
    String format;

    @Mixin
    CredentialOptions credentials;

    @Override
    public Integer call() throws Exception {
        if (!format.equals("pdf") && !format.equals("ob3")) {
            throw new IOException("--format is pdf or ob3, not " + format);
        }
        TrainingRecord record = findRecord();
        if (format.equals("ob3")) {
            byte[] salt = RecordSalts.of(List.of(record), receipts, client.saltKeyFile())
                    .get(0);
            Path file =
                    out != null ? out : Path.of("credential-" + recordId.replaceAll("[^A-Za-z0-9._-]", "_") + ".json");
            return CredentialVerify.issue(
                    client, credentials, record, Commitments.record(salt, record.canonicalJson()), file);
        }
        byte[] salt =
                RecordSalts.of(List.of(record), receipts, client.saltKeyFile()).get(0);
        Commitment commitment = Commitments.record(salt, record.canonicalJson());
        IssuedCard card = client.signsCards() ? issueCard(record, commitment) : null;
        NodeApi node = new NodeApi(client.nodeUrl());
        Receipt receipt = node.receipt(commitment, Duration.ofSeconds(waitSeconds));
        Certificate certificate = Certificate.of(record, salt, node.base(), receipt);
        Verification check = certificate.verify(client.trust(), LocalDate.now());
        if (check.status() == Verdict.TAMPERED) {
            throw new IOException("the node's receipt does not verify against the pinned keys: " + check.reason());
        }
        Path pdf = out != null ? out : Path.of("certificate-" + recordId.replaceAll("[^A-Za-z0-9._-]", "_") + ".pdf");
        String base = pdf.getFileName().toString().replaceFirst("(?i)\\.pdf$", "");
        Path json = pdf.resolveSibling(base + ".json");
        CertificatePdf.write(certificate, card == null ? null : card.text(), pdf);
        if (card != null) {
            AtomicFile.write(pdf.resolveSibling(base + ".card"), card.text() + "\n");
        }
        Path temporary = json.resolveSibling(json.getFileName() + ".tmp");
        Files.writeString(temporary, certificate.toJson() + "\n", StandardCharsets.US_ASCII);
        Files.move(temporary, json, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        System.out.println("certificate of " + recordId + " (" + commitment + ")");
        System.out.println("  " + check.status() + ": " + check.reason());
        System.out.println("  pdf         " + pdf);
        System.out.println("  json        " + json);
        if (card == null) {
            System.out.println("  verify url  " + certificate.verifyUrl().length() + " characters, in the QR code");
        } else {
            System.out.println("  card        " + card.text().length() + " characters, in the QR code; digest "
                    + card.digest() + " " + card.cardOutcome());
        }
        return 0;
    }

    private IssuedCard issueCard(TrainingRecord record, Commitment commitment) throws Exception {
        try (ClientOptions.Session session = client.connect("issuer", true)) {
            IssuedCard card = session.dossier().issueCard(record);
            if (!card.recordCommitment().equals(commitment.toString())) {
                throw new IOException("the record's salt in " + receipts + " is not the one the salt key derives: a"
                        + " card is issued with the salt key of the organisation that anchored the record");
            }
            if (!card.anchored()) {
                throw new IOException("the ledger refused the card: the record is anchored by another organisation");
            }
            return card;
        }
    }

    private TrainingRecord findRecord() throws IOException {
        RecordValidator validator = new RecordValidator();
        try (RecordSource source = RecordSource.open(input)) {
            for (RawRow row = source.next(); row != null; row = source.next()) {
                if (!recordId.equals(row.fields().get("record_id"))) {
                    continue;
                }
                ValidatedRow validated = validator.validate(row);
                if (!validated.valid()) {
                    throw new IOException("record " + recordId + " at line " + row.line() + " of " + input
                            + " is not valid: " + validated.violations());
                }
                return validated.record();
            }
        }
        throw new IOException("no record " + recordId + " in " + input);
    }
}
