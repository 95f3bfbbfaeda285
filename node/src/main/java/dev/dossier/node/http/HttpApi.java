package dev.dossier.node.http;

import dev.dossier.node.ledger.Ledger;
import dev.dossier.node.log.CheckpointPublisher;
import dev.dossier.node.log.CommitmentLog;
import dev.dossier.node.metrics.NodeMetrics;
import dev.dossier.node.ordering.Waiting;
import dev.dossier.node.revocation.RevocationIndex;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The node's HTTP API, on Jetty behind the JDK's {@code com.sun.net.httpserver} interface: receipts, current status, the trust file and the latest cosigned
 * checkpoint for verifiers; checkpoint cosigning between nodes; health and Prometheus metrics for operators; the
 * verify page as static files. {@code GET /openapi.json} describes it (OpenAPI 3.1).
 *
 * <p>Errors are JSON {@code {"error": "<message>", "code": "NOT_FOUND|BAD_REQUEST|..."}} with the matching status.
 * The server ({@link GuardedServer}) holds no thread while a request arrives and enforces {@link HttpLimits}: a
 * request's headers must arrive within a deadline, connections are bounded in all and per client address, and routes
 * that verify signatures or do gateway work ({@link #EXPENSIVE_ROUTES}) are rate- and concurrency-limited per client
 * address (429 before the body is read). Request bodies are limited to {@value #MAX_BODY_BYTES} bytes
 * ({@value #MAX_ANCHOR_BODY_BYTES} for {@code POST /v1/anchor}), and commitments and subject pseudonyms in paths must
 * be exactly 64 hexadecimal digits. Every answer carries {@link #SECURITY_HEADERS}: a Content-Security-Policy that
 * allows only this origin's scripts, styles and connections (no inline script, no eval, no framing).
 *
 * <p>Security: the API is read-only for the public except {@code POST /v1/checkpoint/cosign}, which only adds this
 * node's signature to a checkpoint that a consortium node signed and that matches this node's own log. Entries it
 * serves publicly ({@code /v1/status}, receipts) are {@link PublicEntry public entries}: the organisation, kind, dates
 * and status, never the issuing person's DN nor the subject pseudonym, so nothing links two entries of one worker.
 * {@code GET /v1/log/consistency?from=N&to=M} gives the RFC 9162 consistency proof between two sizes of the log, with
 * which verifiers check that the checkpoints they are shown are consistent (no split view). {@code POST /v1/anchor} and {@code GET /v1/dossier/{subject}}
 * need an API token ({@code Authorization: Bearer <token>}, see {@link ApiClients}): the node runs them through its
 * own Fabric gateway as the token's user, signing with that user's key ({@link CustodialGateway}), so the chaincode's
 * role policy applies to them exactly as to any client. Anchoring takes commitments only: records and salts never
 * reach the node.
 *
 * <p>This class is the entry point: settings ({@link Builder}), start and close. Requests are answered by {@link
 * Router} (routes, methods, per-client limits, errors, request metrics) with the route groups {@link OperatorRoutes}
 * (health, metrics), {@link StaticRoutes} (verify page, OpenAPI, trust file), {@link LedgerRoutes} (receipts, status),
 * {@link LogRoutes} (checkpoint, cosigning, consistency) and {@link ClientRoutes} (anchoring and dossiers through the
 * custodial gateway); {@link Response} and {@link Requests} are the answers and the request checks they share.
 *
 * <pre>{@code
 * try (HttpApi api = HttpApi.builder()
 *         .address("localhost", 9051)
 *         .ledger(ledger, "notary")
 *         .log(log)
 *         .checkpoints(publisher)
 *         .health(node::healthy)
 *         .start()) {
 *     System.out.println(api.baseUrl() + "/verify");
 * }
 * }</pre>
 */
public final class HttpApi implements AutoCloseable {
    /** Longest request body accepted, except by {@code POST /v1/anchor}. */
    public static final int MAX_BODY_BYTES = 64 << 10;

    /** Longest request body {@code POST /v1/anchor} accepts. */
    public static final int MAX_ANCHOR_BODY_BYTES = 4 << 20;

    /** Most entries one {@code POST /v1/anchor} takes (the contract's batch limit). */
    public static final int MAX_ANCHOR_ENTRIES = 5000;

    /** Longest query string {@code GET /v1/log/consistency} reads: two sizes of at most 19 digits. */
    static final int MAX_CONSISTENCY_QUERY = 64;

    /**
     * Headers on every answer. The verify page keeps to the policy: no inline script or style, no eval, scripts,
     * styles, images, fetches and its service worker from this origin only; nothing may frame it.
     */
    public static final Map<String, String> SECURITY_HEADERS = Map.of(
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self';"
                    + " worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none';"
                    + " form-action 'self'; frame-ancestors 'none'",
            "X-Frame-Options",
            "DENY",
            "X-Content-Type-Options",
            "nosniff",
            "Referrer-Policy",
            "no-referrer");

    /** Routes limited per client address ({@link HttpLimits#expensivePerSecond()} and the like), by route label. */
    static final Set<String> EXPENSIVE_ROUTES = Set.of(
            "/v1/checkpoint/cosign",
            "/v1/anchor",
            "/v1/supersede",
            "/v1/revoke",
            "/v1/dossier/{subject}",
            "/v1/log/consistency",
            "/v1/revocations");

    private final GuardedServer server;
    private final String baseUrl;

    private HttpApi(GuardedServer server, String baseUrl) {
        this.server = server;
        this.baseUrl = baseUrl;
    }

    /** @return a builder of the API; every setting is required except {@code limits} and {@code custodian} */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the port the API listens on */
    public int port() {
        return server.port();
    }

    /** @return the API's base URL, such as {@code http://localhost:9051}, used in the verify links it gives */
    public String baseUrl() {
        return baseUrl;
    }

    /** Stops listening, lets requests under way finish (up to a second) and stops the request threads. */
    @Override
    public void close() {
        server.close();
    }

    /** Settings of the API. */
    public static final class Builder {
        private String host;
        private int port = -1;
        private Ledger ledger;
        private String namespace;
        private CommitmentLog log;
        private CheckpointPublisher checkpoints;
        private RevocationIndex revocations;
        private BooleanSupplier health;
        private Supplier<Optional<Waiting>> waiting = Optional::empty;
        private NodeMetrics metrics;
        private CustodialGateway custodian;
        private HttpLimits limits = HttpLimits.defaults();
        private CredentialSettings credentials;

        private Builder() {}

        /** Where to listen; port 0 picks a free port. */
        public Builder address(String host, int port) {
            this.host = Objects.requireNonNull(host, "host");
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        /** The ledger whose world state gives the current status of entries, in the chaincode's namespace. */
        public Builder ledger(Ledger ledger, String namespace) {
            this.ledger = Objects.requireNonNull(ledger, "ledger");
            this.namespace = Objects.requireNonNull(namespace, "namespace");
            return this;
        }

        /** The commitment log receipts prove inclusion in. */
        public Builder log(CommitmentLog log) {
            this.log = Objects.requireNonNull(log, "log");
            return this;
        }

        /** The latest cosigned checkpoint, the trust file and the cosigning of other nodes' checkpoints. */
        public Builder checkpoints(CheckpointPublisher checkpoints) {
            this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
            return this;
        }

        /** The revocations and supersessions, served signed with the checkpoint key at {@code /v1/revocations}. */
        public Builder revocations(RevocationIndex revocations) {
            this.revocations = Objects.requireNonNull(revocations, "revocations");
            return this;
        }

        /** Whether the node can commit blocks: {@code /healthz} answers 503 when not. */
        public Builder health(BooleanSupplier health) {
            this.health = Objects.requireNonNull(health, "health");
            return this;
        }

        /** What the node's ordering waits for, which {@code /healthz} shows (without it, {@code /healthz} omits it). */
        public Builder waiting(Supplier<Waiting> waiting) {
            Objects.requireNonNull(waiting, "waiting");
            this.waiting = () -> Optional.of(waiting.get());
            return this;
        }

        /**
         * The node's metrics, which {@code /metrics} serves; the API adds its own to them (health, ledger height, log
         * and checkpoint, HTTP connections and requests).
         */
        public Builder metrics(NodeMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /**
         * The API clients the node acts for, and its gateway connection as them: without it, {@code POST /v1/anchor}
         * and {@code GET /v1/dossier/{subject}} refuse every token (401).
         */
        public Builder custodian(CustodialGateway custodian) {
            this.custodian = Objects.requireNonNull(custodian, "custodian");
            return this;
        }

        /**
         * What the node needs to serve Verifiable Credentials: its checkpoint key (which signs the status lists) and the
         * organisations' credential keys. Without it, the credential routes answer 404.
         */
        public Builder credentials(CredentialSettings credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
            return this;
        }

        /** Threads, connections, timeouts and per-client limits (default {@link HttpLimits#defaults()}). */
        public Builder limits(HttpLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * Binds and starts serving.
         *
         * @throws IOException if the address cannot be bound
         * @throws NullPointerException if a setting is missing
         */
        public HttpApi start() throws IOException {
            Objects.requireNonNull(host, "address");
            Objects.requireNonNull(ledger, "ledger");
            Objects.requireNonNull(log, "log");
            Objects.requireNonNull(checkpoints, "checkpoints");
            Objects.requireNonNull(revocations, "revocations");
            Objects.requireNonNull(health, "health");
            Objects.requireNonNull(metrics, "metrics");
            GuardedServer server = GuardedServer.bind(host, port, limits);
            String bracketed = host.contains(":") ? "[" + host + "]" : host;
            String baseUrl = "http://" + bracketed + ":" + server.port();
            OperatorRoutes operator = new OperatorRoutes(ledger, log, checkpoints, health, waiting, metrics);
            Router router = new Router(
                    limits,
                    metrics,
                    operator,
                    new StaticRoutes(checkpoints),
                    new LedgerRoutes(ledger, namespace, log, checkpoints, baseUrl),
                    new LogRoutes(log, checkpoints),
                    new ClientRoutes(custodian),
                    new RevocationRoutes(revocations, checkpoints),
                    credentials == null
                            ? new CredentialRoutes(null, null)
                            : credentials.routes(baseUrl, revocations, log));
            HttpApi api = new HttpApi(server, baseUrl);
            operator.registerMeters(server);
            server.start(router::handle);
            return api;
        }
    }

    /** @return the routes this API serves, for its documentation and tests */
    static List<String> routes() {
        return Router.routes();
    }
}
