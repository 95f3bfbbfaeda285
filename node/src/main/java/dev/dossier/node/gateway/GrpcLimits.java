package dev.dossier.node.gateway;

import io.grpc.netty.NettyServerBuilder;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * What the node's gRPC server lets one client make it hold: bounds that apply before a request's identity is known
 * (message size, calls per connection, pings, idle connections) and after (commit-status waiters per identity). Every
 * refusal is a gRPC status the client sees; none of them costs the node more than the bound. Immutable.
 *
 * <p>The bounds and their defaults ({@link #DEFAULT}; {@code node start --help} names the options):
 *
 * <ul>
 *   <li>{@code maxMessageBytes}, default {@value #DEFAULT_MAX_MESSAGE_BYTES} (16 MiB): the largest request message the
 *       server reads. gRPC refuses a larger one with {@code RESOURCE_EXHAUSTED} from its 5-byte length prefix, before
 *       it buffers the body; HTTP/2 flow control then stops the sender, so a refused call costs the node at most one
 *       flow-control window (about 1 MiB), whatever the length it announced. The largest legitimate request is a
 *       Submit of an {@code anchorBatch} of 5,000 entries (the contract's maximum) with every optional member: its
 *       envelope carries the argument (1.27 MB), the endorsed write set (each entry's JSON and subject index key) and
 *       the response; measured at 5.33 MB with a 64-character issuer DN, plus about 5 KB per further character of DN
 *       (the DN is written in every entry). 16 MiB leaves three times that. Endorse, Evaluate and the Endorser calls
 *       between nodes carry only the proposal (the argument: 1.27 MB at most); Deliver requests are a few hundred
 *       bytes. What the node receives as a client (endorsements, blocks pulled from other nodes, which the block
 *       cutter bounds at 64 MiB) is not limited here.
 *   <li>{@code maxCallsPerConnection}, default {@value #DEFAULT_MAX_CALLS_PER_CONNECTION}: concurrent calls (HTTP/2
 *       streams) on one connection; gRPC clients queue calls beyond it rather than failing them.
 *   <li>{@code permitKeepAliveTime}, default 60 s (a Fabric peer's {@code keepalive.minInterval}): a client that pings
 *       more often is disconnected ({@code GOAWAY ENHANCE_YOUR_CALM}); pings without an open call are never allowed.
 *       The node itself pings a silent client after {@link #SERVER_KEEPALIVE} and closes the connection if no answer
 *       comes within {@link #SERVER_KEEPALIVE_TIMEOUT}, so a vanished client does not keep an event stream's slot.
 *   <li>{@code maxConnectionIdle}, default 5 minutes: a connection without any call for that long is closed (clients
 *       reconnect on their next call). There is no maximum connection age: event and block streams live as long as
 *       their client wants them, and a connection age would either cut them or, with an unbounded grace, bound
 *       nothing.
 *   <li>{@code commitStatusWaitersPerIdentity}, default {@value #DEFAULT_COMMIT_STATUS_WAITERS_PER_IDENTITY}, and
 *       {@code commitStatusWaiters}, default {@value #DEFAULT_COMMIT_STATUS_WAITERS}: CommitStatus calls waiting for
 *       their transaction, per certificate and for the whole node; one more is refused with {@code
 *       RESOURCE_EXHAUSTED}. A bulk anchorer keeps at most 64 transactions in flight, the transaction benchmark 64
 *       clients.
 *   <li>A connection must complete its TLS and HTTP/2 handshake within {@link #HANDSHAKE_TIMEOUT}.
 * </ul>
 *
 * <p>Not bounded here: the number of connections (put a firewall or TLS in front: with {@code --tls} only holders of
 * a consortium TLS client certificate get past the handshake), and the memory of calls under the message limit,
 * which is at most {@code connections × maxCallsPerConnection × maxMessageBytes}.
 *
 * <pre>{@code
 * GrpcLimits limits = GrpcLimits.DEFAULT.withCommitStatusWaiters(64, 1_024);
 * limits.applyTo(NettyServerBuilder.forPort(7051));
 * }</pre>
 *
 * @param maxMessageBytes largest inbound message, in bytes
 * @param maxCallsPerConnection concurrent calls per connection
 * @param permitKeepAliveTime shortest interval between a client's pings
 * @param maxConnectionIdle how long a connection without calls stays open
 * @param commitStatusWaitersPerIdentity waiting CommitStatus calls per certificate
 * @param commitStatusWaiters waiting CommitStatus calls on the node
 */
public record GrpcLimits(
        int maxMessageBytes,
        int maxCallsPerConnection,
        Duration permitKeepAliveTime,
        Duration maxConnectionIdle,
        int commitStatusWaitersPerIdentity,
        int commitStatusWaiters) {
    /** Default largest inbound message: 16 MiB. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 16 << 20;
    /** Default concurrent calls per connection (HTTP/2's recommended minimum for a peer's stream limit). */
    public static final int DEFAULT_MAX_CALLS_PER_CONNECTION = 100;
    /** Default waiting CommitStatus calls per certificate. */
    public static final int DEFAULT_COMMIT_STATUS_WAITERS_PER_IDENTITY = 512;
    /** Default waiting CommitStatus calls on the node. */
    public static final int DEFAULT_COMMIT_STATUS_WAITERS = 8_192;
    /** How long a silent client may stay silent before the node pings it. */
    public static final Duration SERVER_KEEPALIVE = Duration.ofMinutes(5);
    /** How long the node waits for the answer to its ping. */
    public static final Duration SERVER_KEEPALIVE_TIMEOUT = Duration.ofSeconds(20);
    /** How long a new connection may take for its TLS and HTTP/2 handshake. */
    public static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(20);
    /** The smallest message limit accepted: a Deliver request or a small proposal must still fit. */
    public static final int MIN_MESSAGE_BYTES = 64 << 10;

    /** The defaults described above. */
    public static final GrpcLimits DEFAULT = new GrpcLimits(
            DEFAULT_MAX_MESSAGE_BYTES,
            DEFAULT_MAX_CALLS_PER_CONNECTION,
            Duration.ofSeconds(60),
            Duration.ofMinutes(5),
            DEFAULT_COMMIT_STATUS_WAITERS_PER_IDENTITY,
            DEFAULT_COMMIT_STATUS_WAITERS);

    /**
     * @throws IllegalArgumentException naming the bound that is out of range: a message limit below {@link
     *     #MIN_MESSAGE_BYTES}, a count below 1, a duration not positive, or more waiters per identity than in all
     * @throws NullPointerException if a duration is null
     */
    public GrpcLimits {
        Objects.requireNonNull(permitKeepAliveTime, "permitKeepAliveTime");
        Objects.requireNonNull(maxConnectionIdle, "maxConnectionIdle");
        if (maxMessageBytes < MIN_MESSAGE_BYTES) {
            throw new IllegalArgumentException(
                    "maxMessageBytes must be at least " + MIN_MESSAGE_BYTES + ", got " + maxMessageBytes);
        }
        positive(maxCallsPerConnection, "maxCallsPerConnection");
        positive(commitStatusWaitersPerIdentity, "commitStatusWaitersPerIdentity");
        positive(commitStatusWaiters, "commitStatusWaiters");
        if (commitStatusWaitersPerIdentity > commitStatusWaiters) {
            throw new IllegalArgumentException("commitStatusWaitersPerIdentity (" + commitStatusWaitersPerIdentity
                    + ") exceeds commitStatusWaiters (" + commitStatusWaiters + ")");
        }
        if (permitKeepAliveTime.isNegative() || permitKeepAliveTime.isZero()) {
            throw new IllegalArgumentException("permitKeepAliveTime must be positive, got " + permitKeepAliveTime);
        }
        if (maxConnectionIdle.isNegative() || maxConnectionIdle.isZero()) {
            throw new IllegalArgumentException("maxConnectionIdle must be positive, got " + maxConnectionIdle);
        }
    }

    private static void positive(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
    }

    /** @return the same limits with other commit-status waiter caps */
    public GrpcLimits withCommitStatusWaiters(int perIdentity, int total) {
        return new GrpcLimits(
                maxMessageBytes, maxCallsPerConnection, permitKeepAliveTime, maxConnectionIdle, perIdentity, total);
    }

    /**
     * Sets the transport bounds on a server builder: message size, calls per connection, keepalive policy, idle
     * connections and the handshake timeout.
     *
     * @return {@code builder}
     */
    public NettyServerBuilder applyTo(NettyServerBuilder builder) {
        return builder.maxInboundMessageSize(maxMessageBytes)
                .maxConcurrentCallsPerConnection(maxCallsPerConnection)
                .permitKeepAliveTime(permitKeepAliveTime.toMillis(), TimeUnit.MILLISECONDS)
                .permitKeepAliveWithoutCalls(false)
                .keepAliveTime(SERVER_KEEPALIVE.toMillis(), TimeUnit.MILLISECONDS)
                .keepAliveTimeout(SERVER_KEEPALIVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .maxConnectionIdle(maxConnectionIdle.toMillis(), TimeUnit.MILLISECONDS)
                .handshakeTimeout(HANDSHAKE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
