package dev.dossier.client.cli;

import dev.dossier.client.LedgerEntry;
import dev.dossier.client.bulk.BulkListener;
import dev.dossier.client.bulk.BulkOptions;
import dev.dossier.client.bulk.BulkRevoker;
import dev.dossier.client.bulk.ReceiptIndex;
import dev.dossier.client.digest.Commitment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code dossier revoke --hash H --reason R | --input LIST}: revocations, one or in bulk. */
@Command(
        name = "revoke",
        mixinStandardHelpOptions = true,
        description = {
            "Revoke entries of your organisation with a reason code: issued_in_error, fraud, withdrawn (by the",
            "provider), accreditation_withdrawn or other. One with --hash and --reason, or every row of a CSV list",
            "with --input, in revokeBatch transactions: its header names reason and either commitment or",
            "record_id (record ids are resolved to their latest anchored version through --receipts, the receipts",
            "of the earlier uploads). Writes",
            "<name>.revocations.jsonl, <name>.errors.csv and a journal to --out; run it again after a crash and it",
            "goes on where it stopped. Exit code 0, 3 if some rows were refused (see the error report)."
        })
final class RevokeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @ArgGroup(multiplicity = "1")
    What what;

    static final class What {
        @Option(names = "--hash", paramLabel = "H", description = "one commitment to revoke (with --reason)")
        String hash;

        @Option(names = "--input", paramLabel = "FILE", description = "a CSV list: reason and commitment or record_id")
        Path input;
    }

    @Option(names = "--reason", paramLabel = "CODE", description = "the reason code, with --hash")
    String reason;

    @Option(
            names = "--receipts",
            paramLabel = "FILE",
            description = "receipts of earlier uploads, to resolve record ids (repeatable)")
    List<Path> receipts = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", defaultValue = ".", description = "output directory (default: .)")
    Path out;

    @Option(
            names = "--batch-size",
            description = "revocations per transaction, at most 5000 (default: from the row count, 100 to 5000)")
    int batchSize = BulkOptions.AUTOMATIC;

    @Option(names = "--in-flight", defaultValue = "4", description = "transactions in flight (default: 4)")
    int inFlight;

    @Option(names = "--no-progress", description = "no progress bar")
    boolean noProgress;

    @Option(names = "--json", description = "print the result as JSON")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (what.hash != null) {
            if (reason == null) {
                throw new ParameterException(
                        spec.commandLine(), "--hash needs --reason, one of " + BulkRevoker.REASONS);
            }
            LedgerEntry entry;
            try (ClientOptions.Session session = client.connect("issuer", false)) {
                entry = session.dossier().revoke(Commitment.fromHex(what.hash), reason);
            }
            EntryTable.print(System.out, List.of(), List.of(entry), json);
            return 0;
        }
        Files.createDirectories(out);
        String name = what.input.getFileName().toString();
        String base = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
        BulkOptions options = new BulkOptions(
                out.resolve(base + ".revocations.jsonl"),
                out.resolve(base + ".errors.csv"),
                batchSize,
                inFlight,
                1,
                BulkListener.NONE,
                null);
        ReceiptIndex earlier = receipts.isEmpty() ? ReceiptIndex.empty() : ReceiptIndex.load(receipts);
        BulkRevoker.Report report;
        try (Progress progress = new Progress("revoking", !noProgress && !json);
                ClientOptions.Session session = client.connect("issuer", false)) {
            report = session.dossier().revokeAll(what.input, earlier, options.withListener(progress));
        }
        if (json) {
            System.out.println(EntryTable.MAPPER
                    .createObjectNode()
                    .put("rows", report.rows())
                    .put("revoked", report.revoked())
                    .put("refused", report.refused())
                    .put("resumed", report.resumed())
                    .put("revocations", options.receipts().toString())
                    .put("errors", options.errors().toString()));
        } else {
            System.out.printf(
                    "rows           %d read, %d refused%s%n",
                    report.rows(), report.refused(), report.refused() > 0 ? " (see " + options.errors() + ")" : "");
            System.out.printf("ledger         %d revoked%n", report.revoked());
            if (report.resumed() > 0) {
                System.out.printf(
                        "resumed        %d rows were revoked by an earlier run (journal)%n", report.resumed());
            }
            System.out.printf("revocations    %s%n", options.receipts());
            System.out.printf("time           %.1f s%n", report.elapsed().toNanos() / 1e9);
        }
        return report.refused() > 0 ? Main.ROWS_REFUSED : 0;
    }
}
