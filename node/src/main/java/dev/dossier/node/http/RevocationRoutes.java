package dev.dossier.node.http;

import com.sun.net.httpserver.HttpExchange;
import dev.dossier.common.revocation.RevocationList;
import dev.dossier.node.log.CheckpointPublisher;
import dev.dossier.node.revocation.RevocationIndex;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * {@code GET /v1/revocations[?since=N]}: the revocation list (or the delta after version {@code N}) in its wire form
 * ({@link RevocationList}), its header signed with this node's checkpoint key. The full list of the current version
 * is signed once and kept; a delta is read and signed per request.
 */
final class RevocationRoutes {
    static final String TYPE = "application/vnd.dossier.revocations.v1";
    private static final Pattern VERSION = Pattern.compile("0|[1-9][0-9]{0,17}");

    private final RevocationIndex index;
    private final CheckpointPublisher signer;
    private final AtomicReference<Signed> full = new AtomicReference<>();

    private record Signed(long version, long height, byte[] wire) {}

    RevocationRoutes(RevocationIndex index, CheckpointPublisher signer) {
        this.index = index;
        this.signer = signer;
    }

    Response revocations(HttpExchange exchange) {
        String query = exchange.getRequestURI().getRawQuery();
        long since = 0;
        if (query != null) {
            if (!query.startsWith("since=")
                    || !VERSION.matcher(query.substring(6)).matches()) {
                return Response.error(
                        400, "BAD_REQUEST", "the only parameter is ?since=<version>, a version in canonical decimal");
            }
            since = Long.parseLong(query.substring(6));
        }
        if (since == 0) {
            Signed cached = full.get();
            if (cached == null || cached.version != index.version() || cached.height != index.appliedHeight()) {
                cached = sign(index.list(0));
                full.set(cached);
            }
            return answer(cached);
        }
        RevocationList delta;
        try {
            delta = index.list(since);
        } catch (IllegalArgumentException e) {
            return Response.error(409, "CONFLICT", e.getMessage() + ": ask again later, or another node")
                    .withHeader("Retry-After", "2");
        }
        return answer(sign(delta));
    }

    private Signed sign(RevocationList list) {
        return new Signed(list.version(), list.height(), list.wire(signer.signNote(list.headerText())));
    }

    private static Response answer(Signed signed) {
        return new Response(200, TYPE, signed.wire, Map.of("Cache-Control", "no-store"));
    }
}
