package dev.dossier.node;

import static java.util.Objects.requireNonNull;

import dev.dossier.node.config.Consortium;
import dev.dossier.node.config.CryptoGen;
import dev.dossier.node.config.GenesisPolicy;
import dev.dossier.node.gateway.GrpcLimits;
import dev.dossier.node.http.ApiClients;
import dev.dossier.node.ordering.BlockLimits;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.identity.Identities;
import org.hyperledger.fabric.client.identity.Signer;
import org.hyperledger.fabric.client.identity.Signers;
import org.hyperledger.fabric.client.identity.X509Identity;

/**
 * A consortium generated on disk (one organisation unless asked for more), Org1MSP's node started on a free port over
 * a RocksDB ledger in a temporary directory, and official fabric-gateway clients connected to it over real gRPC. The
 * node trusts every organisation of the consortium, so the users of all organisations can call it.
 */
public final class TestNetwork implements AutoCloseable {
    public final Consortium consortium;
    final Path networkDirectory;
    final Path dataDirectory;
    NodeSettings settings;
    /** The node's gRPC limits: the defaults unless a test asks for others. */
    final GrpcLimits limits;

    public Node node;
    /** API tokens of the node's HTTP API, by user name, created before the node started. */
    public final Map<String, String> apiTokens = new LinkedHashMap<>();

    private ManagedChannel channel;

    public TestNetwork(Path directory) throws Exception {
        this(directory, 1);
    }

    TestNetwork(Path directory, int organisations) throws Exception {
        this(directory, organisations, List.of(), GrpcLimits.DEFAULT);
    }

    /** A network of {@code organisations} whose node runs with {@code limits} on its gRPC clients. */
    TestNetwork(Path directory, int organisations, GrpcLimits limits) throws Exception {
        this(directory, organisations, List.of(), limits);
    }

    /** A network whose node knows an HTTP API token for each of {@code apiUsers} (names such as Employer@org1...). */
    public TestNetwork(Path directory, List<String> apiUsers) throws Exception {
        this(directory, 1, apiUsers, GrpcLimits.DEFAULT);
    }

    private TestNetwork(Path directory, int organisations, List<String> apiUsers, GrpcLimits limits) throws Exception {
        this.limits = limits;
        networkDirectory = directory.resolve("network");
        consortium = CryptoGen.generate(networkDirectory, organisations, "dossier", "notary", 7051);
        for (String user : apiUsers) {
            apiTokens.put(user, ApiClients.issue(networkDirectory, user));
        }
        dataDirectory = directory.resolve("node");
        settings = settings();
        start();
    }

    /**
     * Org1's node alone, ordering by itself, trusting every organisation (with their current revocation lists), with
     * the HTTP API clients of the consortium's {@code api-clients.yaml}.
     */
    private NodeSettings settings() {
        return NodeSettings.of(consortium, "Org1MSP", null, dataDirectory, chaincodeJar(), BlockLimits.DEFAULT)
                .toBuilder()
                .port(0)
                .cluster(null)
                .apiClients(networkDirectory.resolve(ApiClients.FILE_NAME))
                .genesisPolicy(genesisPolicy(networkDirectory))
                .build();
    }

    private static GenesisPolicy genesisPolicy(Path networkDirectory) {
        try {
            return GenesisPolicy.load(networkDirectory).orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    /** @return a random commitment: 64 lowercase hexadecimal digits */
    public static String newCommitment() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** @return the notary contract on the dossier channel */
    /**
     * @return what a refused call says, as the official client receives it: the status description, then the
     *     messages of its error details (a Fabric gateway puts the contract's answer to an endorsement there)
     */
    static String refusal(org.hyperledger.fabric.client.GatewayException e) {
        StringBuilder out = new StringBuilder(String.valueOf(e.getStatus().getDescription()));
        e.getDetails().forEach(detail -> out.append(" | ").append(detail.getMessage()));
        return out.toString();
    }

    public static Contract notary(Gateway gateway) {
        return gateway.getNetwork("dossier").getContract("notary");
    }

    /** A proposal to anchor a fresh commitment, built and signed by the client but not yet sent. */
    static org.hyperledger.fabric.client.Proposal anchorProposal(Gateway gateway) {
        return notary(gateway)
                .newProposal("anchor")
                .addArguments(newCommitment(), "record")
                .build();
    }

    /** The contract jar built by the chaincode module; the node loads it as it would any Fabric Java contract. */
    static Path chaincodeJar() {
        String jar =
                requireNonNull(System.getProperty("dossier.chaincode.jar"), "system property dossier.chaincode.jar");
        Path path = Path.of(jar);
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("chaincode jar " + path + " is missing: build the chaincode module first");
        }
        return path;
    }

    void start() throws Exception {
        node = Node.start(settings, limits);
        channel = NettyChannelBuilder.forAddress("localhost", node.port())
                .usePlaintext()
                .build();
    }

    /** Stops the node (as an operator would) without deleting its data. */
    void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        node.close();
    }

    void restart() throws Exception {
        stop();
        start();
    }

    /** Restarts the node with the consortium's files read again, as {@code node start} reads them (CRLs included). */
    void restartReloadingConsortium() throws Exception {
        stop();
        settings = settings();
        start();
    }

    ManagedChannel channel() {
        return channel;
    }

    Consortium.User user(String role) {
        return consortium.organisations().get(0).user(role);
    }

    /** A user by name, such as {@code Issuer@org2.dossier.local}, with its organisation's MSP id. */
    Consortium.User userNamed(String name) {
        return userNamed(consortium, name);
    }

    /** A user of {@code consortium} by name, such as {@code Issuer@org2.dossier.local}. */
    static Consortium.User userNamed(Consortium consortium, String name) {
        return consortium.organisations().stream()
                .flatMap(o -> o.users().stream())
                .filter(u -> u.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no user " + name));
    }

    /** The policy document that network init wrote for this consortium. */
    Path policyDocument() {
        return networkDirectory.resolve("policy.json");
    }

    /** A gateway for the first organisation's user with the given role, signing with its own key. */
    public Gateway gateway(String role) throws Exception {
        return gatewayOf(user(role).name());
    }

    /** A gateway for the user with the given name, of any organisation, signing with its own key. */
    Gateway gatewayOf(String userName) throws Exception {
        Consortium.User user = userNamed(userName);
        String mspId = consortium.organisations().stream()
                .filter(o -> o.users().contains(user))
                .findFirst()
                .orElseThrow()
                .mspId();
        return gateway(mspId, certificate(user.certificate()), Signers.newPrivateKeySigner(key(user.privateKey())));
    }

    Gateway gateway(String mspId, X509Certificate certificate, Signer signer) {
        return gateway(channel, mspId, certificate, signer);
    }

    /** A gateway over {@code connection} with the test timeouts. */
    static Gateway gateway(ManagedChannel connection, String mspId, X509Certificate certificate, Signer signer) {
        return Gateway.newInstance()
                .identity(new X509Identity(mspId, certificate))
                .signer(signer)
                .connection(connection)
                .evaluateOptions(o -> o.withDeadlineAfter(30, TimeUnit.SECONDS))
                .endorseOptions(o -> o.withDeadlineAfter(30, TimeUnit.SECONDS))
                .submitOptions(o -> o.withDeadlineAfter(30, TimeUnit.SECONDS))
                .commitStatusOptions(o -> o.withDeadlineAfter(60, TimeUnit.SECONDS))
                .connect();
    }

    static X509Certificate certificate(Path pem) throws Exception {
        try (Reader reader = Files.newBufferedReader(pem)) {
            return Identities.readX509Certificate(reader);
        }
    }

    static PrivateKey key(Path pem) throws Exception {
        try (Reader reader = Files.newBufferedReader(pem)) {
            return Identities.readPrivateKey(reader);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        stop();
    }

    /** Runs the node's command line; returns what it printed, failing on a non-zero exit. */
    static String cli(String... args) {
        java.io.PrintStream out = System.out;
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
        int code;
        java.io.StringWriter errors = new java.io.StringWriter();
        try {
            code = dev.dossier.node.cli.Main.commandLine()
                    .setErr(new java.io.PrintWriter(errors))
                    .execute(args);
        } finally {
            System.setOut(out);
        }
        org.assertj.core.api.Assertions.assertThat(code)
                .as(String.join(" ", args) + ": " + errors)
                .isZero();
        return printed.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
}
