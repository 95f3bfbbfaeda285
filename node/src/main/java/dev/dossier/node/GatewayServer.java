package dev.dossier.node;

import dev.dossier.common.concurrent.DaemonThreads;
import dev.dossier.node.gateway.EndorserService;
import dev.dossier.node.gateway.EventReaders;
import dev.dossier.node.gateway.GatewayContext;
import dev.dossier.node.gateway.GatewayService;
import dev.dossier.node.gateway.GrpcLimits;
import dev.dossier.node.identity.IdentityValidator;
import dev.dossier.node.ledger.Ledger;
import dev.dossier.node.metrics.NodeMetrics;
import dev.dossier.node.ordering.BlockDeliveryService;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.peer.EndorserGrpc;

/**
 * The node's gRPC server: Fabric's Gateway, Endorser and Deliver services, each kind of call on thread pools of its
 * own, so that no kind of call can take all the threads of another.
 */
final class GatewayServer {
    private static final int MAX_EVENT_STREAMS = 64;

    private GatewayServer() {}

    /**
     * The gateway's gRPC server (Gateway, Endorser and Deliver services), listening; its thread pools go on parts,
     * started before it so that they stop after it.
     */
    static Server start(
            NodeSettings settings,
            GrpcLimits limits,
            GatewayContext context,
            Ledger ledger,
            IdentityValidator identities,
            NodeMetrics metrics,
            ExecutorService responses,
            StartedParts parts)
            throws IOException {
        int threads = Math.max(8, 4 * Runtime.getRuntime().availableProcessors());
        ExecutorService requests = Executors.newFixedThreadPool(threads, DaemonThreads.named("gateway"));
        ExecutorService eventStreams = Executors.newFixedThreadPool(MAX_EVENT_STREAMS, DaemonThreads.named("events"));
        // endorsement requests from other nodes get threads of their own: a gateway thread waiting for another
        // node's endorsement never holds up this node's answers to that node
        ExecutorService endorsements = Executors.newFixedThreadPool(threads, DaemonThreads.named("endorser"));
        // block streams (Deliver) may wait for new blocks: they never take the gateway's threads
        ExecutorService deliveries = Executors.newFixedThreadPool(MAX_EVENT_STREAMS, DaemonThreads.named("deliver"));
        parts.add("gateway threads", List.of(requests, eventStreams, endorsements, deliveries), pools -> {
            eventStreams.shutdownNow();
            requests.shutdown();
            endorsements.shutdown();
            deliveries.shutdownNow();
            eventStreams.awaitTermination(5, TimeUnit.SECONDS);
            requests.awaitTermination(5, TimeUnit.SECONDS);
        });
        EventReaders readers = new EventReaders(context::nodeIdentities);
        GatewayService gateway =
                new GatewayService(context, readers, limits, eventStreams, MAX_EVENT_STREAMS, responses);
        NettyServerBuilder builder =
                limits.applyTo(NettyServerBuilder.forAddress(new InetSocketAddress(settings.host(), settings.port())));
        if (settings.tls() != null) {
            builder.sslContext(settings.tls().serverContext());
        }
        Server server = builder.intercept(metrics.grpcServer())
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
                .addService(new BlockDeliveryService(settings.channel(), ledger, identities, readers::mayReadBlocks))
                .build();
        try {
            return server.start();
        } catch (IOException e) {
            throw new IOException(
                    "cannot listen on " + settings.host() + ":" + settings.port() + ": " + e.getMessage(), e);
        }
    }

    /** Stops accepting calls, lets running ones finish for up to 5 seconds, then cancels them. */
    static void stop(Server server) throws InterruptedException {
        server.shutdown();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            throw e;
        }
    }
}
