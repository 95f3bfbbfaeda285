package dev.dossier.credential;

import com.apicatalog.jsonld.JsonLdError;
import com.apicatalog.jsonld.JsonLdErrorCode;
import com.apicatalog.jsonld.JsonLdOptions;
import com.apicatalog.jsonld.context.cache.LruCache;
import com.apicatalog.jsonld.document.Document;
import com.apicatalog.jsonld.document.JsonDocument;
import com.apicatalog.jsonld.loader.DocumentLoader;
import com.apicatalog.jsonld.loader.DocumentLoaderOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The JSON-LD contexts Dossier knows, bundled as resources, and the document loader that serves only them: any other
 * URL (a context, a remote {@code @import}) is refused with {@link JsonLdErrorCode#LOADING_DOCUMENT_FAILED} naming
 * it. Nothing is ever fetched from the network, so a credential's meaning cannot change with a web server's answer,
 * and verifying works offline.
 *
 * <p>Bundled: W3C VC 2.0 ({@code https://www.w3.org/ns/credentials/v2}, which defines {@code DataIntegrityProof} and
 * the Bitstring Status List terms too) and the Open Badges 3.0 contexts 3.0.1, 3.0.2 and 3.0.3 (the copies of
 * 1EdTech's validator). Immutable and thread-safe.
 */
public final class Contexts implements DocumentLoader {
    /** The VC Data Model 2.0 context, first of every credential Dossier issues. */
    public static final String VC_V2 = "https://www.w3.org/ns/credentials/v2";
    /** The Open Badges 3.0 context Dossier issues with. */
    public static final String OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";

    private static final Map<String, String> RESOURCES = Map.of(
            VC_V2,
            "credentials-v2.jsonld",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json",
            "ob-v3p0-context-3.0.1.json",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json",
            "ob-v3p0-context-3.0.2.json",
            OB_V3,
            "ob-v3p0-context-3.0.3.json");
    private static final Contexts BUNDLED = new Contexts(load());
    private static final int CACHED = 16;

    private final Map<String, byte[]> documents;
    /**
     * Per thread, the JSON-LD options over this loader with caches of the parsed contexts and of the processed active
     * contexts: titanium's caches are not thread-safe, and without them every signature parses and processes the 14 KB
     * Open Badges context again (five times slower).
     */
    private final ThreadLocal<JsonLdOptions> options;

    private Contexts(Map<String, byte[]> documents) {
        this.documents = Map.copyOf(documents);
        this.options = ThreadLocal.withInitial(() -> {
            JsonLdOptions o = new JsonLdOptions(this);
            o.setDocumentCache(new LruCache<>(CACHED));
            o.setContextCache(new LruCache<>(CACHED * 8));
            o.setUndefinedTermsPolicy(JsonLdOptions.ProcessingPolicy.Fail);
            return o;
        });
    }

    /**
     * @return this thread's JSON-LD options over this loader, with caches; a term the contexts do not define is an
     *     error
     */
    JsonLdOptions options() {
        return options.get();
    }

    /** @return the loader of the bundled contexts */
    public static Contexts bundled() {
        return BUNDLED;
    }

    /**
     * @return a loader serving the bundled contexts and {@code url}'s document too (an issuer's own context, a test's
     *     example context); the bytes are copied
     */
    public Contexts with(String url, byte[] json) {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(json, "json");
        Map<String, byte[]> more = new LinkedHashMap<>(documents);
        more.put(url, json.clone());
        return new Contexts(more);
    }

    /** @return the URLs this loader serves */
    public Set<String> urls() {
        return documents.keySet();
    }

    @Override
    public Document loadDocument(URI url, DocumentLoaderOptions options) throws JsonLdError {
        byte[] json = documents.get(url.toString());
        if (json == null) {
            throw new JsonLdError(
                    JsonLdErrorCode.LOADING_DOCUMENT_FAILED,
                    "context " + url + " is not bundled with Dossier, which never fetches contexts from the network;"
                            + " known contexts: "
                            + String.join(
                                    ", ", documents.keySet().stream().sorted().toList()));
        }
        Document document = JsonDocument.of(new ByteArrayInputStream(json));
        document.setDocumentUrl(url);
        return document;
    }

    private static Map<String, byte[]> load() {
        Map<String, byte[]> documents = new LinkedHashMap<>();
        RESOURCES.forEach((url, resource) -> {
            try (InputStream in = Contexts.class.getResourceAsStream("contexts/" + resource)) {
                if (in == null) {
                    throw new IllegalStateException("bundled context " + resource + " is missing from the jar");
                }
                documents.put(url, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read bundled context " + resource, e);
            }
        });
        return documents;
    }
}
