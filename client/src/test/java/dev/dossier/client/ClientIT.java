package dev.dossier.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dossier.client.bulk.Outcome;
import dev.dossier.client.cli.Main;
import dev.dossier.client.digest.Commitment;
import dev.dossier.common.verdict.Verdict;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hyperledger.fabric.client.Gateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against a real node (RocksDB, gRPC, the notary contract jar): {@code dossier anchor} end to end, bad
 * rows, a kill -9 in the middle; {@code dossier verify}; every verdict through the API.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientIT {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Path directory;
    private LocalNode node;

    @BeforeAll
    void startNode(@TempDir Path temporary) throws Exception {
        directory = temporary;
        node = new LocalNode(directory.resolve("ledger"));
    }

    @AfterAll
    void stopNode() throws Exception {
        node.close();
    }

    private int anchor(Path input, Path out, Path keys, String... extra) {
        List<String> args = new ArrayList<>(
                List.of("anchor", "--input", input.toString(), "--out", out.toString(), "--no-progress"));
        args.addAll(List.of(node.cli("Issuer", keys)));
        args.addAll(List.of(extra));
        return Main.run(args.toArray(String[]::new));
    }

    private static List<AnchorReceipt> receipts(Path file) throws Exception {
        List<AnchorReceipt> receipts = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            receipts.add(MAPPER.readValue(line, AnchorReceipt.class));
        }
        return receipts;
    }

    @Test
    void smallFile_anchoredEndToEnd_andEveryReceiptVerifies() throws Exception {
        Path input = TestData.small();
        Path out = directory.resolve("small");
        Path keys = directory.resolve("keys-small");

        assertThat(anchor(input, out, keys)).isZero();

        List<AnchorReceipt> receipts = receipts(out.resolve("trainings-small.receipts.jsonl"));
        assertThat(receipts).hasSize(20).allMatch(r -> r.outcome() == Outcome.ANCHORED && r.block() > 0);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        try (Gateway gateway = node.gateway("Inspector")) {
            Dossier inspector =
                    Dossier.newInstance().contract(LocalNode.notary(gateway)).build();
            for (AnchorReceipt r : receipts) {
                Verification v = inspector.verify(r, null);
                LedgerEntry entry = v.ledgerEntry().orElseThrow();
                assertThat(entry.mspId()).isEqualTo("Org1MSP");
                assertThat(entry.issuer())
                        .as("an inspector learns the organisation, not the issuing person")
                        .isNull();
                boolean expired =
                        entry.validUntil() != null && entry.validUntil().isBefore(today);
                assertThat(v.status()).isEqualTo(expired ? Verdict.EXPIRED : Verdict.VALID);
            }
        }
        // a second run finds every batch in its journal and submits nothing
        assertThat(anchor(input, out, keys)).isZero();
        assertThat(receipts(out.resolve("trainings-small.receipts.jsonl"))).hasSize(20);
    }

    @Test
    void dirtyFile_reportsExactlyItsBadRows_andAnchorsTheRest() throws Exception {
        Path input = TestData.dirty();
        Path out = directory.resolve("dirty");

        assertThat(anchor(input, out, directory.resolve("keys-dirty"), "--batch-size", "500"))
                .isEqualTo(3);

        Set<Long> bad = TestData.badLines(input);
        assertThat(bad).as("bad rows of the dirty sample").hasSizeGreaterThan(20);
        Set<Long> reported = Files.readAllLines(out.resolve("trainings-dirty.errors.csv")).stream()
                .skip(1)
                .map(l -> Long.parseLong(l.substring(0, l.indexOf(','))))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(reported).isEqualTo(bad);
        List<AnchorReceipt> receipts = receipts(out.resolve("trainings-dirty.receipts.jsonl"));
        assertThat(receipts).hasSize(2000 - bad.size()).allMatch(r -> r.outcome() == Outcome.ANCHORED);
        assertThat(receipts).extracting(AnchorReceipt::line).doesNotContainAnyElementsOf(bad);
    }

    @Test
    void killedWithSigkill_rerunFinishes_withoutAnchoringAnythingTwice() throws Exception {
        Path input = TestData.tenThousand();
        Path out = directory.resolve("killed");
        Path keys = directory.resolve("keys-killed");
        Path journal = out.resolve("trainings-10k.receipts.jsonl.journal");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "anchor",
                "--input",
                input.toString(),
                "--out",
                out.toString(),
                "--no-progress",
                "--batch-size",
                "200",
                "--in-flight",
                "2"));
        command.addAll(List.of(node.cli("Issuer", keys)));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("killed.log").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (journalBatches(journal) < 5 && process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        process.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
        process.waitFor(10, TimeUnit.SECONDS);
        long journaled = journalBatches(journal);
        assertThat(journaled).as("killed mid-run").isBetween(5L, 49L);

        assertThat(anchor(input, out, keys, "--batch-size", "200", "--in-flight", "2"))
                .isZero();

        List<AnchorReceipt> receipts = receipts(out.resolve("trainings-10k.receipts.jsonl"));
        assertThat(receipts).hasSize(10_000);
        assertThat(receipts).extracting(AnchorReceipt::recordId).doesNotHaveDuplicates();
        assertThat(receipts).allMatch(r -> r.outcome() == Outcome.ANCHORED || r.outcome() == Outcome.ALREADY_ANCHORED);
        // each commitment was written once: its history on the ledger has exactly one change
        try (Gateway gateway = node.gateway("Inspector")) {
            var notary = LocalNode.notary(gateway);
            List<AnchorReceipt> sample = Stream.concat(
                            receipts.stream().filter(r -> r.outcome() == Outcome.ALREADY_ANCHORED),
                            receipts.stream().filter(r -> r.line() % 97 == 0))
                    .toList();
            for (AnchorReceipt r : sample) {
                JsonNode history = MAPPER.readTree(notary.evaluateTransaction("history", r.commitment()));
                assertThat(history.size()).as(r.commitment()).isEqualTo(1);
            }
        }
    }

    private static long journalBatches(Path journal) throws Exception {
        if (!Files.exists(journal)) {
            return 0;
        }
        try (Stream<String> lines = Files.lines(journal)) {
            return lines.filter(l -> l.startsWith("{\"batch\"")).count();
        }
    }

    @Test
    void verifyCommand_printsVerdictAndFacts() throws Exception {
        Path keys = directory.resolve("keys-cli");
        Path out = directory.resolve("cli");
        assertThat(anchor(TestData.small(), out, keys)).isZero();
        AnchorReceipt first =
                receipts(out.resolve("trainings-small.receipts.jsonl")).get(0);

        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        Path small = TestData.small();
        dev.dossier.client.record.TrainingRecord record;
        try (var source = dev.dossier.client.record.RecordSource.open(small)) {
            record = new dev.dossier.client.record.RecordValidator()
                    .validate(source.next())
                    .record();
        }
        assertThat(record.recordId()).isEqualTo(first.recordId());
        Path recordFile = directory.resolve("record.json");
        Files.writeString(recordFile, record.toJson());
        Path tamperedFile = directory.resolve("tampered.json");
        Files.writeString(tamperedFile, record.toJson().replace("\"Ion\"", "\"Ivan\""));
        Path receiptFile = directory.resolve("receipt.json");
        Files.writeString(receiptFile, MAPPER.writeValueAsString(first));
        int valid;
        int missing;
        int holder;
        int tampered;
        try {
            List<String> args = new ArrayList<>(List.of(
                    "verify",
                    "--receipt",
                    out.resolve("trainings-small.receipts.jsonl").toString(),
                    "--record-id",
                    first.recordId()));
            args.addAll(List.of(node.cli("Inspector", keys)));
            valid = Main.run(args.toArray(String[]::new));
            args = new ArrayList<>(List.of("verify", "--hash", "00".repeat(32)));
            args.addAll(List.of(node.cli("Inspector", keys)));
            missing = Main.run(args.toArray(String[]::new));
            args = new ArrayList<>(List.of("verify", recordFile.toString(), "--receipt", receiptFile.toString()));
            args.addAll(List.of(node.cli("Inspector", keys)));
            holder = Main.run(args.toArray(String[]::new));
            args.set(1, tamperedFile.toString());
            tampered = Main.run(args.toArray(String[]::new));
        } finally {
            System.setOut(original);
        }
        String printed = captured.toString(StandardCharsets.UTF_8);
        assertThat(valid).isZero();
        assertThat(missing).isEqualTo(4);
        assertThat(holder).isZero();
        assertThat(tampered).isEqualTo(4);
        assertThat(printed).contains("TAMPERED");
        assertThat(printed)
                .startsWith("VALID")
                .contains("Org1MSP")
                .contains("valid until")
                .contains("NOT_FOUND");
        assertThat(printed).contains(Commitment.fromHex(first.commitment()).toString());
    }

    /** A first-aid record; its valid_until is computed: three years after {@code issued}. */
    private static dev.dossier.client.record.TrainingRecord record(String id, int version, String issued) {
        java.util.Map<String, String> row = TestData.validRow();
        row.put("record_id", id);
        row.put("version", Integer.toString(version));
        row.remove("start_date");
        row.remove("end_date");
        row.put("issue_date", issued);
        var validated = new dev.dossier.client.record.RecordValidator()
                .validate(new dev.dossier.client.record.RawRow(0, row, List.of()));
        assertThat(validated.violations()).isEmpty();
        return validated.record();
    }

    @Test
    void verify_everyVerdict() throws Exception {
        Path keys = directory.resolve("keys-verdicts");
        try (Gateway issuerGateway = node.gateway("Issuer");
                Gateway inspectorGateway = node.gateway("Inspector")) {
            Dossier issuer = LocalNode.dossier(issuerGateway, keys);
            Dossier inspector = Dossier.newInstance()
                    .contract(LocalNode.notary(inspectorGateway))
                    .build();

            var expired = record("V-1", 1, "2022-06-01"); // valid until 2025-06-01
            AnchorReceipt expiredReceipt = issuer.anchor(expired);
            assertThat(expiredReceipt.outcome()).isEqualTo(Outcome.ANCHORED);
            assertThat(inspector.verify(expiredReceipt, expired.toJson()).status())
                    .isEqualTo(Verdict.EXPIRED);

            var fresh =
                    record("V-2", 1, LocalDate.now(ZoneOffset.UTC).minusDays(1).toString());
            AnchorReceipt receipt = issuer.anchor(fresh);
            assertThat(issuer.anchor(fresh).outcome()).isEqualTo(Outcome.ALREADY_ANCHORED);
            Verification ok = inspector.verify(receipt, fresh.toJson());
            assertThat(ok.status()).as(ok.reason()).isEqualTo(Verdict.VALID);
            ok.requireValid();

            String altered = fresh.toJson().replace("Addetto primo soccorso", "Addetto antincendio");
            assertThat(inspector.verify(receipt, altered).status()).isEqualTo(Verdict.TAMPERED);
            assertThat(inspector.verify(Commitment.fromHex("ab".repeat(32))).status())
                    .isEqualTo(Verdict.NOT_FOUND);
            // the issuer re-derives the salt from its own key
            assertThat(issuer.verifyRecord(fresh.toJson(), null, null).commitment())
                    .isEqualTo(Commitment.fromHex(receipt.commitment()));

            LedgerEntry revoked = issuer.revoke(Commitment.fromHex(expiredReceipt.commitment()), "issued_in_error");
            assertThat(revoked.status()).isEqualTo("revoked");
            Verification r = inspector.verify(Commitment.fromHex(expiredReceipt.commitment()));
            assertThat(r.status()).isEqualTo(Verdict.REVOKED);
            assertThat(r.reason()).contains("issued_in_error");

            var corrected = record("V-2", 2, LocalDate.now(ZoneOffset.UTC).toString());
            AnchorReceipt replacement = issuer.supersede(Commitment.fromHex(receipt.commitment()), corrected);
            Verification s = inspector.verify(receipt, null);
            assertThat(s.status()).isEqualTo(Verdict.SUPERSEDED);
            assertThat(s.reason()).contains(replacement.commitment());

            List<LedgerEntry> dossier = issuer.dossier(issuer.pseudonym("CLMNIO76E27B354X"));
            assertThat(dossier)
                    .extracting(LedgerEntry::commitment)
                    .contains(receipt.commitment(), replacement.commitment(), expiredReceipt.commitment());
        }
    }
}
