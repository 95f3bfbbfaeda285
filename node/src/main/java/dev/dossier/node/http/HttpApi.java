package dev.dossier.node.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.dossier.common.note.NoteException;
import dev.dossier.common.note.SignedNote;
import dev.dossier.common.receipt.Receipt;
import dev.dossier.node.ledger.Ledger;
import dev.dossier.node.ledger.VersionedValue;
import dev.dossier.node.log.CheckpointPublisher;
import dev.dossier.node.log.CommitmentLog;
import dev.dossier.node.log.CosignException;
import dev.dossier.node.log.PublicEntry;
import dev.dossier.node.metrics.NodeMetrics;
import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

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
    private static final Logger LOG = Logger.getLogger(HttpApi.class.getName());

    /** Longest request body accepted, except by {@code POST /v1/anchor}. */
    public static final int MAX_BODY_BYTES = 64 << 10;

    /** Longest request body {@code POST /v1/anchor} accepts. */
    public static final int MAX_ANCHOR_BODY_BYTES = 4 << 20;

    /** Most entries one {@code POST /v1/anchor} takes (the contract's batch limit). */
    public static final int MAX_ANCHOR_ENTRIES = 5000;

    /** Longest query string {@code GET /v1/log/consistency} reads: two sizes of at most 19 digits. */
    static final int MAX_CONSISTENCY_QUERY = 64;

    private static final Pattern COMMITMENT = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");
    private static final String RECEIPTS = "/v1/receipts/";
    private static final String STATUS = "/v1/status/";
    private static final String ANCHOR = "/v1/anchor";
    private static final String DOSSIER = "/v1/dossier/";
    private static final String CONSISTENCY = "/v1/log/consistency";
    private static final Pattern SIZE = Pattern.compile("0|[1-9][0-9]{0,18}");
    private static final String BEARER = "Bearer ";
    private static final String VERIFY = "/verify";
    private static final String WEB = "web/";
    private static final String JSON_TYPE = "application/json";
    private static final String TEXT_TYPE = "text/plain; charset=utf-8";
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "mjs", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "json", JSON_TYPE,
            "svg", "image/svg+xml",
            "png", "image/png",
            "webmanifest", "application/manifest+json",
            "txt", TEXT_TYPE);
    private static final HexFormat HEX = HexFormat.of();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Request bodies: one JSON value, no repeated member names. */
    private static final ObjectReader STRICT_JSON = JSON.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

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
    static final Set<String> EXPENSIVE_ROUTES =
            Set.of("/v1/checkpoint/cosign", "/v1/anchor", "/v1/dossier/{subject}", "/v1/log/consistency");

    /** Most client addresses tracked per expensive route; further ones share one entry. */
    private static final int MAX_LIMITED_CLIENTS = 10_000;

    private final GuardedServer server;
    private final Map<String, ClientLimiter> limiters;
    private final String baseUrl;
    private final Ledger ledger;
    private final String namespace;
    private final CommitmentLog log;
    private final CheckpointPublisher checkpoints;
    private final BooleanSupplier health;
    private final NodeMetrics metrics;
    private final CustodialGateway custodian;

    private HttpApi(Builder builder, GuardedServer server, Map<String, ClientLimiter> limiters) {
        this.server = server;
        this.limiters = limiters;
        this.ledger = builder.ledger;
        this.namespace = builder.namespace;
        this.log = builder.log;
        this.checkpoints = builder.checkpoints;
        this.health = builder.health;
        this.metrics = builder.metrics;
        this.custodian = builder.custodian;
        String host = builder.host.contains(":") ? "[" + builder.host + "]" : builder.host;
        this.baseUrl = "http://" + host + ":" + server.port();
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
        private BooleanSupplier health;
        private NodeMetrics metrics;
        private CustodialGateway custodian;
        private HttpLimits limits = HttpLimits.defaults();

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

        /** Whether the node can commit blocks: {@code /healthz} answers 503 when not. */
        public Builder health(BooleanSupplier health) {
            this.health = Objects.requireNonNull(health, "health");
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
            Objects.requireNonNull(health, "health");
            Objects.requireNonNull(metrics, "metrics");
            Map<String, ClientLimiter> limiters = new LinkedHashMap<>();
            for (String route : EXPENSIVE_ROUTES) {
                limiters.put(
                        route,
                        new ClientLimiter(
                                limits.expensivePerSecond(),
                                limits.expensiveBurst(),
                                limits.expensiveConcurrent(),
                                MAX_LIMITED_CLIENTS,
                                System::nanoTime));
            }
            GuardedServer server = GuardedServer.bind(host, port, limits);
            HttpApi api = new HttpApi(this, server, Map.copyOf(limiters));
            api.registerMeters();
            server.start(api::handle);
            return api;
        }
    }

    /** An answer: status, content type, body and extra headers. */
    private record Response(int status, String contentType, byte[] body, Map<String, String> headers) {
        static Response json(int status, JsonNode body) {
            try {
                return new Response(status, JSON_TYPE, JSON.writeValueAsBytes(body), Map.of());
            } catch (JsonProcessingException e) {
                throw new AssertionError("a JSON tree always serialises", e);
            }
        }

        static Response text(int status, String body) {
            return new Response(status, TEXT_TYPE, body.getBytes(StandardCharsets.UTF_8), Map.of());
        }

        static Response error(int status, String code, String message) {
            ObjectNode body = JSON.createObjectNode().put("error", message).put("code", code);
            return json(status, body);
        }

        Response withHeader(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(name, value);
            return new Response(status, contentType, body, more);
        }
    }

    /** A request routed: the route's label (for metrics) and how to answer it. */
    private record Route(String label, String method, Handler handler) {}

    @FunctionalInterface
    private interface Handler {
        Response handle(HttpExchange exchange) throws IOException, InterruptedException;
    }

    private Route route(String path) {
        switch (path) {
            case "/healthz":
                return new Route(path, "GET", exchange -> health());
            case "/metrics":
                return new Route(path, "GET", exchange -> metrics());
            case "/openapi.json":
                return new Route(path, "GET", exchange -> openApi());
            case "/v1/keys":
                return new Route(
                        path,
                        "GET",
                        exchange -> Response.text(200, checkpoints.trust().format()));
            case "/v1/checkpoint":
                return new Route(path, "GET", exchange -> checkpoint());
            case "/v1/checkpoint/cosign":
                return new Route(path, "POST", this::cosign);
            case CONSISTENCY:
                return new Route(path, "GET", this::consistency);
            case ANCHOR:
                return new Route(path, "POST", this::anchor);
            case "/":
                return new Route(
                        path, "GET", exchange -> new Response(302, TEXT_TYPE, new byte[0], Map.of("Location", VERIFY)));
            case VERIFY:
            case VERIFY + "/":
                return new Route(VERIFY, "GET", exchange -> staticFile("index.html"));
            default:
                break;
        }
        if (path.startsWith(RECEIPTS)) {
            String hex = path.substring(RECEIPTS.length());
            return new Route(RECEIPTS + "{commitment}", "GET", exchange -> receipt(hex));
        }
        if (path.startsWith(STATUS)) {
            String hex = path.substring(STATUS.length());
            return new Route(STATUS + "{commitment}", "GET", exchange -> status(hex));
        }
        if (path.startsWith(DOSSIER)) {
            String hex = path.substring(DOSSIER.length());
            return new Route(DOSSIER + "{subject}", "GET", exchange -> dossier(exchange, hex));
        }
        if (path.startsWith(VERIFY + "/")) {
            String name = path.substring(VERIFY.length() + 1);
            return new Route(VERIFY + "/{file}", "GET", exchange -> staticFile(name));
        }
        return new Route("other", null, exchange -> Response.error(404, "NOT_FOUND", "no such resource: " + path));
    }

    private void handle(HttpExchange exchange) {
        String label = "other";
        Response response;
        try {
            Route route = route(exchange.getRequestURI().getRawPath());
            label = route.label();
            if (route.method() != null && !route.method().equals(exchange.getRequestMethod())) {
                response = Response.error(
                                405,
                                "METHOD_NOT_ALLOWED",
                                exchange.getRequestMethod() + " is not allowed here; use " + route.method())
                        .withHeader("Allow", route.method());
            } else {
                response = limited(route, exchange);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            response = Response.error(503, "UNAVAILABLE", "the node is stopping");
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "HTTP " + exchange.getRequestURI() + " failed: " + e.getMessage(), e);
            response = Response.error(500, "INTERNAL", "internal error of the node");
        }
        Counter.builder("dossier.http.requests")
                .description("HTTP requests answered, by route (a fixed set) and status.")
                .tags("route", label, "status", Integer.toString(response.status()))
                .register(metrics.registry())
                .increment();
        try {
            send(exchange, response);
        } catch (IOException e) {
            LOG.fine(() -> "HTTP response not sent: " + e.getMessage());
        } finally {
            exchange.close();
        }
    }

    /** Runs a route's handler, under its per-client limit if it is an expensive route. */
    private Response limited(Route route, HttpExchange exchange) throws IOException, InterruptedException {
        ClientLimiter limiter = limiters.get(route.label());
        if (limiter == null) {
            return route.handler().handle(exchange);
        }
        InetSocketAddress remote = exchange.getRemoteAddress();
        ClientLimiter.Decision decision = limiter.acquire(remote == null ? null : remote.getAddress());
        if (decision.permit().isEmpty()) {
            String why = decision.refusal() == ClientLimiter.Refusal.RATE
                    ? "too many requests from this address to " + route.label() + "; slow down"
                    : "too many requests from this address under way at " + route.label();
            return Response.error(429, "TOO_MANY_REQUESTS", why)
                    .withHeader("Retry-After", "1")
                    .withHeader("Connection", "close");
        }
        try (ClientLimiter.Permit permit = decision.permit().get()) {
            return route.handler().handle(exchange);
        }
    }

    private static void send(HttpExchange exchange, Response response) throws IOException {
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", response.contentType());
        SECURITY_HEADERS.forEach(headers::set);
        response.headers().forEach(headers::set);
        byte[] body = response.body();
        exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private Response health() {
        boolean healthy = health.getAsBoolean();
        ObjectNode body = JSON.createObjectNode()
                .put("status", healthy ? "ok" : "unavailable")
                .put("height", ledger.height())
                .put("log_size", log.size());
        Optional<CheckpointPublisher.Cosigned> latest = checkpoints.latest();
        if (latest.isPresent()) {
            body.put("checkpoint_size", latest.get().checkpoint().size());
        } else {
            body.putNull("checkpoint_size");
        }
        return Response.json(healthy ? 200 : 503, body);
    }

    private Response metrics() {
        return new Response(
                200,
                "text/plain; version=0.0.4; charset=utf-8",
                metrics.scrape().getBytes(StandardCharsets.UTF_8),
                Map.of());
    }

    /** The API's meters: the node's health, ledger height, log and checkpoint, HTTP connections (see {@code docs/metrics.md}). */
    private void registerMeters() {
        metrics.gauge(
                "dossier.healthy",
                "1 while the node can commit blocks (as /healthz), else 0.",
                () -> health.getAsBoolean() ? 1 : 0);
        metrics.gauge("dossier.ledger.height", "Committed blocks.", ledger::height);
        metrics.gauge("dossier.log.size", "Leaves of the commitment log.", log::size);
        metrics.gauge(
                "dossier.checkpoint.size",
                "Leaves covered by the latest cosigned checkpoint (-1: none yet).",
                () -> checkpoints.latest().map(c -> c.checkpoint().size()).orElse(-1L));
        metrics.gauge(
                "dossier.checkpoint.timestamp.seconds",
                "Time of the latest cosigned checkpoint, Unix seconds (0: none yet).",
                () -> checkpoints.latest().map(c -> c.checkpoint().time()).orElse(0L));
        metrics.gauge(
                "dossier.checkpoint.cosigners",
                "Nodes whose signatures on the latest cosigned checkpoint verify.",
                () -> checkpoints.latest().map(c -> c.signers().size()).orElse(0));
        metrics.gauge("dossier.http.connections.open", "Open HTTP connections.", server::openConnections);
        metrics.gauge(
                "dossier.http.connections.timed_out",
                "HTTP connections closed since start because a request's headers had not arrived in time.",
                server::timedOut);
        metrics.gauge(
                "dossier.http.connections.refused",
                "HTTP connections closed since start because their address had too many open.",
                server::refused);
    }

    private static Response openApi() throws IOException {
        byte[] document = resource("openapi.json");
        if (document == null) {
            throw new IOException("the OpenAPI document is missing from the node's resources");
        }
        return new Response(200, JSON_TYPE, document, Map.of());
    }

    private Response checkpoint() {
        return checkpoints
                .latest()
                .map(c -> Response.text(200, c.note().format()))
                .orElseGet(() -> Response.error(503, "UNAVAILABLE", "no cosigned checkpoint yet")
                        .withHeader("Retry-After", "2"));
    }

    private Response cosign(HttpExchange exchange) throws IOException, InterruptedException {
        Optional<byte[]> body = body(exchange, MAX_BODY_BYTES);
        if (body.isEmpty()) {
            return tooLarge(MAX_BODY_BYTES);
        }
        SignedNote note;
        try {
            note = SignedNote.parse(utf8(body.get()));
        } catch (NoteException | CharacterCodingException e) {
            return Response.error(400, "BAD_REQUEST", "not a signed note: " + e.getMessage());
        }
        try {
            return Response.text(200, checkpoints.cosign(note).format());
        } catch (CosignException e) {
            switch (e.reason()) {
                case MALFORMED:
                    return Response.error(400, "BAD_REQUEST", e.getMessage());
                case CONFLICT:
                    return Response.error(409, "CONFLICT", e.getMessage());
                default:
                    return Response.error(503, "UNAVAILABLE", e.getMessage()).withHeader("Retry-After", "1");
            }
        }
    }

    private static Response tooLarge(int limit) {
        return Response.error(413, "PAYLOAD_TOO_LARGE", "request body beyond " + limit + " bytes");
    }

    /** @return the request body, or empty if it is longer than {@code limit} bytes */
    private static Optional<byte[]> body(HttpExchange exchange, int limit) throws IOException {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.strip()) > limit) {
                    return Optional.empty();
                }
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(limit + 1);
            return body.length > limit ? Optional.empty() : Optional.of(body);
        }
    }

    /** The API client a request's bearer token stands for, if any. */
    private Optional<CustodialGateway.Caller> caller(HttpExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (custodian == null
                || authorization == null
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        return custodian.authenticate(authorization.substring(BEARER.length()).strip());
    }

    private static Response unauthorized(HttpExchange exchange) {
        String message = exchange.getRequestHeaders().containsKey("Authorization")
                ? "unknown API token"
                : "an API token is required: Authorization: Bearer <token>";
        return Response.error(401, "UNAUTHORIZED", message).withHeader("WWW-Authenticate", "Bearer realm=\"dossier\"");
    }

    private static Response refused(CustodialGateway.CustodialException e) {
        Response response = switch (e.kind()) {
            case INVALID -> Response.error(400, "BAD_REQUEST", e.getMessage());
            case DENIED -> Response.error(403, "FORBIDDEN", e.getMessage());
            case UNAVAILABLE ->
                Response.error(503, "UNAVAILABLE", e.getMessage()).withHeader("Retry-After", "2");
            case FAILED -> Response.error(500, "INTERNAL", e.getMessage());
        };
        if (e.txId() == null) {
            return response;
        }
        try {
            ObjectNode body = (ObjectNode) JSON.readTree(response.body());
            body.put("tx_id", e.txId());
            return new Response(response.status(), JSON_TYPE, JSON.writeValueAsBytes(body), response.headers());
        } catch (IOException impossible) {
            throw new AssertionError("an error body is JSON", impossible);
        }
    }

    /**
     * {@code POST /v1/anchor}: {@code {"entries":[...]}}, the entries of the contract's {@code anchorBatch}, anchored
     * as the token's user; answers once the transaction is committed.
     */
    private Response anchor(HttpExchange exchange) throws IOException, InterruptedException {
        Optional<CustodialGateway.Caller> caller = caller(exchange);
        if (caller.isEmpty()) {
            return unauthorized(exchange);
        }
        Optional<byte[]> body = body(exchange, MAX_ANCHOR_BODY_BYTES);
        if (body.isEmpty()) {
            return tooLarge(MAX_ANCHOR_BODY_BYTES);
        }
        JsonNode request;
        try {
            request = STRICT_JSON.readTree(utf8(body.get()));
        } catch (CharacterCodingException e) {
            return Response.error(400, "BAD_REQUEST", "the body is not UTF-8");
        } catch (JsonProcessingException e) {
            return Response.error(400, "BAD_REQUEST", "the body is not JSON: " + e.getOriginalMessage());
        }
        if (request == null
                || !request.isObject()
                || request.size() != 1
                || !request.path("entries").isArray()) {
            return Response.error(
                    400, "BAD_REQUEST", "the body must be a JSON object {\"entries\": [...]} and nothing else");
        }
        JsonNode entries = request.get("entries");
        if (entries.isEmpty()) {
            return Response.error(400, "BAD_REQUEST", "entries is empty: nothing to anchor");
        }
        if (entries.size() > MAX_ANCHOR_ENTRIES) {
            return Response.error(
                    400,
                    "BAD_REQUEST",
                    "at most " + MAX_ANCHOR_ENTRIES + " entries per request, got " + entries.size());
        }
        CustodialGateway.Anchored anchored;
        try {
            anchored = custodian.anchorBatch(caller.get(), JSON.writeValueAsString(entries));
        } catch (CustodialGateway.CustodialException e) {
            return refused(e);
        }
        JsonNode result = JSON.readTree(anchored.result());
        ObjectNode out = JSON.createObjectNode()
                .put("tx_id", anchored.txId())
                .put("block", anchored.block())
                .put("anchored", result.path("anchored").asLong())
                .put("already_anchored", result.path("alreadyAnchored").asLong());
        out.set("results", result.path("results"));
        return Response.json(200, out).withHeader("Cache-Control", "no-store");
    }

    /** {@code GET /v1/dossier/{subject}}: the contract's {@code dossier(subject)}, evaluated as the token's user. */
    private Response dossier(HttpExchange exchange, String hex) {
        Optional<CustodialGateway.Caller> caller = caller(exchange);
        if (caller.isEmpty()) {
            return unauthorized(exchange);
        }
        if (!COMMITMENT.matcher(hex).matches()) {
            return Response.error(400, "BAD_REQUEST", "a subject pseudonym is 64 hexadecimal digits");
        }
        try {
            byte[] entries = custodian.dossier(caller.get(), hex.toLowerCase(Locale.ROOT));
            return new Response(200, JSON_TYPE, entries, Map.of("Cache-Control", "no-store"));
        } catch (CustodialGateway.CustodialException e) {
            return refused(e);
        }
    }

    private Response receipt(String hex) throws IOException {
        if (!COMMITMENT.matcher(hex).matches()) {
            return badCommitment();
        }
        byte[] commitment = HEX.parseHex(hex);
        OptionalLong index = log.indexOf(commitment);
        if (index.isEmpty()) {
            return Response.error(404, "NOT_FOUND", "commitment " + hex.toLowerCase(Locale.ROOT) + " is not anchored");
        }
        Optional<CheckpointPublisher.Cosigned> latest = checkpoints.latest();
        long treeSize = latest.map(c -> c.checkpoint().size()).orElse(0L);
        if (latest.isEmpty() || index.getAsLong() >= treeSize || treeSize > log.size()) {
            return Response.error(
                            503,
                            "UNAVAILABLE",
                            "commitment is anchored but not yet covered by a cosigned checkpoint; retry shortly")
                    .withHeader("Retry-After", "2");
        }
        CheckpointPublisher.Cosigned cosigned = latest.get();
        byte[] leaf = log.leafData(index.getAsLong());
        byte[] entry = Arrays.copyOfRange(leaf, commitment.length, leaf.length);
        String compact = Receipt.of(
                        commitment,
                        index.getAsLong(),
                        treeSize,
                        log.inclusionProof(index.getAsLong(), treeSize),
                        entry,
                        cosigned.note().format())
                .encode();
        ObjectNode body = JSON.createObjectNode()
                .put("commitment", HEX.formatHex(commitment))
                .put("leaf_index", index.getAsLong())
                .put("tree_size", treeSize)
                .put("checkpoint_time", cosigned.checkpoint().instant().toString());
        body.set("entry", entryJson(entry));
        body.put("receipt", compact).put("verify_url", baseUrl + VERIFY + "#r=" + compact);
        return Response.json(200, body);
    }

    private static JsonNode entryJson(byte[] entry) {
        try {
            return JSON.readTree(entry);
        } catch (IOException e) {
            // not JSON (another contract's values): the text as it is; the receipt holds the exact bytes
            return JSON.getNodeFactory().textNode(new String(entry, StandardCharsets.UTF_8));
        }
    }

    private Response status(String hex) {
        if (!COMMITMENT.matcher(hex).matches()) {
            return badCommitment();
        }
        String key = hex.toLowerCase(Locale.ROOT);
        Optional<VersionedValue> value = ledger.get(namespace, key);
        if (value.isEmpty()) {
            return Response.error(404, "NOT_FOUND", "commitment " + key + " is not anchored");
        }
        return new Response(200, JSON_TYPE, PublicEntry.of(value.get().value()), Map.of("Cache-Control", "no-store"));
    }

    /**
     * {@code GET /v1/log/consistency?from=N&to=M}: the RFC 9162 (section 2.1.4) consistency proof from the tree of
     * {@code N} leaves to the tree of {@code M} leaves, {@code 1 <= N <= M <=} the log's size, as {@code {"from": N,
     * "to": M, "proof": ["<base64 hash>", ...]}} (at most 2 x 63 hashes; empty when N = M).
     */
    private Response consistency(HttpExchange exchange) {
        String query = exchange.getRequestURI().getRawQuery();
        if (query == null || query.length() > MAX_CONSISTENCY_QUERY) {
            return Response.error(400, "BAD_REQUEST", "give the two tree sizes: ?from=N&to=M");
        }
        String from = null;
        String to = null;
        for (String parameter : query.split("&", -1)) {
            int equals = parameter.indexOf('=');
            String name = equals < 0 ? parameter : parameter.substring(0, equals);
            String value = equals < 0 ? "" : parameter.substring(equals + 1);
            if (name.equals("from") && from == null) {
                from = value;
            } else if (name.equals("to") && to == null) {
                to = value;
            } else {
                return Response.error(
                        400, "BAD_REQUEST", "unexpected or repeated query parameter '" + name + "': use ?from=N&to=M");
            }
        }
        if (from == null
                || to == null
                || !SIZE.matcher(from).matches()
                || !SIZE.matcher(to).matches()) {
            return Response.error(400, "BAD_REQUEST", "from and to are tree sizes in canonical decimal: ?from=N&to=M");
        }
        long size1;
        long size2;
        try {
            size1 = Long.parseLong(from);
            size2 = Long.parseLong(to);
        } catch (NumberFormatException e) {
            return Response.error(400, "BAD_REQUEST", "a tree size is at most " + Long.MAX_VALUE);
        }
        long size = log.size();
        if (size1 < 1 || size1 > size2) {
            return Response.error(
                    400, "BAD_REQUEST", "a consistency proof goes from a size of at least 1 to a size not smaller");
        }
        if (size2 > size) {
            return Response.error(
                    400,
                    "BAD_REQUEST",
                    "tree size " + size2 + " is beyond this node's log of " + size + " leaves; ask again later"
                            + " or another node");
        }
        ObjectNode body = JSON.createObjectNode().put("from", size1).put("to", size2);
        ArrayNode proof = body.putArray("proof");
        for (byte[] hash : log.consistencyProof(size1, size2)) {
            proof.add(Base64.getEncoder().encodeToString(hash));
        }
        return Response.json(200, body);
    }

    private static Response badCommitment() {
        return Response.error(400, "BAD_REQUEST", "a commitment is 64 hexadecimal digits");
    }

    private static Response staticFile(String name) throws IOException {
        int dot = name.lastIndexOf('.');
        String type = dot < 0 ? null : CONTENT_TYPES.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
        byte[] content = FILE_NAME.matcher(name).matches() && type != null ? resource(WEB + name) : null;
        if (content == null) {
            return Response.error(404, "NOT_FOUND", "no such file: " + VERIFY + "/" + name);
        }
        if (name.equals(SERVICE_WORKER)) {
            // the worker lives under /verify/ but must also answer for /verify itself, where QR links land
            return new Response(
                    200, type, content, Map.of("Cache-Control", "no-cache", "Service-Worker-Allowed", VERIFY));
        }
        return new Response(200, type, content, Map.of("Cache-Control", "no-cache"));
    }

    /** The verify page's service worker, which keeps the page and the trust file for offline use. */
    private static final String SERVICE_WORKER = "sw.js";

    /** @return a resource of this package, or null if there is none */
    private static byte[] resource(String name) throws IOException {
        try (InputStream in = HttpApi.class.getResourceAsStream(name)) {
            return in == null ? null : in.readAllBytes();
        }
    }

    private static String utf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
    }

    /** @return the routes this API serves, for its documentation and tests */
    static List<String> routes() {
        return List.of(
                "/healthz",
                "/metrics",
                "/openapi.json",
                "/v1/keys",
                "/v1/checkpoint",
                "/v1/checkpoint/cosign",
                CONSISTENCY,
                ANCHOR,
                DOSSIER + "{subject}",
                RECEIPTS + "{commitment}",
                STATUS + "{commitment}",
                VERIFY,
                VERIFY + "/{file}");
    }
}
