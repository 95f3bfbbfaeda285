package dev.dossier.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dossier.client.bulk.BulkOptions;
import dev.dossier.client.bulk.BulkReport;
import dev.dossier.client.transport.Connections;
import dev.dossier.client.transport.DossierException;
import dev.dossier.node.log.ReceiptAudit;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.hyperledger.fabric.client.Gateway;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault suite's property, small enough for every build: three nodes in their own JVMs on loopback, a bulk upload
 * through one of them while nodes are killed with SIGKILL ({@link Process#destroyForcibly}) and restarted; the upload
 * is run again from its journal whenever it fails. Then a node is killed once more and the tails of its ledger's
 * write-ahead log and of its Raft log segment are torn (the last bytes cut, the last entry half zeroed); it must start
 * again, drop the torn entry and take part in the next transactions. Afterwards every receipt's
 * commitment is anchored exactly once on every node, and the nodes agree block for block ({@code audit --network}).
 * {@code scripts/dossier fault} runs the same with 100,000 records and 20 kills.
 *
 * <p>Part of the default {@code mvn verify} (about 2 min on a quiet 2-core machine). Two stalls that made it fail at
 * random are fixed: a follower that Ratis had acknowledged an append it never made stayed behind for good (the
 * followers no longer compose appends, {@code RatisConfig}), and a node whose Raft client gave up on one batch reported
 * every later batch "not ordered" (it now starts a new client, {@code LeaderClient}); {@code RaftRecoveryIT} covers
 * both. The test directory, with each node's log under {@code logs/}, is kept when it fails.
 */
class FaultIT {

    private static final int NODES = 3;
    private static final int RECORDS = 3_000;
    private static final int KILLS = 4;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @AutoClose
    private NodeProcesses nodes;

    private String name(int i) {
        return nodes.name(i);
    }

    private Path data(int i) {
        return nodes.data(i);
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void killedNodes_loseNoAcknowledgedRecord_andAgree() throws Exception {
        nodes = NodeProcesses.started(dir, NODES);
        Path input = dir.resolve("records.csv");
        TestData.write(input, RECORDS, 0);

        // the killer: KILLS times, once every node listens, SIGKILL a random node and start it again
        // the kills' victims and moments: printed, and given again with -Ddossier.fault.seed=N to replay a failure
        long seed = Long.getLong("dossier.fault.seed", System.nanoTime());
        System.out.println("FaultIT: seed " + seed);
        Random random = new Random(seed);
        AtomicInteger kills = new AtomicInteger();
        AtomicReference<Throwable> killerFailure = new AtomicReference<>();
        Thread killer = new Thread(() -> {
            try {
                for (int k = 0; k < KILLS; k++) {
                    nodes.awaitAllListening();
                    Thread.sleep(500 + random.nextInt(1500));
                    // the first kill takes the client's own node: the upload fails and is run again
                    int victim = k == 0 ? 0 : random.nextInt(NODES);
                    nodes.kill(victim);
                    kills.incrementAndGet();
                    nodes.start(victim);
                }
            } catch (Throwable t) {
                killerFailure.set(t);
            }
        });
        killer.start();

        Path out = dir.resolve("out");
        Path keys = dir.resolve("keys");
        int runs = 0;
        BulkReport report = null;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        Path msp = nodes.network()
                .resolve("organizations/peerOrganizations/org1.dossier.local/users/Issuer@org1.dossier.local/msp");
        while (report == null) {
            assertThat(System.nanoTime()).as("upload within 4 minutes").isLessThan(deadline);
            assertThat(killerFailure.get()).isNull();
            runs++;
            ManagedChannel channel = Connections.channel(nodes.endpoint(0));
            try (Gateway gateway = Connections.gateway("Org1MSP", msp, channel).connect()) {
                report = LocalNode.dossier(gateway, keys)
                        .anchorAll(
                                input,
                                BulkOptions.forInput(input, out)
                                        .withBatchSize(100)
                                        .withInFlight(2));
            } catch (DossierException | IOException e) {
                Thread.sleep(1_000); // its node was killed: run it again, it resumes from its journal
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
        killer.join(TimeUnit.MINUTES.toMillis(3));
        assertThat(killer.isAlive()).isFalse();
        if (killerFailure.get() != null) {
            throw new AssertionError("kill loop failed", killerFailure.get());
        }
        assertThat(report.refusedRows()).isZero();
        assertThat(kills.get()).isEqualTo(KILLS);
        nodes.awaitAllListening();

        // a torn tail: kill a node and cut the last bytes of its ledger's write-ahead log and of its Raft log. A node
        // restarted by the kill loop after the last block has an empty write-ahead log: take one that wrote since.
        int torn = tornCandidate();
        nodes.kill(torn);
        Path wal = newest(data(torn).resolve("ledger"), "[0-9]+\\.log");
        Path segment = newest(data(torn).resolve("raft"), "log_inprogress_[0-9]+");
        truncate(wal, 20);
        tearLastEntry(segment);
        nodes.start(torn);
        nodes.awaitListening(torn);
        assertThat(Files.readString(nodes.log(torn))).contains("was torn by a crash while being written; dropped");
        // it takes part again: a few more records, then every node at the same height
        Path more = dir.resolve("more.csv");
        TestData.write(more, RECORDS + 20, 0);
        List<String> lines = Files.readAllLines(more);
        List<String> last = new ArrayList<>(List.of(lines.get(0)));
        last.addAll(lines.subList(lines.size() - 20, lines.size())); // 20 records not uploaded yet
        Files.write(more, last);
        nodes.anchor(more, out, options -> options);
        nodes.awaitSameHeight();
        nodes.stopAll();

        ReceiptAudit.Report receipts =
                nodes.audit(List.of(out.resolve("records.receipts.jsonl"), out.resolve("more.receipts.jsonl")));
        assertThat(receipts.receipts()).isEqualTo(RECORDS + 20);
        System.out.println("FaultIT: " + RECORDS + " records, " + kills.get() + " kills, " + runs + " client runs, "
                + "heights "
                + receipts.nodes().values().stream()
                        .map(ReceiptAudit.NodeFigures::height)
                        .toList());
    }

    /** @return a node (the client's own last) whose ledger write-ahead log and open Raft segment hold data */
    private int tornCandidate() throws IOException {
        for (int i : new int[] {1, 2, 0}) {
            if (hasNonEmpty(data(i).resolve("ledger"), "[0-9]+\\.log")
                    && hasNonEmpty(data(i).resolve("raft"), "log_inprogress_[0-9]+")) {
                return i;
            }
        }
        throw new AssertionError("no node has written to its write-ahead log since its last restart");
    }

    private static boolean hasNonEmpty(Path root, String pattern) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.anyMatch(f -> f.getFileName().toString().matches(pattern) && size(f) > 0);
        }
    }

    /** The newest non-empty file whose name matches, anywhere under {@code root}. */
    private static Path newest(Path root, String pattern) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.getFileName().toString().matches(pattern))
                    .filter(f -> size(f) > 0)
                    .max(Comparator.comparing(f -> f.getFileName().toString()))
                    .orElseThrow(() -> new AssertionError("no file " + pattern + " under " + root));
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Zeroes the last 40 bytes written to a preallocated Raft segment: its last entry, half written. */
    private static void tearLastEntry(Path segment) throws IOException {
        byte[] bytes = Files.readAllBytes(segment);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] == 0) {
            end--;
        }
        assertThat(end).as("data in " + segment).isGreaterThan(48);
        java.util.Arrays.fill(bytes, end - 40, end, (byte) 0);
        Files.write(segment, bytes);
    }

    private static void truncate(Path file, int bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(Math.max(0, channel.size() - bytes));
        }
    }
}
