package dev.dossier.node.cli;

import dev.dossier.node.gateway.GrpcLimits;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The {@code node start} options for {@link GrpcLimits}: what one gRPC client may make the node hold. Defaults are
 * {@link GrpcLimits#DEFAULT}'s; its Javadoc says why each is what it is.
 */
final class GrpcOptions {
    @Option(
            names = "--grpc-max-message-mib",
            defaultValue = "" + (GrpcLimits.DEFAULT_MAX_MESSAGE_BYTES >> 20),
            description = "largest gRPC request message, in MiB, refused from its length prefix before it is read"
                    + " (default: ${DEFAULT-VALUE}; a Submit of a full anchorBatch of 5,000 entries is about 5.3 MB)")
    int maxMessageMib;

    @Option(
            names = "--grpc-max-calls-per-connection",
            defaultValue = "" + GrpcLimits.DEFAULT_MAX_CALLS_PER_CONNECTION,
            description = "concurrent gRPC calls (HTTP/2 streams) per connection (default: ${DEFAULT-VALUE})")
    int maxCallsPerConnection;

    @Option(
            names = "--grpc-min-ping-interval-s",
            defaultValue = "60",
            description = "shortest interval between a client's keepalive pings, in seconds; a client that pings more"
                    + " often, or without an open call, is disconnected (default: ${DEFAULT-VALUE})")
    long minPingIntervalSeconds;

    @Option(
            names = "--grpc-max-connection-idle-s",
            defaultValue = "300",
            description = "seconds after which a connection without calls is closed (default: ${DEFAULT-VALUE})")
    long maxConnectionIdleSeconds;

    @Option(
            names = "--max-commit-waiters-per-identity",
            defaultValue = "" + GrpcLimits.DEFAULT_COMMIT_STATUS_WAITERS_PER_IDENTITY,
            description = "CommitStatus calls one certificate may have waiting; more are refused with"
                    + " RESOURCE_EXHAUSTED (default: ${DEFAULT-VALUE})")
    int commitWaitersPerIdentity;

    @Option(
            names = "--max-commit-waiters",
            defaultValue = "" + GrpcLimits.DEFAULT_COMMIT_STATUS_WAITERS,
            description = "CommitStatus calls waiting on the node, from all clients (default: ${DEFAULT-VALUE})")
    int commitWaiters;

    /**
     * @return the limits these options give
     * @throws IllegalArgumentException naming the option out of range
     */
    GrpcLimits limits() {
        if (maxMessageMib < 1 || maxMessageMib > 1024) {
            throw new IllegalArgumentException(
                    "--grpc-max-message-mib must be between 1 and 1024, got " + maxMessageMib);
        }
        return new GrpcLimits(
                maxMessageMib << 20,
                maxCallsPerConnection,
                Duration.ofSeconds(minPingIntervalSeconds),
                Duration.ofSeconds(maxConnectionIdleSeconds),
                commitWaitersPerIdentity,
                commitWaiters);
    }
}
