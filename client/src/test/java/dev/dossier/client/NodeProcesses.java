package dev.dossier.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dossier.client.bulk.BulkOptions;
import dev.dossier.client.bulk.BulkReport;
import dev.dossier.client.transport.Connections;
import dev.dossier.common.net.NodeAddress;
import dev.dossier.node.NetworkAudit;
import dev.dossier.node.NodeSettings;
import dev.dossier.node.config.Consortium;
import dev.dossier.node.config.CryptoGen;
import dev.dossier.node.identity.IdentityValidator;
import dev.dossier.node.log.LogAudit;
import dev.dossier.node.log.ReceiptAudit;
import dev.dossier.testing.FreePorts;
import io.grpc.ManagedChannel;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.hyperledger.fabric.client.Gateway;

/**
 * The nodes of a test consortium, each in its own JVM ({@code dossier node start} from the node module's classes) on
 * loopback, with its data in {@code DIR/nodes/<node>} and its log in {@code DIR/logs/<node>.log}: started, killed with
 * SIGKILL, stopped with SIGTERM, and asked for their heights. A test holds it in an {@code @AutoClose} field: the
 * nodes still running after it are killed.
 */
final class NodeProcesses implements AutoCloseable {
    private final Path dir;
    private final Consortium consortium;
    private final int port;
    private final Process[] nodes;

    /**
     * @param dir the test directory, with the consortium in {@code network/}
     * @param port the first node's gateway port
     */
    NodeProcesses(Path dir, Consortium consortium, int port) {
        this.dir = dir;
        this.consortium = consortium;
        this.port = port;
        this.nodes = new Process[consortium.nodes().size()];
    }

    /**
     * Generates a consortium of {@code count} organisations, one node each, in {@code dir/network} on {@link
     * #freePorts free ports}, and starts every node.
     */
    static NodeProcesses started(Path dir, int count) throws Exception {
        int port = freePorts(count);
        NodeProcesses nodes = new NodeProcesses(
                dir, CryptoGen.generate(dir.resolve("network"), count, "dossier", "notary", port), port);
        nodes.startAll();
        return nodes;
    }

    /**
     * @return the first of {@code count} free gateway ports, whose Raft and HTTP ports are free too: two checkouts' tests
     *     may run on one machine at once
     */
    static int freePorts(int count) {
        return FreePorts.base(count, NodeSettings.Cluster.RAFT_PORT_OFFSET, NodeAddress.HTTP_PORT_OFFSET);
    }

    /** @return node {@code i}'s gateway address, {@code localhost:<port>} */
    String endpoint(int i) {
        return "localhost:" + (port + i);
    }

    /** @return the address of node {@code i}'s HTTP API, on the loopback address it listens on */
    java.net.URI httpUrl(int i) {
        return NodeAddress.httpUrl("127.0.0.1:" + (port + i));
    }

    Path network() {
        return dir.resolve("network");
    }

    String name(int i) {
        return consortium.nodes().get(i).name();
    }

    Path data(int i) {
        return dir.resolve("nodes").resolve(name(i));
    }

    int size() {
        return nodes.length;
    }

    /** Starts node {@code i} (election timeout 600 ms; plaintext with {@code --insecure}); returns at once. */
    void start(int i) throws IOException {
        Path nodeTarget = Path.of("..", "node", "target").toAbsolutePath().normalize();
        String classpath = nodeTarget.resolve("classes")
                + File.pathSeparator
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

    /** Starts every node and waits until each listens. */
    void startAll() throws Exception {
        for (int i = 0; i < nodes.length; i++) {
            start(i);
        }
        awaitAllListening();
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Waits up to 90 s until node {@code i} listens on its gateway and HTTP ports (the HTTP API starts last); fails
     * with the tail of its log if it exits or does not.
     */
    void awaitListening(int i) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!listening(port + i) || !listening(NodeAddress.httpPort(port + i))) {
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

    void awaitAllListening() throws Exception {
        for (int i = 0; i < nodes.length; i++) {
            awaitListening(i);
        }
    }

    /** @return the last 30 lines of node {@code i}'s log */
    String tail(int i) throws IOException {
        List<String> lines = Files.readAllLines(log(i));
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    Path log(int i) {
        return dir.resolve("logs").resolve(name(i) + ".log");
    }

    /** SIGKILL: no shutdown hook runs. */
    void kill(int i) throws InterruptedException {
        nodes[i].destroyForcibly();
        assertThat(nodes[i].waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    /** SIGTERM to every node (their orderly shutdown), then waits for each. */
    void stopAll() throws InterruptedException {
        for (Process node : nodes) {
            if (node != null) {
                node.destroy();
            }
        }
        for (Process node : nodes) {
            if (node != null) {
                assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
            }
        }
    }

    /** Waits up to 60 s until every node reports the same ledger height, and fails if they do not. */
    void awaitSameHeight() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        List<Long> heights;
        do {
            Thread.sleep(500);
            heights = new ArrayList<>();
            for (int i = 0; i < nodes.length; i++) {
                heights.add(height(i));
            }
        } while (heights.stream().distinct().count() > 1 && System.nanoTime() < deadline);
        assertThat(heights.stream().distinct().count()).as("heights " + heights).isEqualTo(1);
    }

    /** @return node {@code i}'s ledger height from its {@code /metrics} */
    long height(int i) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(httpUrl(i).resolve("/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return response.body()
                .lines()
                .filter(l -> l.startsWith("dossier_ledger_height "))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.indexOf(' ') + 1)))
                .findFirst()
                .orElse(-1);
    }

    /**
     * Audits every stopped node: its commitment log re-derived from its blocks, the nodes' blocks and signatures
     * compared ({@code audit --network}), and every receipt's record present exactly once on every node ({@code
     * --receipts}); fails on any problem.
     *
     * @return the receipts' audit
     */
    ReceiptAudit.Report audit(List<Path> receipts) throws Exception {
        Map<String, Path> ledgers = new LinkedHashMap<>();
        Map<String, Path> dataDirs = new LinkedHashMap<>();
        for (int i = 0; i < nodes.length; i++) {
            ledgers.put(name(i), data(i).resolve("ledger"));
            dataDirs.put(name(i), data(i));
            LogAudit.Report log = LogAudit.audit(data(i).resolve("ledger"), data(i).resolve("log"), "notary");
            assertThat(log.clean()).as(name(i) + ": " + log.problem()).isTrue();
        }
        NetworkAudit.Report audit = NetworkAudit.audit(
                NodeSettings.Cluster.of(consortium, name(0)), new IdentityValidator(consortium.msps()), ledgers);
        assertThat(audit.clean()).as(String.join("\n", audit.lines())).isTrue();
        ReceiptAudit.Report checked = ReceiptAudit.audit(dataDirs, receipts, "notary");
        assertThat(checked.clean()).as(String.join("\n", checked.lines())).isTrue();
        return checked;
    }

    /**
     * Anchors every record of {@code input} through node 0 as Org1's issuer, receipts in {@code out}, the client's
     * keys in {@code DIR/keys}, with the default options that {@code options} changes.
     */
    BulkReport anchor(Path input, Path out, UnaryOperator<BulkOptions> options) throws Exception {
        Path msp = network()
                .resolve("organizations/peerOrganizations/org1.dossier.local/users/Issuer@org1.dossier.local/msp");
        ManagedChannel channel = Connections.channel(endpoint(0));
        try (Gateway gateway = Connections.gateway("Org1MSP", msp, channel).connect()) {
            return LocalNode.dossier(gateway, dir.resolve("keys"))
                    .anchorAll(input, options.apply(BulkOptions.forInput(input, out)));
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** SIGKILL to every node still running. */
    @Override
    public void close() throws InterruptedException {
        for (Process node : nodes) {
            if (node != null && node.isAlive()) {
                node.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
