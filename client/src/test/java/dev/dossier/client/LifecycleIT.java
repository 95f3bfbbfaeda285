package dev.dossier.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.dossier.client.bulk.Outcome;
import dev.dossier.client.cli.Main;
import dev.dossier.client.digest.Commitment;
import dev.dossier.common.verdict.Verdict;
import dev.dossier.node.log.ReceiptAudit;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hyperledger.fabric.client.Gateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An employer's whole lifecycle through the command line against a real node: 10,000 records anchored, 300 of them
 * corrected with a second file (the correcting run killed with SIGKILL and run again), 50 others revoked with a list;
 * then the views ({@code history}, {@code dossier}, {@code status}) and {@code verify} say what happened, and every
 * corrected entry was superseded exactly once.
 */
class LifecycleIT {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final CsvMapper CSV = new CsvMapper();

    @TempDir
    Path directory;

    @Test
    void upload_correct_revoke_thenViewsAndVerifySayWhatHappened() throws Exception {
        try (LocalNode node = new LocalNode(directory.resolve("ledger"))) {
            Path keys = directory.resolve("keys");
            Path out = directory.resolve("out");
            Path input = TestData.tenThousand();
            assertThat(cli(node, "Issuer", keys, "anchor", "--input", input.toString(), "--out", out.toString()))
                    .isZero();
            Path firstReceipts = out.resolve("trainings-10k.receipts.jsonl");
            List<AnchorReceipt> anchored = receipts(firstReceipts);
            assertThat(anchored).hasSize(10_000);

            // the correction file: 300 rows with version 2, and three rows that correct nothing
            List<Map<String, String>> rows = readCsv(input);
            List<Map<String, String>> corrections = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                Map<String, String> row = new LinkedHashMap<>(rows.get(i * 33));
                row.put("version", "2");
                row.put("learning_outcomes", row.get("learning_outcomes") + " (hours corrected)");
                corrections.add(row);
            }
            Map<String, String> unknown = new LinkedHashMap<>(rows.get(1));
            unknown.put("record_id", unknown.get("record_id") + "9");
            unknown.put("version", "2");
            corrections.add(unknown); // line 302: no earlier receipt names it
            Map<String, String> sameVersion = new LinkedHashMap<>(rows.get(2));
            sameVersion.put("learning_outcomes", "changed without a new version");
            corrections.add(sameVersion); // line 303: version 1 is not above the anchored 1
            Path corrected = directory.resolve("corrected.csv");
            writeCsv(corrected, corrections);

            // the correcting run is killed with SIGKILL after a few transactions, then run again
            Path journal = out.resolve("corrected.receipts.jsonl.journal");
            String[] correct = {
                "anchor",
                "--input",
                corrected.toString(),
                "--supersedes",
                firstReceipts.toString(),
                "--out",
                out.toString(),
                "--no-progress",
                "--batch-size",
                "10",
                "--in-flight",
                "1"
            };
            Process killed = child(node, keys, correct);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (journalLines(journal) < 3 && killed.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
            killed.destroyForcibly();
            killed.waitFor(10, TimeUnit.SECONDS);
            assertThat(journalLines(journal)).as("killed mid-correction").isBetween(3L, 29L);
            assertThat(cli(node, "Issuer", keys, correct))
                    .as("two rows correct nothing")
                    .isEqualTo(3);
            List<AnchorReceipt> fixes = receipts(out.resolve("corrected.receipts.jsonl"));
            assertThat(fixes).hasSize(300);
            assertThat(fixes)
                    .allMatch(r -> r.outcome() == Outcome.SUPERSEDED || r.outcome() == Outcome.ALREADY_SUPERSEDED);
            Map<String, String> firstCommitment =
                    anchored.stream().collect(Collectors.toMap(AnchorReceipt::recordId, AnchorReceipt::commitment));
            assertThat(fixes).allMatch(r -> r.supersedes().equals(firstCommitment.get(r.recordId())));
            List<String> errors = Files.readAllLines(out.resolve("corrected.errors.csv"));
            assertThat(errors.subList(1, errors.size()))
                    .containsExactly(
                            "302," + unknown.get("record_id")
                                    + ",record_id,corrects nothing: no earlier receipt names this record id",
                            "303," + sameVersion.get("record_id")
                                    + ",version,corrects nothing: version 1 is not above the anchored version 1");

            // 50 others revoked with a list of record ids and reasons
            Path list = directory.resolve("withdrawn.csv");
            StringBuilder withdrawn = new StringBuilder("record_id,reason\n");
            List<AnchorReceipt> toRevoke = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                AnchorReceipt r = anchored.get(i * 33 + 1);
                toRevoke.add(r);
                withdrawn.append(r.recordId()).append(i % 2 == 0 ? ",withdrawn\n" : ",issued_in_error\n");
            }
            withdrawn.append(anchored.get(5).recordId()).append(",because\n"); // line 52: no such reason
            Files.writeString(list, withdrawn);
            assertThat(cli(
                            node,
                            "Issuer",
                            keys,
                            "revoke",
                            "--input",
                            list.toString(),
                            "--receipts",
                            firstReceipts.toString(),
                            "--out",
                            out.toString()))
                    .isEqualTo(3);
            assertThat(Files.readAllLines(out.resolve("withdrawn.revocations.jsonl")))
                    .hasSize(50);
            assertThat(Files.readAllLines(out.resolve("withdrawn.errors.csv")))
                    .hasSize(2)
                    .last()
                    .asString()
                    .startsWith("52," + anchored.get(5).recordId() + ",reason,");

            AnchorReceipt current = null; // a correction valid today, for the status view
            try (Gateway gateway = node.gateway("Inspector")) {
                Dossier inspector = Dossier.newInstance()
                        .contract(LocalNode.notary(gateway))
                        .build();
                for (AnchorReceipt fix : fixes) {
                    Verification old = inspector.verify(Commitment.fromHex(fix.supersedes()));
                    assertThat(old.status()).isEqualTo(Verdict.SUPERSEDED);
                    assertThat(old.ledgerEntry().orElseThrow().supersededBy()).isEqualTo(fix.commitment());
                    // superseded exactly once: anchored, then superseded, nothing else
                    List<EntryChange> history = inspector.history(Commitment.fromHex(fix.supersedes()));
                    assertThat(history).hasSize(2);
                    assertThat(inspector.history(Commitment.fromHex(fix.commitment())))
                            .hasSize(1);
                    LocalDate until = inspector
                            .status(Commitment.fromHex(fix.commitment()))
                            .orElseThrow()
                            .validUntil();
                    if (current == null && (until == null || !until.isBefore(LocalDate.now(ZoneOffset.UTC)))) {
                        current = fix;
                    }
                }
                for (int i = 0; i < toRevoke.size(); i++) {
                    Verification v =
                            inspector.verify(Commitment.fromHex(toRevoke.get(i).commitment()));
                    assertThat(v.status()).isEqualTo(Verdict.REVOKED);
                    assertThat(v.ledgerEntry().orElseThrow().reason())
                            .isEqualTo(i % 2 == 0 ? "withdrawn" : "issued_in_error");
                }
            }

            // history shows both steps of a corrected entry
            AnchorReceipt fix = fixes.get(0);
            JsonNode history = MAPPER.readTree(
                    captured(() -> cli(node, "Auditor", keys, "history", "--hash", fix.supersedes(), "--json")));
            assertThat(history).hasSize(2);
            assertThat(history.get(0).path("value").path("status").asText()).isEqualTo("active");
            assertThat(history.get(1).path("value").path("status").asText()).isEqualTo("superseded");
            assertThat(history.get(1).path("value").path("supersededBy").asText())
                    .isEqualTo(fix.commitment());

            // the worker's dossier: the correction is active, the entry it replaced is not
            String fiscalCode = corrections.get(0).get("worker_fiscal_code");
            JsonNode dossier = MAPPER.readTree(captured(
                    () -> cli(node, "Auditor", keys, "dossier", "--fiscal-code", fiscalCode, "--active", "--json")));
            Set<String> active = Stream.of(MAPPER.treeToValue(dossier, JsonNode[].class))
                    .map(e -> e.path("commitment").asText())
                    .collect(Collectors.toSet());
            assertThat(active).contains(fix.commitment()).doesNotContain(fix.supersedes());

            // status of many at once: the corrected, the replaced and the revoked
            Path asked = directory.resolve("asked.txt");
            assertThat(current).as("a correction valid today").isNotNull();
            Files.writeString(
                    asked,
                    current.commitment() + "\n" + current.supersedes() + "\n"
                            + toRevoke.get(0).commitment() + "\n");
            JsonNode statuses = MAPPER.readTree(captured(
                    () -> assertThat(cli(node, "Inspector", keys, "status", "--input", asked.toString(), "--json"))
                            .isEqualTo(4)));
            assertThat(statuses.findValuesAsText("effective")).containsExactly("valid", "superseded", "revoked");
        }
        // every receipt, the first upload's and the corrections', checked against the stopped node's blocks and state
        ReceiptAudit.Report audit = ReceiptAudit.audit(
                Map.of("node", directory.resolve("ledger").resolve("node")),
                List.of(
                        directory.resolve("out").resolve("trainings-10k.receipts.jsonl"),
                        directory.resolve("out").resolve("corrected.receipts.jsonl")),
                "notary");
        assertThat(audit.clean()).as(String.join("\n", audit.lines())).isTrue();
        assertThat(audit.receipts()).isEqualTo(10_300);
    }

    private static int cli(LocalNode node, String user, Path keys, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if ((args[0].equals("anchor") || args[0].equals("revoke")) && !all.contains("--no-progress")) {
            all.add("--no-progress");
        }
        all.addAll(List.of(node.cli(user, keys)));
        return Main.run(all.toArray(String[]::new));
    }

    private Process child(LocalNode node, Path keys, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        command.addAll(List.of(node.cli("Issuer", keys)));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("killed.log").toFile())
                .start();
    }

    /** @return what {@code run} printed on standard output */
    private static String captured(ThrowingRunnable run) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            run.run();
        } finally {
            System.setOut(original);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static List<AnchorReceipt> receipts(Path file) throws Exception {
        List<AnchorReceipt> receipts = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            receipts.add(MAPPER.readValue(line, AnchorReceipt.class));
        }
        return receipts;
    }

    private static long journalLines(Path journal) throws Exception {
        if (!Files.exists(journal)) {
            return 0;
        }
        try (Stream<String> lines = Files.lines(journal)) {
            return lines.filter(l -> l.startsWith("{\"batch\"")).count();
        }
    }

    private static List<Map<String, String>> readCsv(Path file) throws Exception {
        try (MappingIterator<Map<String, String>> it = CSV.readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader())
                .readValues(file.toFile())) {
            return it.readAll();
        }
    }

    private static void writeCsv(Path file, List<Map<String, String>> rows) throws Exception {
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
        rows.get(0).keySet().forEach(schema::addColumn);
        CSV.writerFor(List.class).with(schema.build()).writeValue(file.toFile(), rows);
    }
}
