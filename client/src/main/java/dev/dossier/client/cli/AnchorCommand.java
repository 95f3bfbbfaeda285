package dev.dossier.client.cli;

import dev.dossier.client.bulk.Anchoring;
import dev.dossier.client.bulk.BulkListener;
import dev.dossier.client.bulk.BulkOptions;
import dev.dossier.client.bulk.BulkReport;
import dev.dossier.client.bulk.ReceiptIndex;
import dev.dossier.client.credential.BulkCredentials;
import dev.dossier.client.credential.CredentialIssuer;
import dev.dossier.client.transport.NodeApi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code dossier anchor --input FILE}: bulk anchoring with receipts, an error report and resume. */
@Command(
        name = "anchor",
        mixinStandardHelpOptions = true,
        description = {
            "Validate every row of a CSV or JSON Lines file of training records and anchor the valid ones in batches.",
            "Writes <name>.receipts.jsonl, <name>.errors.csv and <name>.receipts.jsonl.journal to --out; run it again",
            "after a crash and it resumes without anchoring anything twice. With --cards DIR and --card-key, it also",
            "signs an inspector's card for every record and anchors it in the same transaction as its record, and",
            "writes DIR/<record id>-v<version>.card once that transaction has committed.",
            "Corrections: with --supersedes (the receipts of the earlier uploads), every row replaces the latest",
            "earlier version of its record id in the same transaction; its receipt says SUPERSEDED and names the",
            "entry replaced. A row whose record id no receipt names, or whose version is not above the one anchored,",
            "corrects nothing and goes to the error report. With --credentials DIR, once the records are anchored,",
            "every anchored record gets its Open Badges 3.0 credential, signed with the organisation's credential key",
            "and its digest anchored, written to DIR/<record id>-v<version>.json, and the rate is printed.",
            "Drafts: with --draft-for ORG --project P, a training provider drafts every row for the issuing",
            "organisation ORG under its delegation of project P (dossier delegation): each record is a pending draft",
            "of the module its course_code names, receipts say DRAFTED, and nothing is anchored until ORG validates",
            "it (dossier validate); until then it verifies PENDING.",
            "Exit code 0, 3 if some rows were refused."
        })
final class AnchorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Option(names = "--input", required = true, paramLabel = "FILE", description = "records, .csv or .jsonl")
    Path input;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = ".", description = "output directory (default: .)")
    Path out;

    @Option(
            names = "--receipts",
            paramLabel = "FILE",
            description = "receipts file (default: <out>/<name>.receipts.jsonl)")
    Path receipts;

    @Option(names = "--errors", paramLabel = "FILE", description = "error report (default: <out>/<name>.errors.csv)")
    Path errors;

    @Option(
            names = "--batch-size",
            description = "rows per transaction, at most 5000 (default: from the row count, 100 to 5000)")
    int batchSize = BulkOptions.AUTOMATIC;

    @Option(names = "--in-flight", defaultValue = "4", description = "transactions in flight (default: 4)")
    int inFlight;

    @Option(names = "--threads", description = "validating threads (default: one per processor)")
    Integer threads;

    @Option(
            names = "--cards",
            paramLabel = "DIR",
            description = "also write a signed, anchored card per record here (needs --card-key)")
    Path cards;

    @Option(
            names = "--credentials",
            paramLabel = "DIR",
            description = "also issue an Open Badges 3.0 credential per anchored record here (docs/credentials.md)")
    Path credentials;

    @Mixin
    CredentialOptions credentialKeys;

    @Option(names = "--no-progress", description = "no progress bar")
    boolean noProgress;

    @Option(names = "--json", description = "print the summary as one JSON object (and no progress bar)")
    boolean json;

    @Option(
            names = "--supersedes",
            paramLabel = "RECEIPTS",
            description = "receipts of earlier uploads: each row corrects its record id's entry (repeatable)")
    List<Path> supersedes = new ArrayList<>();

    @Option(
            names = "--draft-for",
            paramLabel = "ORG",
            description = "draft the records for this issuing organisation (MSP id), under its delegation; needs"
                    + " --project")
    String draftFor;

    @Option(names = "--project", paramLabel = "P", description = "the project of --draft-for's delegation")
    String project;

    @Override
    public Integer call() throws Exception {
        if ((draftFor == null) != (project == null)) {
            throw new ParameterException(spec.commandLine(), "--draft-for and --project go together");
        }
        if (draftFor != null && (cards != null || credentials != null || !supersedes.isEmpty())) {
            throw new ParameterException(
                    spec.commandLine(),
                    "a draft is not anchored: its issuer corrects it, and issues its card and credential once it"
                            + " validates it; --draft-for takes no --cards, --credentials or --supersedes");
        }
        if (cards != null && !client.signsCards()) {
            throw new ParameterException(
                    spec.commandLine(), "--cards needs --card-key, the organisation's card-signing key");
        }
        Files.createDirectories(out);
        BulkOptions defaults = BulkOptions.forInput(input, out);
        BulkOptions options = new BulkOptions(
                receipts != null ? receipts : defaults.receipts(),
                errors != null ? errors : defaults.errors(),
                batchSize,
                inFlight,
                threads != null ? threads : defaults.threads(),
                BulkListener.NONE,
                cards);
        Progress progress = new Progress(draftFor != null ? "drafting" : "anchoring", !noProgress && !json);
        CredentialIssuer issuer = credentials == null ? null : credentialKeys.issuer(client);
        BulkReport report;
        BulkCredentials.Report issued = null;
        try (ClientOptions.Session session = client.connect("issuer", true)) {
            if (draftFor != null) {
                report = session.dossier()
                        .draftAll(input, new Anchoring.DraftFor(draftFor, project), options.withListener(progress));
            } else if (supersedes.isEmpty()) {
                report = session.dossier().anchorAll(input, options.withListener(progress));
            } else {
                report = session.dossier()
                        .correctAll(input, ReceiptIndex.load(supersedes), options.withListener(progress));
            }
            progress.close();
            if (issuer != null) {
                issued = BulkCredentials.issue(
                        session.dossier(),
                        issuer,
                        new NodeApi(client.nodeUrl()),
                        input,
                        options.receipts(),
                        credentials);
            }
        } finally {
            progress.close();
        }
        if (json) {
            System.out.println(EntryTable.MAPPER
                    .createObjectNode()
                    .put("rows", report.rows())
                    .put("refusedRows", report.refusedRows())
                    .put("anchored", report.anchored())
                    .put("alreadyAnchored", report.alreadyAnchored())
                    .put("refusedOnChain", report.refusedOnChain())
                    .put("superseded", report.superseded())
                    .put("resumedRows", report.resumedRows())
                    .put("transactions", report.batches())
                    .put("cards", report.cards())
                    .put("credentials", issued == null ? 0 : issued.issued())
                    .put("receipts", options.receipts().toString())
                    .put("errors", options.errors().toString())
                    .put("seconds", report.elapsed().toNanos() / 1e9));
            return report.refusedRows() > 0 || report.refusedOnChain() > 0 ? Main.ROWS_REFUSED : 0;
        }
        System.out.printf(
                "rows           %d read, %d refused%s%n",
                report.rows(), report.refusedRows(), report.refusedRows() > 0 ? " (see " + options.errors() + ")" : "");
        System.out.printf(
                draftFor != null
                        ? "ledger         %d drafted for " + draftFor + " (pending its validation), %d already drafted,"
                                + " %d refused by the ledger%n"
                        : "ledger         %d anchored, %d already anchored, %d refused by the ledger%n",
                report.anchored(),
                report.alreadyAnchored(),
                report.refusedOnChain());
        if (report.resumedBatches() > 0) {
            System.out.printf(
                    "resumed        %d rows in %d batches were committed by an earlier run (journal)%n",
                    report.resumedRows(), report.resumedBatches());
        }
        if (!supersedes.isEmpty()) {
            System.out.printf("corrections    %d entries superseded%n", report.superseded());
        }
        System.out.printf("transactions   %d %s%n", report.batches(), draftFor != null ? "draftBatch" : "anchorBatch");
        if (cards != null) {
            System.out.printf(
                    "cards          %d signed, anchored with their records and written to %s (%.0f/s)%n",
                    report.cards(),
                    cards,
                    report.cards() / Math.max(report.elapsed().toNanos() / 1e9, 1e-3));
        }
        if (issued != null) {
            System.out.printf(
                    "credentials    %d Open Badges 3.0 signed, anchored and written to %s in %.1f s (%.0f/s)%s%n",
                    issued.issued(),
                    credentials,
                    issued.nanos() / 1e9,
                    issued.perSecond(),
                    issued.skipped() > 0 ? ", " + issued.skipped() + " records not anchored" : "");
        }
        System.out.printf("receipts       %s%n", options.receipts());
        System.out.printf(
                "time           %.1f s, %.0f records/s durable%n",
                report.elapsed().toNanos() / 1e9, report.committedPerSecond());
        return report.refusedRows() > 0 || report.refusedOnChain() > 0 ? Main.ROWS_REFUSED : 0;
    }
}
