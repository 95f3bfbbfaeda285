package dev.dossier.node.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reading requests of the HTTP API: bodies under a limit, strict UTF-8 and JSON, hexadecimal path parameters. */
final class Requests {
    /** A commitment or subject pseudonym in a path: exactly 64 hexadecimal digits. */
    static final Pattern COMMITMENT = Pattern.compile("[0-9a-fA-F]{64}");

    /** A commitment, or its first 32 to 63 hex digits (at least 16 bytes: a worker's card's module binding). */
    static final Pattern COMMITMENT_OR_PREFIX = Pattern.compile("[0-9a-fA-F]{32,64}");

    /** Request bodies: one JSON value, no repeated member names. */
    static final ObjectReader STRICT_JSON = Response.JSON
            .reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private Requests() {}

    /**
     * A refused body up to this size is read and dropped before the answer, so that a client still sending it gets
     * the 413 rather than a connection reset; a larger one is refused at once from its declared length.
     */
    private static final long DRAINED_AT_MOST = 1 << 20;

    /** @return the request body, or empty if it is longer than {@code limit} bytes */
    static Optional<byte[]> body(HttpExchange exchange, int limit) throws IOException {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.strip());
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
            if (declared > limit) {
                if (declared <= DRAINED_AT_MOST) {
                    try (InputStream in = exchange.getRequestBody()) {
                        in.skipNBytes(declared);
                    } catch (IOException e) {
                        // the client stopped sending: the refusal stands
                    }
                }
                return Optional.empty();
            }
        }
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(limit + 1);
            return body.length > limit ? Optional.empty() : Optional.of(body);
        }
    }

    /** @return the answer to a body longer than {@code limit} bytes */
    static Response tooLarge(int limit) {
        return Response.error(413, "PAYLOAD_TOO_LARGE", "request body beyond " + limit + " bytes");
    }
}
