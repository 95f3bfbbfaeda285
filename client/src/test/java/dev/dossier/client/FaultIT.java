package dev.dossier.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dossier.client.bulk.BulkOptions;
import dev.dossier.client.bulk.BulkReport;
import dev.dossier.client.transport.Connections;
import dev.dossier.client.transport.DossierException;
import dev.dossier.node.NetworkAudit;
import dev.dossier.node.NodeSettings;
import dev.dossier.node.config.Consortium;
import dev.dossier.node.config.CryptoGen;
import dev.dossier.node.identity.IdentityValidator;
import dev.dossier.node.log.LogAudit;
import dev.dossier.node.log.ReceiptAudit;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.hyperledger.fabric.client.Gateway;
import org.junit.jupiter.api.AfterEach;
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
 * <p>Not part of the default {@code mvn verify}: run it with {@code -Ddossier.faultIT=run} (about 75 s on a quiet
 * 2-core machine). Two stalls that made it fail at random are fixed: a follower that Ratis had acknowledged an append
 * it never made stayed behind for good (the followers no longer compose appends, {@code RatisConfig}), and a node
 * whose Raft
 * client gave up on one batch reported every later batch "not ordered" (it now starts a new client, {@code
 * LeaderClient}); {@code RaftRecoveryIT} covers both. It goes back into the default build once it passes ten runs in a
 * row on a machine that is not itself overloaded. The test directory, with each node's log under {@code logs/}, is
 * kept when it fails.
 */
class FaultIT {
    /** Ports 7471-7473 (gateway), +1000 Raft, and the HTTP ports beside them: apart from other tests' ports. */
    private static final int PORT = 7471;

    private static final int NODES = 3;
    private static final int RECORDS = 3_000;
    private static final int KILLS = 4;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private Consortium consortium;
    private final Process[] nodes = new Process[NODES];

    @AfterEach
    void stopNodes() throws InterruptedException {
        for (Process node : nodes) {
            if (node != null && node.isAlive()) {
                node.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private Path network() {
        return dir.resolve("network");
    }

    private String name(int i) {
        return consortium.nodes().get(i).name();
    }

    private Path data(int i) {
        return dir.resolve("nodes").resolve(name(i));
    }

    private void start(int i) throws IOException {
        Path nodeTarget = Path.of("..", "node", "target").toAbsolutePath().normalize();
        String classpath = nodeTarget.resolve("classes")
                + java.io.File.pathSeparator
                + Files.readString(nodeTarget.resolve("classpath.txt")).trim();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path log = dir.resolve("logs").resolve(name(i) + ".log");
        Files.createDirectories(log.getParent());
        nodes[i] = new ProcessBuilder(
                        java.toString(),
                        "-Xmx384m",
                        "-XX:+UseParallelGC",
                        "-XX:TieredStopAtLevel=1",
                        "-cp",
                        classpath,
                        "dev.dossier.node.cli.Main",
                        "node",
                        "start",
                        "--network",
                        network().toString(),
                        "--org",
                        consortium.organisations().get(i).mspId(),
                        "--node",
                        name(i),
                        "--data",
                        data(i).toString(),
                        "--chaincode-jar",
                        System.getProperty("dossier.chaincode.jar"),
                        "--election-timeout-ms",
                        "600",
                        "--insecure")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void awaitListening(int i) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!listening(PORT + i)) {
            if (!nodes[i].isAlive()) {
                throw new AssertionError(
                        name(i) + " exited with " + nodes[i].exitValue() + " while starting:\n" + tail(i));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name(i) + " does not listen after 90 s:\n" + tail(i));
            }
            Thread.sleep(100);
        }
    }

    private String tail(int i) throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve("logs").resolve(name(i) + ".log"));
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    private void kill(int i) throws InterruptedException {
        nodes[i].destroyForcibly(); // SIGKILL: no shutdown hook runs
        assertThat(nodes[i].waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void killedNodes_loseNoAcknowledgedRecord_andAgree() throws Exception {
        assumeTrue(
                "run".equals(System.getProperty("dossier.faultIT")),
                "FaultIT runs with -Ddossier.faultIT=run (issue 16: not yet ten passes in a row)");
        consortium = CryptoGen.generate(network(), NODES, "dossier", "notary", PORT);
        Path input = dir.resolve("records.csv");
        TestData.write(input, RECORDS, 0);
        for (int i = 0; i < NODES; i++) {
            start(i);
        }
        for (int i = 0; i < NODES; i++) {
            awaitListening(i);
        }

        // the killer: KILLS times, once every node listens, SIGKILL a random node and start it again
        Random random = new Random();
        AtomicInteger kills = new AtomicInteger();
        AtomicReference<Throwable> killerFailure = new AtomicReference<>();
        Thread killer = new Thread(() -> {
            try {
                for (int k = 0; k < KILLS; k++) {
                    for (int i = 0; i < NODES; i++) {
                        awaitListening(i);
                    }
                    Thread.sleep(500 + random.nextInt(1500));
                    // the first kill takes the client's own node: the upload fails and is run again
                    int victim = k == 0 ? 0 : random.nextInt(NODES);
                    kill(victim);
                    kills.incrementAndGet();
                    start(victim);
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
        Path msp = network()
                .resolve("organizations/peerOrganizations/org1.dossier.local/users/Issuer@org1.dossier.local/msp");
        while (report == null) {
            assertThat(System.nanoTime()).as("upload within 4 minutes").isLessThan(deadline);
            assertThat(killerFailure.get()).isNull();
            runs++;
            ManagedChannel channel = Connections.channel("localhost:" + PORT);
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
        for (int i = 0; i < NODES; i++) {
            awaitListening(i);
        }

        // a torn tail: kill a node and cut the last bytes of its ledger's write-ahead log and of its Raft log. A node
        // restarted by the kill loop after the last block has an empty write-ahead log: take one that wrote since.
        int torn = tornCandidate();
        kill(torn);
        Path wal = newest(data(torn).resolve("ledger"), "[0-9]+\\.log");
        Path segment = newest(data(torn).resolve("raft"), "log_inprogress_[0-9]+");
        truncate(wal, 20);
        tearLastEntry(segment);
        start(torn);
        awaitListening(torn);
        assertThat(Files.readString(dir.resolve("logs").resolve(name(torn) + ".log")))
                .contains("was torn by a crash while being written; dropped");
        // it takes part again: a few more records, then every node at the same height
        Path more = dir.resolve("more.csv");
        TestData.write(more, RECORDS + 20, 0);
        List<String> lines = Files.readAllLines(more);
        List<String> last = new ArrayList<>(List.of(lines.get(0)));
        last.addAll(lines.subList(lines.size() - 20, lines.size())); // 20 records not uploaded yet
        Files.write(more, last);
        ManagedChannel moreChannel = Connections.channel("localhost:" + PORT);
        try (Gateway gateway = Connections.gateway("Org1MSP", msp, moreChannel).connect()) {
            LocalNode.dossier(gateway, keys).anchorAll(more, BulkOptions.forInput(more, out));
        } finally {
            moreChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        awaitSameHeight();

        for (int i = 0; i < NODES; i++) {
            nodes[i].destroy(); // SIGTERM: the node's orderly shutdown
        }
        for (int i = 0; i < NODES; i++) {
            assertThat(nodes[i].waitFor(60, TimeUnit.SECONDS)).isTrue();
        }

        Map<String, Path> ledgers = new LinkedHashMap<>();
        Map<String, Path> dataDirs = new LinkedHashMap<>();
        for (int i = 0; i < NODES; i++) {
            ledgers.put(name(i), data(i).resolve("ledger"));
            dataDirs.put(name(i), data(i));
            LogAudit.Report log = LogAudit.audit(data(i).resolve("ledger"), data(i).resolve("log"), "notary");
            assertThat(log.clean()).as(name(i) + ": " + log.problem()).isTrue();
        }
        NetworkAudit.Report audit = NetworkAudit.audit(
                NodeSettings.Cluster.of(consortium, name(0)), new IdentityValidator(consortium.msps()), ledgers);
        assertThat(audit.clean()).as(String.join("\n", audit.lines())).isTrue();
        ReceiptAudit.Report receipts = ReceiptAudit.audit(
                dataDirs, List.of(out.resolve("records.receipts.jsonl"), out.resolve("more.receipts.jsonl")), "notary");
        assertThat(receipts.clean()).as(String.join("\n", receipts.lines())).isTrue();
        assertThat(receipts.receipts()).isEqualTo(RECORDS + 20);
        System.out.println("FaultIT: " + RECORDS + " records, " + kills.get() + " kills, " + runs + " client runs, "
                + "heights "
                + receipts.nodes().values().stream()
                        .map(ReceiptAudit.NodeFigures::height)
                        .toList());
    }

    private void awaitSameHeight() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        List<Long> heights;
        do {
            Thread.sleep(500);
            heights = new ArrayList<>();
            for (int i = 0; i < NODES; i++) {
                heights.add(height(i));
            }
        } while (heights.stream().distinct().count() > 1 && System.nanoTime() < deadline);
        assertThat(heights.stream().distinct().count()).as("heights " + heights).isEqualTo(1);
    }

    private long height(int i) throws Exception {
        var client = java.net.http.HttpClient.newHttpClient();
        var response = client.send(
                java.net.http.HttpRequest.newBuilder(
                                dev.dossier.common.net.NodeAddress.httpUrl("127.0.0.1:" + (PORT + i))
                                        .resolve("/metrics"))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return response.body()
                .lines()
                .filter(l -> l.startsWith("dossier_ledger_height "))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.indexOf(' ') + 1)))
                .findFirst()
                .orElse(-1);
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
