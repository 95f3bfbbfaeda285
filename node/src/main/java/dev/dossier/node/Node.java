package dev.dossier.node;

import com.google.protobuf.ByteString;
import dev.dossier.common.concurrent.DaemonThreads;
import dev.dossier.common.note.Checkpoint;
import dev.dossier.node.backup.AdminSocket;
import dev.dossier.node.backup.NodeBackup;
import dev.dossier.node.chaincode.ChaincodeLoadException;
import dev.dossier.node.chaincode.ChaincodeRuntime;
import dev.dossier.node.clock.NodeClock;
import dev.dossier.node.consortium.ConsortiumInForce;
import dev.dossier.node.gateway.Endorsers;
import dev.dossier.node.gateway.GatewayContext;
import dev.dossier.node.gateway.GrpcLimits;
import dev.dossier.node.http.ApiClients;
import dev.dossier.node.http.CredentialSettings;
import dev.dossier.node.http.CustodialGateway;
import dev.dossier.node.http.HttpApi;
import dev.dossier.node.http.HttpLimits;
import dev.dossier.node.identity.IdentityValidator;
import dev.dossier.node.identity.Signer;
import dev.dossier.node.ledger.DerivedState;
import dev.dossier.node.ledger.Ledger;
import dev.dossier.node.ledger.LedgerException;
import dev.dossier.node.log.CheckpointPublisher;
import dev.dossier.node.log.CommitmentLog;
import dev.dossier.node.metrics.LedgerMeters;
import dev.dossier.node.metrics.NodeMetrics;
import dev.dossier.node.metrics.OrderingMeters;
import dev.dossier.node.ordering.BlockPuller;
import dev.dossier.node.ordering.Orderer;
import dev.dossier.node.ordering.RaftOrderer;
import dev.dossier.node.ordering.SoloOrderer;
import dev.dossier.node.revocation.RevocationIndex;
import dev.dossier.node.validation.TransactionIdentities;
import io.grpc.Server;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A running Dossier node: the RocksDB ledger, the in-process chaincode, ordering (alone, or with the other nodes of
 * its cluster through Raft), Fabric's Gateway, Endorser and Deliver gRPC services, the commitment log with its
 * cosigned checkpoints, and the HTTP API ({@link HttpApi}: receipts, status, verify page, metrics, and anchoring and
 * dossiers for API clients through the node's own gateway). {@link #start}
 * opens (or creates, with the channel's genesis block) the ledger and listens; {@link #close} stops the HTTP API,
 * stops accepting requests, commits what was already queued, and closes the ledger.
 *
 * <pre>{@code
 * try (Node node = Node.start(settings)) {
 *     node.awaitTermination();
 * }
 * }</pre>
 */
public final class Node implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Node.class.getName());

    private final StartedParts parts;
    private final Ledger ledger;
    private final GatewayContext context;
    private final Server server;
    private final CommitmentLog log;
    private final CheckpointPublisher checkpoints;
    private final HttpApi http;

    private Node(
            StartedParts parts,
            Ledger ledger,
            CommitmentLog log,
            GatewayContext context,
            Server server,
            CheckpointPublisher checkpoints,
            HttpApi http) {
        this.parts = parts;
        this.ledger = ledger;
        this.log = log;
        this.context = context;
        this.server = server;
        this.checkpoints = checkpoints;
        this.http = http;
    }

    /**
     * Opens the ledger, loads the chaincode and starts serving, with the default {@link GrpcLimits}.
     *
     * @throws IOException if the signing identity, the API client file or an API client's identity cannot be read,
     *     or a port cannot be bound
     * @throws LedgerException if the ledger cannot be opened (for example another node holds it)
     * @throws ChaincodeLoadException if the contract cannot be loaded
     */
    public static Node start(NodeSettings settings) throws IOException, LedgerException, ChaincodeLoadException {
        return start(settings, GrpcLimits.DEFAULT);
    }

    /**
     * Opens the ledger, loads the chaincode and starts serving, with {@code limits} on what gRPC clients may make the
     * node hold (message size, calls per connection, keepalive, idle connections, waiting commit-status calls). Each
     * part started is recorded: if a later one fails (a port taken, for example), those already started are stopped
     * in reverse order, as {@link #close} stops them, so that nothing stays bound or locked.
     *
     * @throws IOException if the signing identity, the API client file or an API client's identity cannot be read,
     *     or a port cannot be bound
     * @throws LedgerException if the ledger cannot be opened (for example another node holds it)
     * @throws ChaincodeLoadException if the contract cannot be loaded
     */
    public static Node start(NodeSettings configured, GrpcLimits limits)
            throws IOException, LedgerException, ChaincodeLoadException {
        ClusterWiring.requireTlsOrInsecure(configured);
        NodeSettings settings = TlsWiring.withLiveTrust(configured);
        Signer signer = Signer.fromPem(settings.mspId(), settings.signCertificate(), settings.signKey());
        IdentityValidator identities = new IdentityValidator(settings.organisations());
        List<ApiClients.Client> apiClients =
                settings.apiClients() == null ? List.of() : ApiClients.load(settings.apiClients(), settings.mspId());
        StartedParts parts = new StartedParts();
        try {
            // first in, last out: the contract's class loader closes after everything that runs contracts stopped
            ChaincodeRuntime runtime = parts.add(
                    "chaincode",
                    ChaincodeRuntime.load(settings.chaincode(), settings.chaincodeJar()),
                    ChaincodeRuntime::close);
            NodeMetrics metrics = parts.add("metrics", new NodeMetrics(), NodeMetrics::close);
            Ledger ledger = parts.add(
                    "ledger", Ledger.open(settings.dataDirectory().resolve(NodeBackup.LEDGER)), Ledger::close);
            NodeSettings.Cluster cluster = settings.cluster();
            BlockPuller puller = cluster == null
                    ? null
                    : new BlockPuller(
                            settings.channel(),
                            signer,
                            ClusterWiring.addresses(cluster),
                            settings.tls(),
                            metrics.grpcClient());
            if (ledger.height() == 0 && cluster != null && cluster.join()) {
                ClusterWiring.fetchGenesis(cluster, puller, ledger);
            } else if (ledger.height() == 0) {
                Genesis.createChannel(settings, identities, ledger);
            }
            ConsortiumInForce consortium = ConsortiumInForce.open(ledger, identities);
            TlsWiring.follow(settings, consortium);
            Set<ByteString> fileNodes =
                    cluster == null ? Set.of(signer.serializedIdentity()) : ClusterWiring.nodeIdentities(cluster);
            Supplier<GatewayContext.Members> members = ConsortiumWiring.members(settings, consortium, fileNodes);
            CommitmentLog log = parts.add(
                    "commitment log",
                    CommitmentLog.open(
                            settings.dataDirectory().resolve(NodeBackup.LOG_DIRECTORY), settings.chaincode()),
                    CommitmentLog::close);
            RevocationIndex revocations = parts.add(
                    "revocation index",
                    RevocationIndex.open(
                            settings.dataDirectory().resolve(NodeBackup.REVOCATIONS),
                            settings.chaincode(),
                            Checkpoint.origin(settings.channel(), settings.chaincode())),
                    RevocationIndex::close);
            List<DerivedState> derived = List.of(log, revocations);
            DerivedStates.follow(derived, ledger, null);
            // commit-status answers may still be sent while ordering stops: this pool stops after the gateway context
            ExecutorService responses = parts.add(
                    "commit-status threads",
                    Executors.newFixedThreadPool(2, DaemonThreads.named("commit-status")),
                    ExecutorService::shutdown);
            GatewayContext context = parts.add(
                    "gateway context (ordering)",
                    gatewayContext(
                            settings,
                            signer,
                            identities,
                            runtime,
                            ledger,
                            derived,
                            puller,
                            metrics,
                            parts,
                            consortium,
                            members),
                    GatewayContext::close);
            ConsortiumWiring.raftMembership(settings, context, consortium, parts);
            LedgerMeters.bind(metrics, ledger);
            OrderingMeters.bind(metrics, context);
            Server server = parts.add(
                    "gateway",
                    GatewayServer.start(settings, limits, context, ledger, identities, metrics, responses, parts),
                    GatewayServer::stop);
            // API clients reach the ledger as any client does: through this node's own gateway, over loopback
            CustodialGateway custodian = parts.add(
                    "API clients' gateway connection",
                    CustodialGateway.connect(
                            settings.host(),
                            server.getPort(),
                            settings.channel(),
                            settings.chaincode(),
                            apiClients,
                            metrics.grpcClient()),
                    CustodialGateway::close);
            CheckpointPublisher checkpoints = parts.add(
                    "checkpoint publisher",
                    ClusterWiring.checkpoints(settings, signer, ledger, log, consortium),
                    CheckpointPublisher::close);
            HttpApi http = parts.add(
                    "HTTP API",
                    HttpApi.builder()
                            .address(settings.host(), settings.httpPort())
                            .ledger(ledger, settings.chaincode())
                            .log(log)
                            .checkpoints(checkpoints)
                            .revocations(revocations)
                            .health(context::healthy)
                            .waiting(context::waiting)
                            .metrics(metrics)
                            .custodian(custodian)
                            .limits(HttpLimits.fromProperties(System.getProperties()))
                            .credentials(new CredentialSettings(
                                    signer,
                                    settings.name(),
                                    ConsortiumWiring.credentialKeys(settings, consortium),
                                    NodeClock.clock()))
                            .start(),
                    HttpApi::close);
            adminSocket(
                    settings,
                    new NodeBackup(ledger, log, revocations, settings.channel(), settings.name(), settings.mspId()),
                    parts);
            LOG.info(() -> "HTTP API on " + http.baseUrl() + " (verify page " + http.baseUrl() + "/verify)");
            LOG.info(() -> "node " + settings.mspId() + " serving channel " + settings.channel() + ", chaincode "
                    + settings.chaincode() + " on " + settings.host() + ":" + server.getPort()
                    + (settings.tls() == null
                            ? " (plaintext gRPC)"
                            : (settings.tls().clientAuthRequired() ? " (gRPC over mutual TLS)" : " (gRPC over TLS)"))
                    + ", ledger height "
                    + ledger.height()
                    + (cluster == null
                            ? ", ordering alone"
                            : ", ordering with Raft among " + cluster.nodes().size() + " nodes"));
            return new Node(parts, ledger, log, context, server, checkpoints, http);
        } catch (Throwable e) {
            parts.closeAfter(e);
            throw e;
        }
    }

    /**
     * The local door for backups ({@link AdminSocket}); a node that cannot make it (a data directory path too long for
     * a Unix socket) runs all the same, without it, and says so.
     */
    private static void adminSocket(NodeSettings settings, NodeBackup backups, StartedParts parts) {
        try {
            parts.add("admin socket", AdminSocket.start(settings.dataDirectory(), backups), AdminSocket::close);
        } catch (IOException e) {
            LOG.warning(() -> "no backups through the admin socket: " + e.getMessage());
        }
    }

    /** The gateway's context, which starts ordering (alone, or Raft with the cluster); its endorsers go on parts. */
    private static GatewayContext gatewayContext(
            NodeSettings settings,
            Signer signer,
            IdentityValidator identities,
            ChaincodeRuntime runtime,
            Ledger ledger,
            List<DerivedState> derived,
            BlockPuller puller,
            NodeMetrics metrics,
            StartedParts parts,
            ConsortiumInForce consortium,
            Supplier<GatewayContext.Members> members)
            throws IOException {
        NodeSettings.Cluster cluster = settings.cluster();
        Orderer.Factory orderers = cluster == null
                ? (listener, checker) -> {
                    SoloOrderer solo = new SoloOrderer(
                            ledger,
                            settings.blockLimits(),
                            ConsortiumWiring.following(
                                    consortium, ledger, DerivedStates.feeding(listener, derived, ledger)),
                            20_000,
                            signer,
                            TransactionIdentities.atCommit(
                                    identities, () -> members.get().nodeIdentities()));
                    solo.start();
                    return solo;
                }
                : (listener, checker) -> RaftOrderer.start(
                        ClusterWiring.raftSettingsAfterLoss(cluster, settings, ledger),
                        settings.channel(),
                        ledger,
                        checker,
                        signer,
                        ConsortiumWiring.following(
                                consortium, ledger, DerivedStates.feeding(listener, derived, ledger)),
                        puller,
                        settings.blockLimits(),
                        20_000);
        Endorsers endorsers = parts.add(
                "connections to other nodes' endorsers",
                cluster == null
                        ? Endorsers.none(signer.mspId())
                        : ClusterWiring.endorsers(cluster, settings.mspId(), settings.tls(), metrics.grpcClient()),
                Endorsers::close);
        if (cluster != null) {
            consortium
                    .document()
                    .ifPresent(document -> endorsers.update(ConsortiumWiring.peers(document, settings.name())));
            consortium.onChange(document -> endorsers.update(ConsortiumWiring.peers(document, settings.name())));
        }
        return new GatewayContext(
                settings.channel(),
                settings.host() + ":" + settings.port(),
                ledger,
                runtime,
                identities,
                signer,
                members,
                endorsers,
                orderers);
    }

    /** @return the commitment log of this node (RFC 9162 tree of the anchored commitments) */
    public CommitmentLog commitmentLog() {
        return log;
    }

    /** @return the port the gateway listens on */
    public int port() {
        return server.getPort();
    }

    /** @return the port the HTTP API listens on */
    public int httpPort() {
        return http.port();
    }

    /** @return the HTTP API's base URL, such as {@code http://localhost:9051} */
    public String httpUrl() {
        return http.baseUrl();
    }

    /** @return the node's checkpoints: the latest cosigned one and the trust file they verify against */
    public CheckpointPublisher checkpoints() {
        return checkpoints;
    }

    /** @return the node's ledger (read it; the node commits to it) */
    public Ledger ledger() {
        return ledger;
    }

    /** @return the gateway's context: ordering, endorsers */
    public GatewayContext context() {
        return context;
    }

    /** @return the number of committed blocks */
    public long height() {
        return ledger.height();
    }

    /** @return true while the node can commit blocks */
    public boolean healthy() {
        return context.healthy();
    }

    /** Blocks until the server stops. */
    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    /**
     * Stops what {@link #start} started, in reverse order: the HTTP API (and its gateway connection for API clients),
     * checkpoint publishing, the gateway (running calls get 5 seconds), ordering (what was queued is committed), the
     * commitment log, the ledger and the metrics.
     */
    @Override
    public void close() {
        parts.close();
        LOG.log(Level.INFO, "node stopped");
    }
}
