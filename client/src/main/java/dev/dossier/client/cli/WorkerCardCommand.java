package dev.dossier.client.cli;

import dev.dossier.client.LedgerEntry;
import dev.dossier.client.card.CardIssuer;
import dev.dossier.client.card.WorkerCards;
import dev.dossier.client.certificate.QrCode;
import dev.dossier.client.digest.Commitment;
import dev.dossier.client.digest.Commitments;
import dev.dossier.client.record.RawRow;
import dev.dossier.client.record.RecordSource;
import dev.dossier.client.record.RecordValidator;
import dev.dossier.client.record.TrainingRecord;
import dev.dossier.client.record.ValidatedRow;
import dev.dossier.client.transport.NodeApi;
import dev.dossier.common.card.WorkerCard;
import dev.dossier.common.file.AtomicFile;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dossier card --input FILE --fiscal-code CODE}: the worker's safety card, one QR code for the worker's current
 * safety training, signed by the organisation holding the worker's records.
 */
@Command(
        name = "card",
        mixinStandardHelpOptions = true,
        description = {
            "Sign a worker's safety card: one QR code listing the worker's current safety training, up to "
                    + WorkerCard.MAX_MODULES + " modules",
            "with their validity, each bound to its record's entry by the first 16 bytes of its commitment",
            "(docs/card.md). Run by the organisation that anchored the worker's records (the employer or the sector",
            "body): the records are read from --input (as dossier anchor took them), the worker chosen by fiscal code,",
            "the salts taken from --receipts or the issuer salt key, and each record's entry asked of the node",
            "(--node-url): only records this organisation anchored and that are active count; of each module (safety",
            "module, else course code) the last issued. Writes FILE.card (the text) and FILE.png (the QR code, error",
            "correction Q). Signed with the card key (--card-key, or the organisation's current key in --network).",
            "More than " + WorkerCard.MAX_MODULES + " modules is an error: choose them with --module."
        })
final class WorkerCardCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Option(
            names = "--input",
            required = true,
            paramLabel = "FILE",
            description = "the records (CSV or JSON Lines); repeat for several files")
    List<Path> inputs;

    @Option(names = "--fiscal-code", required = true, paramLabel = "CODE", description = "the worker's fiscal code")
    String fiscalCode;

    @Option(
            names = "--receipts",
            paramLabel = "FILE",
            description = "the anchoring receipts (receipts.jsonl of dossier anchor), for the records' salts")
    Path receipts;

    @Option(
            names = "--module",
            paramLabel = "CODE",
            description = "a module to list (safety module or course code); repeat; default: every current module")
    List<String> modules = new ArrayList<>();

    @Option(
            names = "--out",
            paramLabel = "FILE.card",
            description = "where to write the card's text (default: worker-card-<fiscal code>.card); the PNG beside it")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (!client.signsCards()) {
            throw new IOException("no card key: give --card-key, or --network with the organisation's card key");
        }
        CardIssuer issuer = client.cardIssuer();
        String organisation = issuer.key().organisation();
        List<TrainingRecord> records = workerRecords();
        List<byte[]> salts = RecordSalts.of(records, receipts, client.saltKeyFile());
        NodeApi node = new NodeApi(client.nodeUrl());
        List<WorkerCards.Held> held = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            TrainingRecord record = records.get(i);
            Commitment commitment = Commitments.record(salts.get(i), record.canonicalJson());
            Optional<LedgerEntry> entry = node.status(commitment);
            String skipped = entry.isEmpty()
                    ? "not anchored"
                    : !organisation.equals(entry.get().mspId())
                            ? "anchored by " + entry.get().mspId() + ", not " + organisation
                            : !"active".equals(entry.get().status())
                                    ? entry.get().status()
                                    : null;
            if (skipped != null) {
                System.out.println("  left out     " + record.recordId() + " v" + record.version() + ": " + skipped);
            } else {
                held.add(new WorkerCards.Held(record, commitment.toBytes()));
            }
        }
        List<WorkerCards.Held> current = WorkerCards.current(held, new LinkedHashSet<>(modules));
        WorkerCard card = WorkerCards.card(current, organisation, Instant.now());
        String text = issuer.sign(card);
        Path file = out != null ? out : Path.of("worker-card-" + fiscalCode.replaceAll("[^A-Za-z0-9]", "_") + ".card");
        AtomicFile.write(file, text + "\n");
        Path png = file.resolveSibling(file.getFileName().toString().replaceFirst("(?i)\\.card$", "") + ".png");
        int version = QrCode.writeCardPng(text, 8, png);
        System.out.println("worker's card of " + card.givenName() + " " + card.familyName()
                + (card.birthDate() == null ? "" : ", born " + card.birthDate()) + ", signed by " + organisation);
        for (int i = 0; i < current.size(); i++) {
            WorkerCard.Module module = card.modules().get(i);
            System.out.println("  module       " + module.code() + " (" + module.title() + "), "
                    + (module.validUntil() == null ? "no expiry" : "valid until " + module.validUntil()) + ", record "
                    + current.get(i).record().recordId() + " " + module.prefixHex());
        }
        System.out.println("  card         " + file + ": " + text.length() + " characters");
        System.out.println("  qr code      " + png + ": version " + version + " at error correction Q");
        return 0;
    }

    /** @return the valid records of the worker in the input files */
    private List<TrainingRecord> workerRecords() throws IOException {
        String wanted = fiscalCode.strip().toUpperCase(Locale.ROOT);
        RecordValidator validator = new RecordValidator();
        List<TrainingRecord> found = new ArrayList<>();
        for (Path input : inputs) {
            try (RecordSource source = RecordSource.open(input)) {
                for (RawRow row = source.next(); row != null; row = source.next()) {
                    ValidatedRow validated = validator.validate(row);
                    if (validated.valid() && validated.record().fiscalCode().equalsIgnoreCase(wanted)) {
                        found.add(validated.record());
                    }
                }
            }
        }
        if (found.isEmpty()) {
            throw new IOException("no valid record of the worker " + wanted + " in " + inputs);
        }
        return found;
    }
}
