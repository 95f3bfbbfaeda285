package dev.dossier.node.http;

import java.time.Duration;
import java.util.Objects;
import java.util.Properties;

/**
 * Limits of the node's HTTP server, which together keep a few idle, slow or greedy clients from stopping the answers
 * that verifiers and the other nodes need (status, receipts, checkpoints, cosigning).
 *
 * <ul>
 *   <li>{@code threads}: threads running requests. Slow clients do not hold one while their request arrives: the
 *       server parses requests as bytes come in and only then gives the request a thread.
 *   <li>{@code maxConnections}: open connections in all; beyond it the server stops accepting until one closes.
 *   <li>{@code maxConnectionsPerAddress}: open connections of one client address (an IPv6 /64 counts as one
 *       address); a connection beyond it is closed at once.
 *   <li>{@code requestTimeout}: a request's line and headers must have arrived within this time of the connection
 *       opening or of the previous answer on it; otherwise the connection is closed. This also closes idle
 *       keep-alive connections.
 *   <li>{@code idleTimeout}: while a request is read (its body) or answered, at most this long without a byte moving.
 *   <li>{@code maxHeaderBytes}: request line and headers together; longer ones get 431.
 *   <li>{@code expensivePerSecond}, {@code expensiveBurst}, {@code expensiveConcurrent}: per client address and per
 *       route, on routes that verify signatures or do gateway work ({@code POST /v1/checkpoint/cosign},
 *       {@code POST /v1/anchor}, {@code GET /v1/dossier/{subject}}): a token bucket refilled at
 *       {@code expensivePerSecond} holding at most {@code expensiveBurst} requests, and at most
 *       {@code expensiveConcurrent} such requests under way. Beyond them the answer is 429 with {@code Retry-After},
 *       given before the request body is read.
 * </ul>
 *
 * <p>Request bodies are limited separately, per route ({@link HttpApi#MAX_BODY_BYTES}, {@link
 * HttpApi#MAX_ANCHOR_BODY_BYTES}). Limits are per node; clients behind one address (a NAT, a reverse proxy) share the
 * per-address limits.
 *
 * <pre>{@code
 * HttpLimits limits = HttpLimits.defaults().withRequestTimeout(Duration.ofSeconds(5));
 * HttpLimits configured = HttpLimits.fromProperties(System.getProperties()); // dossier.http.* overrides
 * }</pre>
 */
public record HttpLimits(
        int threads,
        int maxConnections,
        int maxConnectionsPerAddress,
        Duration requestTimeout,
        Duration idleTimeout,
        int maxHeaderBytes,
        int expensivePerSecond,
        int expensiveBurst,
        int expensiveConcurrent) {

    /** Prefix of the system properties {@link #fromProperties} reads, such as {@code dossier.http.threads}. */
    public static final String PROPERTY_PREFIX = "dossier.http.";

    /**
     * @throws IllegalArgumentException if a count or a time is not positive, or the per-address connection limit
     *     exceeds the total
     */
    public HttpLimits {
        positive("threads", threads);
        positive("maxConnections", maxConnections);
        positive("maxConnectionsPerAddress", maxConnectionsPerAddress);
        positive("requestTimeout", requestTimeout);
        positive("idleTimeout", idleTimeout);
        positive("maxHeaderBytes", maxHeaderBytes);
        positive("expensivePerSecond", expensivePerSecond);
        positive("expensiveBurst", expensiveBurst);
        positive("expensiveConcurrent", expensiveConcurrent);
        if (maxConnectionsPerAddress > maxConnections) {
            throw new IllegalArgumentException("maxConnectionsPerAddress " + maxConnectionsPerAddress
                    + " exceeds maxConnections " + maxConnections);
        }
    }

    /**
     * The defaults: 64 threads, 512 connections, 64 per address, 10 s for a request's headers, 30 s idle, 8 KiB of
     * headers, and on expensive routes 10 requests per second per address with bursts of 20, 4 at a time.
     */
    public static HttpLimits defaults() {
        return new HttpLimits(64, 512, 64, Duration.ofSeconds(10), Duration.ofSeconds(30), 8 << 10, 10, 20, 4);
    }

    /**
     * The defaults, overridden by properties {@code dossier.http.<component>} (counts as integers, times in
     * milliseconds with the suffix {@code Millis}): {@code threads}, {@code maxConnections},
     * {@code maxConnectionsPerAddress}, {@code requestTimeoutMillis}, {@code idleTimeoutMillis}, {@code
     * maxHeaderBytes}, {@code expensivePerSecond}, {@code expensiveBurst}, {@code expensiveConcurrent}.
     *
     * @throws IllegalArgumentException naming the property if one is not a positive integer
     */
    public static HttpLimits fromProperties(Properties properties) {
        Objects.requireNonNull(properties, "properties");
        HttpLimits d = defaults();
        return new HttpLimits(
                integer(properties, "threads", d.threads),
                integer(properties, "maxConnections", d.maxConnections),
                integer(properties, "maxConnectionsPerAddress", d.maxConnectionsPerAddress),
                Duration.ofMillis(integer(properties, "requestTimeoutMillis", (int) d.requestTimeout.toMillis())),
                Duration.ofMillis(integer(properties, "idleTimeoutMillis", (int) d.idleTimeout.toMillis())),
                integer(properties, "maxHeaderBytes", d.maxHeaderBytes),
                integer(properties, "expensivePerSecond", d.expensivePerSecond),
                integer(properties, "expensiveBurst", d.expensiveBurst),
                integer(properties, "expensiveConcurrent", d.expensiveConcurrent));
    }

    /** @return these limits with another request (headers) timeout */
    public HttpLimits withRequestTimeout(Duration timeout) {
        return new HttpLimits(
                threads,
                maxConnections,
                maxConnectionsPerAddress,
                timeout,
                idleTimeout,
                maxHeaderBytes,
                expensivePerSecond,
                expensiveBurst,
                expensiveConcurrent);
    }

    private static int integer(Properties properties, String name, int fallback) {
        String value = properties.getProperty(PROPERTY_PREFIX + name);
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.strip());
            positive(PROPERTY_PREFIX + name, parsed);
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PROPERTY_PREFIX + name + " is not a positive integer: " + value, e);
        }
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }

    private static void positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
