package dev.dossier.node.http;

import static dev.dossier.node.http.Response.JSON_TYPE;
import static dev.dossier.node.http.Response.TEXT_TYPE;

import dev.dossier.credential.Contexts;
import dev.dossier.node.log.CheckpointPublisher;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The documents the node serves as they are: the verify page ({@code /verify}, its files under {@code /verify/} from the
 * resources {@code web/} of this package, and {@code /} redirecting to it), the JSON-LD contexts bundled with {@code
 * dossier-credential} under {@code /verify/contexts/} (the page checks credentials with them, never fetching a context
 * from anywhere else), the OpenAPI description ({@code /openapi.json}) and the consortium's trust file ({@code
 * /v1/keys}).
 */
final class StaticRoutes {
    /** Path of the verify page; receipts' verify links point at it. */
    static final String VERIFY = "/verify";
    /** Where the bundled JSON-LD contexts are served, by their file names in {@code dossier-credential}. */
    static final String CONTEXTS = VERIFY + "/contexts/";

    private static final String WEB = "web/";
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");
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

    /** The verify page's service worker, which keeps the page and the trust file for offline use. */
    private static final String SERVICE_WORKER = "sw.js";

    private final CheckpointPublisher checkpoints;

    StaticRoutes(CheckpointPublisher checkpoints) {
        this.checkpoints = checkpoints;
    }

    /** {@code GET /}: a redirect to the verify page. */
    static Response home() {
        return new Response(302, TEXT_TYPE, new byte[0], Map.of("Location", VERIFY));
    }

    /** {@code GET /verify/{file}}: a file of the verify page, {@code index.html} for {@code /verify} itself. */
    static Response file(String name) throws IOException {
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

    /** {@code GET /verify/contexts/{file}}: a JSON-LD context bundled with {@code dossier-credential}. */
    static Response context(String name) throws IOException {
        byte[] content = null;
        if (FILE_NAME.matcher(name).matches()) {
            try (InputStream in = Contexts.class.getResourceAsStream("contexts/" + name)) {
                content = in == null ? null : in.readAllBytes();
            }
        }
        if (content == null) {
            return Response.error(404, "NOT_FOUND", "no such bundled context: " + CONTEXTS + name);
        }
        return new Response(200, JSON_TYPE, content, Map.of("Cache-Control", "no-cache"));
    }

    /** {@code GET /openapi.json}: the API's OpenAPI 3.1 description, a resource of this package. */
    static Response openApi() throws IOException {
        byte[] document = resource("openapi.json");
        if (document == null) {
            throw new IOException("the OpenAPI document is missing from the node's resources");
        }
        return new Response(200, JSON_TYPE, document, Map.of());
    }

    /** {@code GET /v1/keys}: the consortium's trust file. */
    Response keys() {
        return Response.text(200, checkpoints.trust().format());
    }

    /** @return a resource of this package, or null if there is none */
    private static byte[] resource(String name) throws IOException {
        try (InputStream in = StaticRoutes.class.getResourceAsStream(name)) {
            return in == null ? null : in.readAllBytes();
        }
    }
}
