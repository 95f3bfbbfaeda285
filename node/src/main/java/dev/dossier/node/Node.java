package dev.dossier.node;

import dev.dossier.node.chaincode.ChaincodeLoadException;
import dev.dossier.node.chaincode.ChaincodeRuntime;
import dev.dossier.node.gateway.GatewayContext;
import dev.dossier.node.gateway.GatewayService;
import dev.dossier.node.identity.IdentityValidator;
import dev.dossier.node.identity.Signer;
import dev.dossier.node.ledger.Ledger;
import dev.dossier.node.ledger.LedgerException;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.hyperledger.fabric.protos.common.Block;

/**
 * A running Dossier node: the RocksDB ledger, the in-process chaincode, single-node ordering and Fabric's Gateway gRPC
 * service. {@link #start} opens (or creates, with the channel's genesis block) the ledger and listens;
 * {@link #close} stops accepting requests, commits what was already queued, and closes the ledger.
 *
 * <pre>{@code
 * try (Node node = Node.start(settings)) {
 *     node.awaitTermination();
 * }
 * }</pre>
 */
public final class Node implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Node.class.getName());
    private static final int MAX_MESSAGE_BYTES = 128 << 20;
    private static final int MAX_EVENT_STREAMS = 64;

    private final Ledger ledger;
    private final GatewayContext context;
    private final Server server;
    private final ExecutorService requests;
    private final ExecutorService eventStreams;
    private final ExecutorService responses;

    private Node(
            Ledger ledger,
            GatewayContext context,
            Server server,
            ExecutorService requests,
            ExecutorService eventStreams,
            ExecutorService responses) {
        this.ledger = ledger;
        this.context = context;
        this.server = server;
        this.requests = requests;
        this.eventStreams = eventStreams;
        this.responses = responses;
    }

    /**
     * Opens the ledger, loads the chaincode and starts serving.
     *
     * @throws IOException if the signing identity cannot be read or the port cannot be bound
     * @throws LedgerException if the ledger cannot be opened (for example another node holds it)
     * @throws ChaincodeLoadException if the contract cannot be loaded
     */
    public static Node start(NodeSettings settings) throws IOException, LedgerException, ChaincodeLoadException {
        Signer signer = Signer.fromPem(settings.mspId(), settings.signCertificate(), settings.signKey());
        IdentityValidator identities = new IdentityValidator(settings.organisations());
        ChaincodeRuntime runtime = ChaincodeRuntime.load(settings.chaincode(), settings.chaincodeJar());
        Ledger ledger = Ledger.open(settings.dataDirectory().resolve("ledger"));
        try {
            if (ledger.height() == 0) {
                Block genesis = ledger.commitGenesis(Genesis.configEnvelope(settings.channel(), settings.organisations()));
                LOG.info(() -> "created channel " + settings.channel() + " with genesis block of "
                        + genesis.getSerializedSize() + " bytes");
            }
            String address = settings.host() + ":" + settings.port();
            GatewayContext context = new GatewayContext(
                    settings.channel(), address, ledger, runtime, identities, signer, settings.blockLimits());
            int threads = Math.max(8, 4 * Runtime.getRuntime().availableProcessors());
            ExecutorService requests = Executors.newFixedThreadPool(threads, daemon("gateway"));
            ExecutorService eventStreams = Executors.newFixedThreadPool(MAX_EVENT_STREAMS, daemon("events"));
            ExecutorService responses = Executors.newFixedThreadPool(2, daemon("commit-status"));
            Server server = NettyServerBuilder.forAddress(new InetSocketAddress(settings.host(), settings.port()))
                    .executor(requests)
                    .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                    .addService(new GatewayService(context, eventStreams, MAX_EVENT_STREAMS, responses))
                    .build();
            try {
                server.start();
            } catch (IOException e) {
                closeQuietly(context);
                throw new IOException("cannot listen on " + address + ": " + e.getMessage(), e);
            }
            LOG.info(() -> "node " + settings.mspId() + " serving channel " + settings.channel() + ", chaincode "
                    + settings.chaincode() + " on " + settings.host() + ":" + server.getPort() + ", ledger height "
                    + ledger.height());
            return new Node(ledger, context, server, requests, eventStreams, responses);
        } catch (IOException | RuntimeException e) {
            ledger.close();
            throw e;
        }
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

    /** @return the port the gateway listens on */
    public int port() {
        return server.getPort();
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

    @Override
    public void close() {
        server.shutdown();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
            eventStreams.shutdownNow();
            requests.shutdown();
            eventStreams.awaitTermination(5, TimeUnit.SECONDS);
            requests.awaitTermination(5, TimeUnit.SECONDS);
            context.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.shutdownNow();
        } finally {
            responses.shutdown();
            ledger.close();
            LOG.log(Level.INFO, "node stopped");
        }
    }
}
