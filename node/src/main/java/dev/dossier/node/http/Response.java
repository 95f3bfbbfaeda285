package dev.dossier.node.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An answer of the HTTP API: status, content type, body and extra headers (the {@link HttpApi#SECURITY_HEADERS} are
 * added when it is sent). Errors are JSON {@code {"error": "<message>", "code": "<CODE>"}}.
 */
record Response(int status, String contentType, byte[] body, Map<String, String> headers) {
    static final String JSON_TYPE = "application/json";
    static final String TEXT_TYPE = "text/plain; charset=utf-8";

    /** Writes the JSON answers and reads the ledger's JSON values. */
    static final ObjectMapper JSON = new ObjectMapper();

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
