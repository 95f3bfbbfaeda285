package dev.dossier.node;

import com.google.protobuf.ByteString;
import dev.dossier.common.note.Checkpoint;
import dev.dossier.common.note.TrustFile;
import dev.dossier.node.chaincode.ChaincodeLoadException;
import dev.dossier.node.chaincode.ChaincodeRuntime;
import dev.dossier.node.config.GenesisPolicy;
import dev.dossier.node.gateway.EndorserService;
import dev.dossier.node.gateway.Endorsers;
import dev.dossier.node.gateway.EventReaders;
import dev.dossier.node.gateway.GatewayContext;
import dev.dossier.node.gateway.GatewayService;
import dev.dossier.node.gateway.GrpcLimits;
import dev.dossier.node.http.ApiClients;
import dev.dossier.node.http.CustodialGateway;
import dev.dossier.node.http.HttpApi;
import dev.dossier.node.http.HttpLimits;
import dev.dossier.node.identity.IdentityValidator;
import dev.dossier.node.identity.Msp;
import dev.dossier.node.identity.Signer;
import dev.dossier.node.identity.TlsSettings;
import dev.dossier.node.ledger.Ledger;
import dev.dossier.node.ledger.LedgerException;
import dev.dossier.node.log.CheckpointPublisher;
import dev.dossier.node.log.CheckpointSigner;
import dev.dossier.node.log.CommitmentLog;
import dev.dossier.node.log.TrustFiles;
import dev.dossier.node.metrics.LedgerMeters;
import dev.dossier.node.metrics.NodeMetrics;
import dev.dossier.node.metrics.OrderingMeters;
import dev.dossier.node.ordering.BlockDeliveryService;
import dev.dossier.node.ordering.BlockListener;
import dev.dossier.node.ordering.BlockPuller;
import dev.dossier.node.ordering.Orderer;
import dev.dossier.node.ordering.RaftOrderer;
import dev.dossier.node.ordering.RaftSettings;
import dev.dossier.node.ordering.SoloOrderer;
import dev.dossier.node.validation.WriteRules;
import io.grpc.ClientInterceptor;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.peer.EndorserGrpc;

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
    private static final int MAX_EVENT_STREAMS = 64;

    private final Ledger ledger;
    private final GatewayContext context;
    private final Server server;
    private final ExecutorService requests;
    private final ExecutorService eventStreams;
    private final ExecutorService responses;
    private final ExecutorService endorsements;
    private final ExecutorService deliveries;
    private final CommitmentLog log;
    private final CheckpointPublisher checkpoints;
    private final HttpApi http;
    private final CustodialGateway custodian;
    private final NodeMetrics metrics;

    private Node(
            Ledger ledger,
            CommitmentLog log,
            GatewayContext context,
            Server server,
            ExecutorService requests,
            ExecutorService eventStreams,
            ExecutorService responses,
            ExecutorService endorsements,
            ExecutorService deliveries,
            CheckpointPublisher checkpoints,
            HttpApi http,
            CustodialGateway custodian,
            NodeMetrics metrics) {
        this.custodian = custodian;
        this.metrics = metrics;
        this.checkpoints = checkpoints;
        this.http = http;
        this.endorsements = endorsements;
        this.deliveries = deliveries;
        this.ledger = ledger;
        this.log = log;
        this.context = context;
        this.server = server;
        this.requests = requests;
        this.eventStreams = eventStreams;
        this.responses = responses;
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
     * node hold (message size, calls per connection, keepalive, idle connections, waiting commit-status calls).
     *
     * @throws IOException if the signing identity, the API client file or an API client's identity cannot be read,
     *     or a port cannot be bound
     * @throws LedgerException if the ledger cannot be opened (for example another node holds it)
     * @throws ChaincodeLoadException if the contract cannot be loaded
     */
    public static Node start(NodeSettings settings, GrpcLimits limits)
            throws IOException, LedgerException, ChaincodeLoadException {
        requireTlsOrInsecure(settings);
        Signer signer = Signer.fromPem(settings.mspId(), settings.signCertificate(), settings.signKey());
        IdentityValidator identities = new IdentityValidator(settings.organisations());
        ChaincodeRuntime runtime = ChaincodeRuntime.load(settings.chaincode(), settings.chaincodeJar());
        List<ApiClients.Client> apiClients =
                settings.apiClients() == null ? List.of() : ApiClients.load(settings.apiClients(), settings.mspId());
        Ledger ledger = Ledger.open(settings.dataDirectory().resolve("ledger"));
        NodeMetrics metrics = new NodeMetrics();
        try {
            NodeSettings.Cluster cluster = settings.cluster();
            Set<ByteString> nodeIdentities =
                    cluster == null ? Set.of(signer.serializedIdentity()) : nodeIdentities(cluster);
            BlockPuller puller = cluster == null
                    ? null
                    : new BlockPuller(
                            settings.channel(), signer, addresses(cluster), settings.tls(), metrics.grpcClient());
            if (ledger.height() == 0 && cluster != null && cluster.join()) {
                fetchGenesis(cluster, puller, ledger);
            } else if (ledger.height() == 0) {
                GenesisPolicy policy = settings.genesisPolicy();
                if (policy != null) {
                    try {
                        policy.verify(identities, mspIds(settings.organisations()), Instant.now());
                    } catch (IllegalArgumentException e) {
                        throw new IOException("cannot create channel " + settings.channel() + ": " + e.getMessage(), e);
                    }
                } else {
                    LOG.warning(() -> "creating channel " + settings.channel() + " without a first role policy ("
                            + GenesisPolicy.POLICY_FILE + "): the notary's policy can never be changed");
                }
                Block genesis = ledger.commitGenesis(Genesis.configEnvelope(
                        settings.channel(), settings.organisations(), settings.chaincode(), policy));
                LOG.info(() -> "created channel " + settings.channel() + " with genesis block of "
                        + genesis.getSerializedSize() + " bytes");
            }
            String address = settings.host() + ":" + settings.port();
            CommitmentLog log = CommitmentLog.open(settings.dataDirectory().resolve("log"), settings.chaincode());
            followLedger(log, ledger);
            Orderer.Factory orderers = cluster == null
                    ? (listener, checker) -> {
                        SoloOrderer solo = new SoloOrderer(
                                ledger, settings.blockLimits(), alsoFeeding(listener, log, ledger), 20_000, signer);
                        solo.start();
                        return solo;
                    }
                    : (listener, checker) -> RaftOrderer.start(
                            raftSettings(cluster, settings.dataDirectory(), settings.tls()),
                            settings.channel(),
                            ledger,
                            checker,
                            signer,
                            alsoFeeding(listener, log, ledger),
                            puller,
                            settings.blockLimits(),
                            20_000);
            GatewayContext context = new GatewayContext(
                    settings.channel(),
                    address,
                    ledger,
                    runtime,
                    identities,
                    signer,
                    nodeIdentities,
                    new WriteRules(settings.chaincode(), mspIds(settings.organisations())),
                    cluster == null
                            ? Endorsers.none(signer.mspId())
                            : endorsers(cluster, settings.mspId(), settings.tls(), metrics.grpcClient()),
                    orderers);
            LedgerMeters.bind(metrics, ledger);
            OrderingMeters.bind(metrics, context);
            int threads = Math.max(8, 4 * Runtime.getRuntime().availableProcessors());
            ExecutorService requests = Executors.newFixedThreadPool(threads, daemon("gateway"));
            ExecutorService eventStreams = Executors.newFixedThreadPool(MAX_EVENT_STREAMS, daemon("events"));
            ExecutorService responses = Executors.newFixedThreadPool(2, daemon("commit-status"));
            // endorsement requests from other nodes get threads of their own: a gateway thread waiting for another
            // node's endorsement never holds up this node's answers to that node
            ExecutorService endorsements = Executors.newFixedThreadPool(threads, daemon("endorser"));
            // block streams (Deliver) may wait for new blocks: they never take the gateway's threads
            ExecutorService deliveries = Executors.newFixedThreadPool(MAX_EVENT_STREAMS, daemon("deliver"));
            EventReaders readers = new EventReaders(nodeIdentities);
            GatewayService gateway =
                    new GatewayService(context, readers, limits, eventStreams, MAX_EVENT_STREAMS, responses);
            NettyServerBuilder serverBuilder = limits.applyTo(
                    NettyServerBuilder.forAddress(new InetSocketAddress(settings.host(), settings.port())));
            if (settings.tls() != null) {
                serverBuilder.sslContext(settings.tls().serverContext());
            }
            Server server = serverBuilder
                    .intercept(metrics.grpcServer())
                    .executor(requests)
                    .callExecutor(new ServerCallExecutorSupplier() {
                        @Override
                        public <Q, R> Executor getExecutor(ServerCall<Q, R> call, Metadata headers) {
                            String service = call.getMethodDescriptor().getServiceName();
                            if (EndorserGrpc.SERVICE_NAME.equals(service)) {
                                return endorsements;
                            }
                            return AtomicBroadcastGrpc.SERVICE_NAME.equals(service) ? deliveries : null;
                        }
                    })
                    .addService(gateway)
                    .addService(new EndorserService(context, gateway))
                    .addService(
                            new BlockDeliveryService(settings.channel(), ledger, identities, readers::mayReadBlocks))
                    .build();
            try {
                server.start();
            } catch (IOException e) {
                closeQuietly(context);
                throw new IOException("cannot listen on " + address + ": " + e.getMessage(), e);
            }
            CheckpointPublisher checkpoints;
            HttpApi http;
            CustodialGateway custodian;
            try {
                // API clients reach the ledger as any client does: through this node's own gateway, over loopback
                custodian = CustodialGateway.connect(
                        settings.host(),
                        server.getPort(),
                        settings.channel(),
                        settings.chaincode(),
                        apiClients,
                        metrics.grpcClient());
                try {
                    checkpoints = checkpoints(settings, signer, log);
                } catch (IOException | RuntimeException e) {
                    custodian.close();
                    throw e;
                }
                try {
                    http = HttpApi.builder()
                            .address(settings.host(), settings.httpPort())
                            .ledger(ledger, settings.chaincode())
                            .log(log)
                            .checkpoints(checkpoints)
                            .health(context::healthy)
                            .metrics(metrics)
                            .custodian(custodian)
                            .limits(HttpLimits.fromProperties(System.getProperties()))
                            .start();
                } catch (IOException | RuntimeException e) {
                    checkpoints.close();
                    custodian.close();
                    throw e;
                }
            } catch (IOException | RuntimeException e) {
                server.shutdownNow();
                closeQuietly(context);
                log.close();
                throw e;
            }
            LOG.info(() -> "HTTP API on " + http.baseUrl() + " (verify page " + http.baseUrl() + "/verify)");
            LOG.info(() -> "node " + settings.mspId() + " serving channel " + settings.channel() + ", chaincode "
                    + settings.chaincode() + " on " + settings.host() + ":" + server.getPort()
                    + (settings.tls() == null ? " (plaintext gRPC)" : " (gRPC over mutual TLS)") + ", ledger height "
                    + ledger.height()
                    + (cluster == null
                            ? ", ordering alone"
                            : ", ordering with Raft among " + cluster.nodes().size() + " nodes"));
            return new Node(
                    ledger,
                    log,
                    context,
                    server,
                    requests,
                    eventStreams,
                    responses,
                    endorsements,
                    deliveries,
                    checkpoints,
                    http,
                    custodian,
                    metrics);
        } catch (IOException | RuntimeException e) {
            metrics.close();
            ledger.close();
            throw e;
        }
    }

    /**
     * The checkpoint publisher of the node's log: cosigned by a majority of the cluster's nodes, each pinned by its
     * certificate under its name (a single node: by itself).
     */
    private static CheckpointPublisher checkpoints(NodeSettings settings, Signer signer, CommitmentLog log)
            throws IOException {
        CheckpointSigner checkpointSigner = new CheckpointSigner(signer, settings.name());
        String origin = Checkpoint.origin(settings.channel(), settings.chaincode());
        NodeSettings.Cluster cluster = settings.cluster();
        if (cluster == null) {
            TrustFile alone = TrustFile.majority(origin, List.of(checkpointSigner.verifierKey()));
            return CheckpointPublisher.start(log, checkpointSigner, alone, List.of());
        }
        Map<String, Path> certificates = new LinkedHashMap<>();
        List<URI> cosigners = new ArrayList<>();
        for (NodeSettings.ClusterNode node : cluster.nodes()) {
            certificates.put(node.name(), node.certificate());
            if (!node.name().equals(cluster.self())) {
                String host = node.host().contains(":") ? "[" + node.host() + "]" : node.host();
                cosigners.add(URI.create("http://" + host + ":" + node.httpPort() + "/v1/checkpoint/cosign"));
            }
        }
        return CheckpointPublisher.start(log, checkpointSigner, TrustFiles.majority(origin, certificates), cosigners);
    }

    /**
     * A node of a network of several nodes runs with TLS (Raft then accepts the consortium's nodes only), or without
     * it only when told so in so many words: without TLS, whoever reaches its Raft port can write to the ordering log.
     *
     * @throws IllegalArgumentException if the node would run among several nodes without TLS and without {@code
     *     --insecure}
     */
    private static void requireTlsOrInsecure(NodeSettings settings) {
        NodeSettings.Cluster cluster = settings.cluster();
        if (cluster == null || cluster.nodes().size() < 2 || settings.tls() != null || cluster.insecure()) {
            return;
        }
        NodeSettings.ClusterNode me = cluster.me();
        throw new IllegalArgumentException("node " + settings.name() + " is one of "
                + cluster.nodes().size()
                + " nodes and would order with them over plaintext: anyone who reaches its Raft port " + me.host()
                + ":" + me.raftPort() + " could write to the ordering log and change the Raft group. Start every node"
                + " with --tls (mutual TLS; Raft then accepts the consortium's nodes only), or, on a network you"
                + " control end to end (all nodes on one machine, a test), with --insecure");
    }

    private static Set<ByteString> nodeIdentities(NodeSettings.Cluster cluster) throws IOException {
        Set<ByteString> out = new HashSet<>();
        for (NodeSettings.ClusterNode node : cluster.nodes()) {
            out.add(node.serializedIdentity());
        }
        return out;
    }

    private static Map<String, String> addresses(NodeSettings.Cluster cluster) {
        Map<String, String> out = new LinkedHashMap<>();
        for (NodeSettings.ClusterNode node : cluster.nodes()) {
            out.put(node.name(), node.address());
        }
        return out;
    }

    private static List<String> mspIds(List<Msp> organisations) {
        return organisations.stream().map(Msp::mspId).toList();
    }

    private static Endorsers endorsers(
            NodeSettings.Cluster cluster, String ownMsp, TlsSettings tls, ClientInterceptor metrics) {
        List<String> organisations = new ArrayList<>();
        List<Endorsers.Peer> peers = new ArrayList<>();
        for (NodeSettings.ClusterNode node : cluster.nodes()) {
            if (!organisations.contains(node.mspId())) {
                organisations.add(node.mspId());
            }
            if (!node.name().equals(cluster.self())) {
                peers.add(new Endorsers.Peer(node.name(), node.mspId(), node.address()));
            }
        }
        return new Endorsers(ownMsp, organisations, peers, tls, metrics);
    }

    private static RaftSettings raftSettings(NodeSettings.Cluster cluster, Path dataDirectory, TlsSettings tls) {
        List<RaftSettings.Member> members = new ArrayList<>();
        for (NodeSettings.ClusterNode node : cluster.nodes()) {
            members.add(new RaftSettings.Member(node.name(), node.host(), node.raftPort(), node.tlsCertificate()));
        }
        RaftSettings settings = RaftSettings.of(cluster.self(), members, dataDirectory.resolve("raft"));
        return settings.withTiming(cluster.electionTimeout(), cluster.snapshotEvery(), cluster.segmentBytes())
                .joining(cluster.join())
                .withTls(tls);
    }

    /** A joining node's ledger starts with the network's genesis block, fetched from the first node that answers. */
    private static void fetchGenesis(NodeSettings.Cluster cluster, BlockPuller puller, Ledger ledger)
            throws IOException, LedgerException {
        IOException last = null;
        for (NodeSettings.ClusterNode node : cluster.nodes()) {
            if (node.name().equals(cluster.self())) {
                continue;
            }
            try {
                Block genesis = puller.fetchBlock(node.name(), 0);
                ledger.commitGenesis(Envelope.parseFrom(genesis.getData().getData(0)));
                if (!ledger.block(0).orElseThrow().getHeader().equals(genesis.getHeader())) {
                    throw new LedgerException("the genesis block of " + node.name() + " does not rebuild identically");
                }
                LOG.info(() -> "joined: genesis block taken from " + node.name());
                return;
            } catch (IOException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while fetching the genesis block", e);
            }
        }
        throw new IOException("no node of the network gave its genesis block", last);
    }

    private static void closeQuietly(GatewayContext context) {
        try {
            context.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        var counter = new java.util.concurrent.atomic.AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * Brings the commitment log up to the ledger: it is derived from blocks only, so a log behind the ledger (a crash
     * between a block's commit and the log's own write, or a log deleted by an operator) is rebuilt from the blocks.
     */
    private static void followLedger(CommitmentLog log, Ledger ledger) {
        followLedger(log, ledger, null);
    }

    /** As {@link #followLedger(CommitmentLog, Ledger)}, using {@code committed} itself when it is the next block. */
    private static void followLedger(CommitmentLog log, Ledger ledger, Block committed) {
        try {
            if (committed != null && committed.getHeader().getNumber() == log.appliedHeight()) {
                log.apply(committed);
            }
            for (long number = log.appliedHeight(); number < ledger.height(); number++) {
                long n = number;
                log.apply(ledger.block(n).orElseThrow(() -> new IllegalStateException("ledger has no block " + n)));
            }
        } catch (IOException | RuntimeException e) {
            // Derived state: ordering goes on, and the log catches up after the next block or restart.
            LOG.log(Level.SEVERE, "commitment log could not follow the ledger: " + e.getMessage(), e);
        }
    }

    /**
     * The orderer's listener, preceded by the commitment log, which folds in each block after it is durable: when a
     * client hears that its transaction committed, the log already holds its commitments.
     */
    private static BlockListener alsoFeeding(BlockListener listener, CommitmentLog log, Ledger ledger) {
        return new BlockListener() {
            @Override
            public void committed(Block block, List<String> txIds) {
                followLedger(log, ledger, block);
                listener.committed(block, txIds);
            }

            @Override
            public void dropped(List<String> txIds) {
                listener.dropped(txIds);
            }
        };
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
     * Stops the HTTP API first (and its gateway connection for API clients), then checkpoint publishing, the gateway,
     * ordering, the log and the ledger.
     */
    @Override
    public void close() {
        http.close();
        custodian.close();
        checkpoints.close();
        server.shutdown();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
            eventStreams.shutdownNow();
            requests.shutdown();
            endorsements.shutdown();
            deliveries.shutdownNow();
            eventStreams.awaitTermination(5, TimeUnit.SECONDS);
            requests.awaitTermination(5, TimeUnit.SECONDS);
            context.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.shutdownNow();
        } finally {
            responses.shutdown();
            log.close();
            ledger.close();
            metrics.close();
            LOG.log(Level.INFO, "node stopped");
        }
    }
}
