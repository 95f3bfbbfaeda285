package dev.dossier.node.http;

import static dev.dossier.node.http.Response.JSON;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.dossier.common.note.NoteException;
import dev.dossier.common.note.SignedNote;
import dev.dossier.common.text.StrictUtf8;
import dev.dossier.node.log.CheckpointPublisher;
import dev.dossier.node.log.CommitmentLog;
import dev.dossier.node.log.CosignException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The commitment log's routes: {@code GET /v1/checkpoint} (the latest cosigned checkpoint), {@code POST
 * /v1/checkpoint/cosign} (this node's signature added to another node's checkpoint that matches its own log) and
 * {@code GET /v1/log/consistency} (RFC 9162 consistency proofs between two sizes of the log).
 */
final class LogRoutes {
    private static final Pattern SIZE = Pattern.compile("0|[1-9][0-9]{0,18}");

    private final CommitmentLog log;
    private final CheckpointPublisher checkpoints;

    LogRoutes(CommitmentLog log, CheckpointPublisher checkpoints) {
        this.log = log;
        this.checkpoints = checkpoints;
    }

    /** {@code GET /v1/checkpoint}: the latest cosigned checkpoint as a signed note. */
    Response checkpoint() {
        return checkpoints
                .latest()
                .map(c -> Response.text(200, c.note().format()))
                .orElseGet(() -> Response.error(503, "UNAVAILABLE", "no cosigned checkpoint yet")
                        .withHeader("Retry-After", "2"));
    }

    /** {@code POST /v1/checkpoint/cosign}: a consortium node's signed checkpoint, answered with this node's cosignature. */
    Response cosign(HttpExchange exchange) throws IOException, InterruptedException {
        Optional<byte[]> body = Requests.body(exchange, HttpApi.MAX_BODY_BYTES);
        if (body.isEmpty()) {
            return Requests.tooLarge(HttpApi.MAX_BODY_BYTES);
        }
        SignedNote note;
        try {
            note = SignedNote.parse(StrictUtf8.decode(body.get()));
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

    /**
     * {@code GET /v1/log/consistency?from=N&to=M}: the RFC 9162 (section 2.1.4) consistency proof from the tree of
     * {@code N} leaves to the tree of {@code M} leaves, {@code 1 <= N <= M <=} the log's size, as {@code {"from": N,
     * "to": M, "proof": ["<base64 hash>", ...]}} (at most 2 x 63 hashes; empty when N = M).
     */
    Response consistency(HttpExchange exchange) {
        String query = exchange.getRequestURI().getRawQuery();
        if (query == null || query.length() > HttpApi.MAX_CONSISTENCY_QUERY) {
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
}
