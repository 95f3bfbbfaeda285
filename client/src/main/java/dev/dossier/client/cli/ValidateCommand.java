package dev.dossier.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dossier.client.bulk.Anchoring;
import dev.dossier.client.bulk.DraftDecisions;
import dev.dossier.client.bulk.Outcome;
import dev.dossier.client.credential.BulkCredentials;
import dev.dossier.client.credential.CredentialIssuer;
import dev.dossier.client.digest.Commitment;
import dev.dossier.client.transport.NodeApi;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code dossier validate --project P --drafts RECEIPTS}: an issuer's validation (or rejection) of drafts. */
@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        description = {
            "Validate, as the issuing organisation's delegate or operator, the drafts a training provider made for it",
            "(dossier anchor --draft-for): every draft the provider's receipts file names (outcome DRAFTED or",
            "ALREADY_DRAFTED) is anchored as your organisation's active entry, in transactions of up to 5,000, and",
            "then verifies VALID. Writes the receipts of the validated drafts, outcome VALIDATED, to --out (default:",
            "<drafts>.validated.jsonl). With --credentials DIR and --input (the provider's records file), every",
            "validated record then gets its Open Badges 3.0 credential, as dossier anchor --credentials issues them.",
            "With --reject REASON the drafts are rejected instead, with that reason code (incomplete, not_attended,",
            "assessment_failed, not_eligible, wrong_module, duplicate, other), which their status then shows.",
            "Exit code 0, 3 if the ledger refused some drafts (each is printed with the reason)."
        })
final class ValidateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Option(names = "--project", required = true, paramLabel = "P", description = "the project the drafts are of")
    String project;

    @Option(
            names = "--drafts",
            required = true,
            paramLabel = "RECEIPTS",
            description = "the provider's receipts of its drafts (<name>.receipts.jsonl of dossier anchor --draft-for)")
    Path drafts;

    @Option(names = "--reject", paramLabel = "REASON", description = "reject the drafts with this reason code")
    String reject;

    @Option(names = "--out", paramLabel = "FILE", description = "receipts of the validated drafts")
    Path out;

    @Option(
            names = "--credentials",
            paramLabel = "DIR",
            description = "also issue an Open Badges 3.0 credential per validated record here (needs --input)")
    Path credentials;

    @Option(names = "--input", paramLabel = "FILE", description = "the drafted records, .csv or .jsonl")
    Path input;

    @Mixin
    CredentialOptions credentialKeys;

    @Override
    public Integer call() throws Exception {
        if (credentials != null && (input == null || reject != null)) {
            throw new ParameterException(
                    spec.commandLine(), "--credentials needs --input, the records, and no --reject");
        }
        if (reject != null && !DraftDecisions.REJECTION_REASONS.contains(reject)) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--reject takes one of " + DraftDecisions.REJECTION_REASONS + ", not " + reject);
        }
        Path validated = out != null
                ? out
                : drafts.resolveSibling(drafts.getFileName().toString().replaceFirst("(\\.receipts)?\\.jsonl$", "")
                        + (reject == null ? ".validated.jsonl" : ".rejected.jsonl"));
        CredentialIssuer issuer = credentials == null ? null : credentialKeys.issuer(client);
        Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        BulkCredentials.Report issued = null;
        try (ClientOptions.Session session = client.connect("delegate", false);
                BufferedReader reader = Files.newBufferedReader(drafts, StandardCharsets.UTF_8);
                BufferedWriter writer = Files.newBufferedWriter(validated, StandardCharsets.UTF_8)) {
            int[] line = {0};
            for (List<ObjectNode> chunk = drafted(reader, line); !chunk.isEmpty(); chunk = drafted(reader, line)) {
                decide(session, chunk, counts, writer);
            }
            writer.flush();
            if (counts.isEmpty()) {
                throw new IOException(drafts + " names no draft (no receipt with outcome DRAFTED or ALREADY_DRAFTED)");
            }
            if (issuer != null) {
                issued = BulkCredentials.issue(
                        session.dossier(), issuer, new NodeApi(client.nodeUrl()), input, validated, credentials);
            }
        }
        Outcome done = reject == null ? Outcome.VALIDATED : Outcome.REJECTED;
        Outcome before = reject == null ? Outcome.ALREADY_VALIDATED : Outcome.ALREADY_REJECTED;
        System.out.printf(
                "drafts         %d %s, %d %s before, %d refused%n",
                counts.getOrDefault(done, 0),
                reject == null ? "validated" : "rejected (" + reject + ")",
                counts.getOrDefault(before, 0),
                reject == null ? "validated" : "rejected",
                counts.getOrDefault(Outcome.REFUSED, 0));
        if (issued != null) {
            System.out.printf(
                    "credentials    %d Open Badges 3.0 signed, anchored and written to %s (%.0f/s)%n",
                    issued.issued(), credentials, issued.perSecond());
        }
        System.out.printf("receipts       %s%n", validated);
        return counts.getOrDefault(Outcome.REFUSED, 0) > 0 ? Main.ROWS_REFUSED : 0;
    }

    /** Decides one chunk of drafts in one transaction and writes their receipts with the outcomes. */
    private void decide(
            ClientOptions.Session session, List<ObjectNode> chunk, Map<Outcome, Integer> counts, BufferedWriter writer)
            throws Exception {
        List<Commitment> commitments = new ArrayList<>(chunk.size());
        chunk.forEach(
                r -> commitments.add(Commitment.fromHex(r.path("commitment").asText())));
        List<Anchoring.Result> results = session.dossier().decideDrafts(project, commitments, reject);
        for (int i = 0; i < results.size(); i++) {
            Anchoring.Result result = results.get(i);
            counts.merge(result.outcome(), 1, Integer::sum);
            ObjectNode receipt = chunk.get(i).put("outcome", result.outcome().name());
            receipt.remove("reason");
            if (result.reason() != null) {
                receipt.put("reason", result.reason());
            }
            if (result.outcome() == Outcome.REFUSED) {
                System.out.println("refused        " + result.commitment() + " (record "
                        + receipt.path("record_id").asText() + "): " + result.reason());
            }
            writer.write(EntryTable.MAPPER.writeValueAsString(receipt));
            writer.write('\n');
        }
    }

    /**
     * @param line the number of the last line read, updated
     * @return the next receipts, up to one transaction's worth, whose outcome is DRAFTED or ALREADY_DRAFTED; empty at
     *     the end
     */
    private List<ObjectNode> drafted(BufferedReader reader, int[] line) throws IOException {
        List<ObjectNode> receipts = new ArrayList<>();
        while (receipts.size() < DraftDecisions.BATCH) {
            String text = reader.readLine();
            if (text == null) {
                break;
            }
            line[0]++;
            if (text.isBlank()) {
                continue;
            }
            JsonNode receipt = EntryTable.MAPPER.readTree(text);
            if (!(receipt instanceof ObjectNode object)
                    || !receipt.path("commitment").asText("").matches("[0-9a-f]{64}")) {
                throw new IOException(drafts + " line " + line[0] + ": not a receipt");
            }
            String outcome = receipt.path("outcome").asText();
            if (outcome.equals("DRAFTED") || outcome.equals("ALREADY_DRAFTED")) {
                receipts.add(object);
            }
        }
        return receipts;
    }
}
