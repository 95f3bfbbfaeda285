package dev.dossier.node.http;

import static dev.dossier.node.http.Response.JSON;
import static dev.dossier.node.http.Response.JSON_TYPE;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.dossier.common.text.StrictUtf8;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The routes the node runs for its API clients through its own Fabric gateway ({@link CustodialGateway}): {@code POST
 * /v1/anchor}, {@code POST /v1/supersede}, {@code POST /v1/revoke} and {@code GET /v1/dossier/{subject}}. Each needs
 * a bearer token ({@code Authorization: Bearer <token>});
 * without a custodian every token is refused (401).
 */
final class ClientRoutes {
    private static final String BEARER = "Bearer ";

    /** The API clients and the gateway connection as them, or null when the node acts for none. */
    private final CustodialGateway custodian;

    ClientRoutes(CustodialGateway custodian) {
        this.custodian = custodian;
    }

    /**
     * {@code POST /v1/anchor}: {@code {"entries":[...]}}, the entries of the contract's {@code anchorBatch}, anchored
     * as the token's user; answers once the transaction is committed.
     */
    Response anchor(HttpExchange exchange) throws IOException, InterruptedException {
        return batch(exchange, "entries", null, "anchorBatch");
    }

    /**
     * {@code POST /v1/supersede}: {@code {"entries":[...]}}, corrections: entries of {@code anchorBatch} that each name
     * the entry they supersede ({@code "supersedes":"<64 hex>"}), written with the mark on the old entry in one
     * transaction as the token's user.
     */
    Response supersede(HttpExchange exchange) throws IOException, InterruptedException {
        return batch(exchange, "entries", "supersedes", "anchorBatch");
    }

    /**
     * {@code POST /v1/revoke}: {@code {"revocations":[{"commitment":"<64 hex>","reason":"<code>"}]}}, the contract's
     * {@code revokeBatch} as the token's user.
     */
    Response revoke(HttpExchange exchange) throws IOException, InterruptedException {
        return batch(exchange, "revocations", null, "revokeBatch");
    }

    /**
     * Reads a body {@code {"<member>":[...]}}, checks its size and, if {@code required} is given, that every element
     * names it, then submits the array to the contract's {@code function} and answers its outcomes, snake-cased, with
     * the transaction id and block.
     */
    private Response batch(HttpExchange exchange, String member, String required, String function)
            throws IOException, InterruptedException {
        Optional<CustodialGateway.Caller> caller = caller(exchange);
        if (caller.isEmpty()) {
            return unauthorized(exchange);
        }
        Optional<byte[]> body = Requests.body(exchange, HttpApi.MAX_ANCHOR_BODY_BYTES);
        if (body.isEmpty()) {
            return Requests.tooLarge(HttpApi.MAX_ANCHOR_BODY_BYTES);
        }
        JsonNode request;
        try {
            request = Requests.STRICT_JSON.readTree(StrictUtf8.decode(body.get()));
        } catch (CharacterCodingException e) {
            return Response.error(400, "BAD_REQUEST", "the body is not UTF-8");
        } catch (JsonProcessingException e) {
            return Response.error(400, "BAD_REQUEST", "the body is not JSON: " + e.getOriginalMessage());
        }
        if (request == null
                || !request.isObject()
                || request.size() != 1
                || !request.path(member).isArray()) {
            return Response.error(
                    400, "BAD_REQUEST", "the body must be a JSON object {\"" + member + "\": [...]} and nothing else");
        }
        JsonNode elements = request.get(member);
        if (elements.isEmpty()) {
            return Response.error(400, "BAD_REQUEST", member + " is empty: nothing to do");
        }
        if (elements.size() > HttpApi.MAX_ANCHOR_ENTRIES) {
            return Response.error(
                    400,
                    "BAD_REQUEST",
                    "at most " + HttpApi.MAX_ANCHOR_ENTRIES + " " + member + " per request, got " + elements.size());
        }
        for (int i = 0; required != null && i < elements.size(); i++) {
            if (!elements.get(i).path(required).isTextual()) {
                return Response.error(400, "BAD_REQUEST", member + " " + i + " names no '" + required + "' commitment");
            }
        }
        CustodialGateway.Committed committed;
        try {
            committed = custodian.submit(caller.get(), function, JSON.writeValueAsString(elements));
        } catch (CustodialGateway.CustodialException e) {
            return refused(e);
        }
        JsonNode result = JSON.readTree(committed.result());
        ObjectNode out = JSON.createObjectNode().put("tx_id", committed.txId()).put("block", committed.block());
        result.fields().forEachRemaining(f -> {
            if (!f.getKey().equals("results")) {
                out.set(snake(f.getKey()), f.getValue());
            }
        });
        out.set("results", result.path("results"));
        return Response.json(200, out).withHeader("Cache-Control", "no-store");
    }

    /** @return {@code alreadyAnchored} as {@code already_anchored} */
    private static String snake(String name) {
        return name.replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT);
    }

    /** {@code GET /v1/dossier/{subject}}: the contract's {@code dossier(subject)}, evaluated as the token's user. */
    Response dossier(HttpExchange exchange, String hex) {
        Optional<CustodialGateway.Caller> caller = caller(exchange);
        if (caller.isEmpty()) {
            return unauthorized(exchange);
        }
        if (!Requests.COMMITMENT.matcher(hex).matches()) {
            return Response.error(400, "BAD_REQUEST", "a subject pseudonym is 64 hexadecimal digits");
        }
        try {
            byte[] entries = custodian.dossier(caller.get(), hex.toLowerCase(Locale.ROOT));
            return new Response(200, JSON_TYPE, entries, Map.of("Cache-Control", "no-store"));
        } catch (CustodialGateway.CustodialException e) {
            return refused(e);
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
}
