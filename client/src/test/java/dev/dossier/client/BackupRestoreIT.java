package dev.dossier.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dossier.client.bulk.BulkListener;
import dev.dossier.client.bulk.BulkReport;
import dev.dossier.node.backup.BackupManifest;
import dev.dossier.node.log.ReceiptAudit;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code dossier backup} of a running node and {@code dossier restore}, with real nodes in their own JVMs on RocksDB:
 *
 * <ul>
 *   <li>three organisations: a node is backed up during a bulk upload, killed, its data directory destroyed, restored
 *       from the backup and started again; it rejoins Raft (a new Raft storage above the others' term) and takes the
 *       blocks after the backup from the others while the upload finishes; then every receipt's record is present
 *       exactly once on every node and the nodes agree block for block ({@code audit --network --receipts});
 *   <li>one organisation: the restored node has every block up to the backup and carries on from there.
 * </ul>
 *
 * The test directory, with each node's log under {@code logs/}, is kept when a test fails.
 */
class BackupRestoreIT {
    private static final int RECORDS = 4_000;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @AutoClose
    private NodeProcesses nodes;

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void nodeRestoredFromABackupDuringAnUpload_rejoinsAndEveryReceiptIsOnEveryNodeOnce() throws Exception {
        nodes = NodeProcesses.started(dir, 3);
        Path input = dir.resolve("records.csv");
        TestData.write(input, RECORDS, 0);
        Path out = dir.resolve("out");
        // the upload holds after its tenth batch until the backup is taken: on a fast host it could end before
        CountDownLatch backedUp = new CountDownLatch(1);
        AtomicInteger batches = new AtomicInteger();
        BulkListener holdForTheBackup = (rows, batchDone) -> {
            if (batchDone && batches.incrementAndGet() == 10) {
                try {
                    backedUp.await(2, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        CompletableFuture<BulkReport> upload = CompletableFuture.supplyAsync(() -> {
            try {
                return nodes.anchor(
                        input,
                        out,
                        options -> options.withBatchSize(50).withInFlight(1).withListener(holdForTheBackup));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        int restored = 1;
        while (nodes.height(restored) < 6) {
            assertThat(upload).as("upload still running").isNotDone();
            Thread.sleep(100);
        }
        Path backup = dir.resolve("backup");
        BackupManifest manifest = backup(nodes.data(restored), backup);
        assertThat(upload).as("the backup was taken during the upload").isNotDone();
        backedUp.countDown();
        assertThat(manifest.node()).isEqualTo(nodes.name(restored));
        assertThat(manifest.height()).isGreaterThanOrEqualTo(6);

        nodes.kill(restored);
        deleteTree(nodes.data(restored));
        assertThat(run(
                        "restore",
                        "--from",
                        backup.toString(),
                        "--data",
                        nodes.data(restored).toString()))
                .contains("restored " + nodes.name(restored) + " (Org2MSP) at height " + manifest.height())
                .contains("ledger audit clean: " + manifest.height() + " blocks");
        nodes.start(restored);
        nodes.awaitListening(restored);

        BulkReport report = upload.get(4, TimeUnit.MINUTES);
        assertThat(report.refusedRows()).isZero();
        // after the upload, records that go through the restored node's Raft group with it in it
        Path more = dir.resolve("more.csv");
        TestData.write(more, 20, RECORDS);
        nodes.anchor(more, out, options -> options);
        nodes.awaitSameHeight();
        long height = nodes.height(restored);
        nodes.stopAll();

        assertThat(Files.readString(nodes.log(restored))).contains("has no Raft storage");
        assertThat(height).isGreaterThan(manifest.height());
        ReceiptAudit.Report receipts =
                nodes.audit(List.of(out.resolve("records.receipts.jsonl"), out.resolve("more.receipts.jsonl")));
        assertThat(receipts.receipts()).isEqualTo(RECORDS + 20);
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void nodeAlone_restoredFromABackup_hasEveryBlockUpToIt() throws Exception {
        nodes = NodeProcesses.started(dir, 1);
        Path before = dir.resolve("before.csv");
        TestData.write(before, 300, 0);
        Path out = dir.resolve("out");
        nodes.anchor(before, out, options -> options.withBatchSize(50));
        Path backup = dir.resolve("backup");
        BackupManifest manifest = backup(nodes.data(0), backup);
        assertThat(manifest.height()).isEqualTo(nodes.height(0));

        // records anchored after the backup are lost with the node: a node alone has no one to take them from
        Path lost = dir.resolve("lost.csv");
        TestData.write(lost, 100, 300);
        nodes.anchor(lost, dir.resolve("lost-out"), options -> options);
        nodes.stopAll();
        deleteTree(nodes.data(0));
        run("restore", "--from", backup.toString(), "--data", nodes.data(0).toString());
        nodes.start(0);
        nodes.awaitListening(0);
        assertThat(nodes.height(0)).isEqualTo(manifest.height());

        Path after = dir.resolve("after.csv");
        TestData.write(after, 100, 400);
        nodes.anchor(after, out, options -> options);
        nodes.stopAll();
        ReceiptAudit.Report receipts =
                nodes.audit(List.of(out.resolve("before.receipts.jsonl"), out.resolve("after.receipts.jsonl")));
        assertThat(receipts.receipts()).isEqualTo(400);
    }

    /** {@code dossier backup --node DATA --out DIR}; fails unless it succeeds. */
    private static BackupManifest backup(Path data, Path out) throws Exception {
        String printed = run("backup", "--node", data.toString(), "--out", out.toString());
        assertThat(printed).contains("written to " + out);
        return BackupManifest.read(out);
    }

    /** Runs a command of the node's command line in this JVM; fails unless it exits with 0. */
    private static String run(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        java.io.PrintStream stdout = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new java.io.PrintStream(printed, true, StandardCharsets.UTF_8));
            CommandLine command = dev.dossier.node.cli.Main.commandLine();
            command.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
            exit = command.execute(args);
        } finally {
            System.setOut(stdout);
        }
        String text = printed.toString(StandardCharsets.UTF_8);
        assertThat(exit)
                .as(String.join(" ", args) + ": " + err.toString(StandardCharsets.UTF_8))
                .isZero();
        return text;
    }

    private static void deleteTree(Path root) throws Exception {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
