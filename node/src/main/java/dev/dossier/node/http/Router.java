package dev.dossier.node.http;

import static dev.dossier.node.http.StaticRoutes.VERIFY;

import com.sun.net.httpserver.HttpExchange;
import dev.dossier.node.metrics.NodeMetrics;
import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Answers every request of the HTTP API: finds its route (a fixed set of labels, used in the metrics), checks the
 * method, runs the expensive routes ({@link HttpApi#EXPENSIVE_ROUTES}) under their per-client limits (429 before the
 * body is read), turns failures into JSON errors, counts the answer and sends it with the {@link
 * HttpApi#SECURITY_HEADERS}.
 */
final class Router {
    /** The API's own logger name, so that logging configuration does not depend on how the API is divided. */
    private static final Logger LOG = Logger.getLogger(HttpApi.class.getName());

    /** Most client addresses tracked per expensive route; further ones share one entry. */
    private static final int MAX_LIMITED_CLIENTS = 10_000;

    private static final String RECEIPTS = "/v1/receipts/";
    private static final String STATUS = "/v1/status/";
    private static final String ANCHOR = "/v1/anchor";
    private static final String SUPERSEDE = "/v1/supersede";
    private static final String REVOKE = "/v1/revoke";
    private static final String DOSSIER = "/v1/dossier/";
    private static final String CONSISTENCY = "/v1/log/consistency";
    private static final String REVOCATIONS = "/v1/revocations";
    private static final String STATUS_LISTS = "/v1/status-lists/";
    private static final String CREDENTIAL_STATUS = "/v1/credential-status/";
    private static final String NODE_DID = "/.well-known/did.json";
    private static final Pattern ORGANISATION_DID = Pattern.compile("/([A-Za-z0-9._\\-]{1,64})/did\\.json");

    private final Map<String, ClientLimiter> limiters;
    private final NodeMetrics metrics;
    private final OperatorRoutes operator;
    private final StaticRoutes statics;
    private final LedgerRoutes ledger;
    private final LogRoutes log;
    private final ClientRoutes clients;
    private final RevocationRoutes revocations;
    private final CredentialRoutes credentials;

    Router(
            HttpLimits limits,
            NodeMetrics metrics,
            OperatorRoutes operator,
            StaticRoutes statics,
            LedgerRoutes ledger,
            LogRoutes log,
            ClientRoutes clients,
            RevocationRoutes revocations,
            CredentialRoutes credentials) {
        Map<String, ClientLimiter> limiters = new LinkedHashMap<>();
        for (String route : HttpApi.EXPENSIVE_ROUTES) {
            limiters.put(
                    route,
                    new ClientLimiter(
                            limits.expensivePerSecond(),
                            limits.expensiveBurst(),
                            limits.expensiveConcurrent(),
                            MAX_LIMITED_CLIENTS,
                            System::nanoTime));
        }
        this.limiters = Map.copyOf(limiters);
        this.metrics = metrics;
        this.operator = operator;
        this.statics = statics;
        this.ledger = ledger;
        this.log = log;
        this.clients = clients;
        this.revocations = revocations;
        this.credentials = credentials;
    }

    /** @return the routes served, by label (as in the metrics and the OpenAPI description) */
    static List<String> routes() {
        return List.of(
                "/healthz",
                "/metrics",
                "/openapi.json",
                "/v1/keys",
                "/v1/checkpoint",
                "/v1/checkpoint/cosign",
                CONSISTENCY,
                REVOCATIONS,
                STATUS_LISTS + "{list}",
                CREDENTIAL_STATUS + "{commitment}",
                NODE_DID,
                "/{organisation}/did.json",
                ANCHOR,
                SUPERSEDE,
                REVOKE,
                DOSSIER + "{subject}",
                RECEIPTS + "{commitment}",
                STATUS + "{commitment}",
                VERIFY,
                StaticRoutes.CONTEXTS + "{file}",
                VERIFY + "/{file}");
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
                return new Route(path, "GET", exchange -> operator.health());
            case "/metrics":
                return new Route(path, "GET", exchange -> operator.metrics());
            case "/openapi.json":
                return new Route(path, "GET", exchange -> StaticRoutes.openApi());
            case "/v1/keys":
                return new Route(path, "GET", exchange -> statics.keys());
            case "/v1/checkpoint":
                return new Route(path, "GET", exchange -> log.checkpoint());
            case "/v1/checkpoint/cosign":
                return new Route(path, "POST", log::cosign);
            case CONSISTENCY:
                return new Route(path, "GET", log::consistency);
            case REVOCATIONS:
                return new Route(path, "GET", revocations::revocations);
            case NODE_DID:
                return new Route(path, "GET", exchange -> credentials.nodeDocument());
            case ANCHOR:
                return new Route(path, "POST", clients::anchor);
            case SUPERSEDE:
                return new Route(path, "POST", clients::supersede);
            case REVOKE:
                return new Route(path, "POST", clients::revoke);
            case "/":
                return new Route(path, "GET", exchange -> StaticRoutes.home());
            case VERIFY:
            case VERIFY + "/":
                return new Route(VERIFY, "GET", exchange -> StaticRoutes.file("index.html"));
            default:
                break;
        }
        if (path.startsWith(RECEIPTS)) {
            String hex = path.substring(RECEIPTS.length());
            return new Route(RECEIPTS + "{commitment}", "GET", exchange -> ledger.receipt(hex));
        }
        if (path.startsWith(STATUS)) {
            String hex = path.substring(STATUS.length());
            return new Route(STATUS + "{commitment}", "GET", exchange -> ledger.status(hex));
        }
        if (path.startsWith(STATUS_LISTS)) {
            String list = path.substring(STATUS_LISTS.length());
            return new Route(STATUS_LISTS + "{list}", "GET", exchange -> credentials.statusList(list));
        }
        if (path.startsWith(CREDENTIAL_STATUS)) {
            String hex = path.substring(CREDENTIAL_STATUS.length());
            return new Route(CREDENTIAL_STATUS + "{commitment}", "GET", exchange -> credentials.position(hex));
        }
        if (path.startsWith(DOSSIER)) {
            String hex = path.substring(DOSSIER.length());
            return new Route(DOSSIER + "{subject}", "GET", exchange -> clients.dossier(exchange, hex));
        }
        if (path.startsWith(StaticRoutes.CONTEXTS)) {
            String name = path.substring(StaticRoutes.CONTEXTS.length());
            return new Route(StaticRoutes.CONTEXTS + "{file}", "GET", exchange -> StaticRoutes.context(name));
        }
        if (path.startsWith(VERIFY + "/")) {
            String name = path.substring(VERIFY.length() + 1);
            return new Route(VERIFY + "/{file}", "GET", exchange -> StaticRoutes.file(name));
        }
        Matcher organisation = ORGANISATION_DID.matcher(path);
        if (organisation.matches()) {
            String mspId = organisation.group(1);
            return new Route("/{organisation}/did.json", "GET", exchange -> credentials.organisationDocument(mspId));
        }
        return new Route("other", null, exchange -> Response.error(404, "NOT_FOUND", "no such resource: " + path));
    }

    /** Answers one request and closes the exchange; never throws. */
    void handle(HttpExchange exchange) {
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
        HttpApi.SECURITY_HEADERS.forEach(headers::set);
        response.headers().forEach(headers::set);
        byte[] body = response.body();
        exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
