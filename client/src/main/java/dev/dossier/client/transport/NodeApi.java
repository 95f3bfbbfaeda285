package dev.dossier.client.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dossier.client.LedgerEntry;
import dev.dossier.client.digest.Commitment;
import dev.dossier.common.net.NodeAddress;
import dev.dossier.common.note.NoteException;
import dev.dossier.common.note.TrustFile;
import dev.dossier.common.receipt.Receipt;
import dev.dossier.common.receipt.ReceiptException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A node's HTTP API, for what the Fabric gateway does not carry: receipts (inclusion proofs against cosigned
 * checkpoints), consistency proofs between checkpoints and the consortium's trust file. Thread-safe.
 *
 * <pre>{@code
 * Receipt receipt = new NodeApi(URI.create("http://127.0.0.1:9051")).receipt(commitment, Duration.ofSeconds(30));
 * }</pre>
 */
public final class NodeApi {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final URI base;
    private final HttpClient http;

    /** @param base the node's HTTP base URL, such as {@code http://127.0.0.1:9051} */
    public NodeApi(URI base) {
        this.base = Objects.requireNonNull(base, "base");
        this.http = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();
    }

    /** @return the node's base URL */
    public URI base() {
        return base;
    }

    /**
     * Fetches the receipt of an anchored commitment. A commitment anchored moments ago is covered by the next cosigned
     * checkpoint, usually within seconds: until then the node answers 503 and this method asks again, for up to
     * {@code wait}.
     *
     * @throws IOException if the commitment is not anchored, the node cannot be reached, or no checkpoint covers the
     *     commitment within {@code wait}
     * @throws InterruptedException if interrupted while waiting
     */
    public Receipt receipt(Commitment commitment, Duration wait) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(wait);
        while (true) {
            HttpResponse<String> response = get("/v1/receipts/" + commitment);
            if (response.statusCode() == 200) {
                JsonNode body = MAPPER.readTree(response.body());
                try {
                    return Receipt.decode(body.path("receipt").asText());
                } catch (ReceiptException e) {
                    throw new IOException("the node " + base + " sent a malformed receipt: " + e.getMessage(), e);
                }
            }
            if (response.statusCode() != 503 || Instant.now().isAfter(deadline)) {
                throw new IOException("no receipt for " + commitment + " from " + base + ": " + describe(response));
            }
            long seconds = response.headers().firstValueAsLong("Retry-After").orElse(1L);
            Thread.sleep(Math.max(200, Math.min(seconds, 5) * 1_000));
        }
    }

    /**
     * Fetches the public entry of a commitment ({@code GET /v1/status/{commitment}}): organisation, kind, dates and
     * status, without the anchoring identity.
     *
     * @return the entry, or empty if the commitment was never anchored
     * @throws IOException if the node cannot be reached or answers otherwise
     * @throws InterruptedException if interrupted
     */
    public Optional<LedgerEntry> status(Commitment commitment) throws IOException, InterruptedException {
        return status(commitment.toString());
    }

    /**
     * Fetches the public entry of the one commitment that starts with {@code prefixHex} ({@code GET
     * /v1/status/{prefix}}), as a worker's card binds its modules.
     *
     * @param prefixHex 32 to 64 hex digits
     * @return the entry (its {@link LedgerEntry#commitment()} is the whole commitment), or empty if none starts so
     * @throws IOException if the node cannot be reached, or more than one commitment starts so (the node says it is
     *     ambiguous), or it answers otherwise
     * @throws InterruptedException if interrupted
     */
    public Optional<LedgerEntry> statusByPrefix(String prefixHex) throws IOException, InterruptedException {
        if (!prefixHex.matches("[0-9a-f]{32,64}")) {
            throw new IllegalArgumentException("a commitment prefix is 32 to 64 lowercase hex digits: " + prefixHex);
        }
        return status(prefixHex);
    }

    private Optional<LedgerEntry> status(String hex) throws IOException, InterruptedException {
        HttpResponse<String> response = get("/v1/status/" + hex);
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw new IOException("no status of " + hex + " from " + base + ": " + describe(response));
        }
        return Optional.of(LedgerEntry.parse(response.body()));
    }

    /**
     * Asks where an anchored commitment's status bit is ({@code GET /v1/credential-status/{commitment}}): its leaf
     * index in the commitment log, the status list's URL and the index in it. A commitment committed moments ago
     * reaches the log within a block: until then the node answers 404 and this method asks again, for up to {@code
     * wait}.
     *
     * @return {@code {commitment, leaf_index, status_list, status_list_index}}
     * @throws IOException if the commitment is not in the log within {@code wait}, or the node answers otherwise
     */
    public JsonNode credentialStatus(Commitment commitment, Duration wait) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(wait);
        while (true) {
            HttpResponse<String> response = get("/v1/credential-status/" + commitment);
            if (response.statusCode() == 200) {
                return MAPPER.readTree(response.body());
            }
            if (response.statusCode() != 404 || Instant.now().isAfter(deadline)) {
                throw new IOException(
                        "no status list position of " + commitment + " from " + base + ": " + describe(response));
            }
            Thread.sleep(200);
        }
    }

    /**
     * Fetches a JSON document this node serves, such as a status list ({@code /v1/status-lists/N}) or a controller
     * document ({@code /Org1MSP/did.json}).
     *
     * @param path the path on this node, starting with {@code /}
     * @return the body, or empty on 404
     * @throws IOException if the node cannot be reached or answers otherwise
     */
    public Optional<String> document(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = get(path);
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw new IOException("no " + path + " from " + base + ": " + describe(response));
        }
        return Optional.of(response.body());
    }

    /** Most hashes of a consistency proof in a log of up to 2^63 leaves. */
    private static final int MAX_CONSISTENCY_PROOF = 126;

    /**
     * Fetches the RFC 9162 consistency proof from the tree of {@code from} leaves to the tree of {@code to} leaves
     * ({@code GET /v1/log/consistency}). The proof needs no trust in the node: it verifies against two signed roots or
     * it does not ({@link dev.dossier.common.witness.Witness}).
     *
     * @return the proof's 32-byte hashes
     * @throws IOException if the node cannot be reached, refuses (its log may be behind) or answers malformed
     * @throws InterruptedException if interrupted
     */
    public List<byte[]> consistencyProof(long from, long to) throws IOException, InterruptedException {
        HttpResponse<String> response = get("/v1/log/consistency?from=" + from + "&to=" + to);
        if (response.statusCode() != 200) {
            throw new IOException(
                    "no consistency proof from " + from + " to " + to + " from " + base + ": " + describe(response));
        }
        JsonNode proof = MAPPER.readTree(response.body()).path("proof");
        if (!proof.isArray() || proof.size() > MAX_CONSISTENCY_PROOF) {
            throw new IOException("the node " + base + " sent a malformed consistency proof");
        }
        List<byte[]> hashes = new ArrayList<>();
        for (JsonNode hash : proof) {
            try {
                hashes.add(Base64.getDecoder().decode(hash.asText()));
            } catch (IllegalArgumentException e) {
                throw new IOException("the node " + base + " sent a consistency proof hash that is not base64", e);
            }
        }
        return hashes;
    }

    /**
     * Fetches the consortium's trust file from the node. Only use it to pin keys over a channel you trust: whoever
     * answers decides which checkpoints the file accepts.
     *
     * @throws IOException if the node cannot be reached or the file is malformed
     * @throws InterruptedException if interrupted
     */
    public TrustFile trust() throws IOException, InterruptedException {
        HttpResponse<String> response = get("/v1/keys");
        if (response.statusCode() != 200) {
            throw new IOException("no trust file from " + base + ": " + describe(response));
        }
        try {
            return TrustFile.parse(response.body());
        } catch (NoteException e) {
            throw new IOException("the node " + base + " sent a malformed trust file: " + e.getMessage(), e);
        }
    }

    /**
     * Fetches the node's signed revocation list ({@code GET /v1/revocations}), or its delta after version {@code
     * since}, as sent: check it with {@link dev.dossier.common.revocation.RevocationList#read}.
     *
     * @param since 0 for the full list, else the version held
     * @throws IOException if the node cannot be reached, answers an error (409: it is behind {@code since}), or sends
     *     more than {@value #MAX_REVOCATION_LIST_BYTES} bytes
     * @throws InterruptedException if interrupted
     */
    public byte[] revocations(long since) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(
                        base.resolve("/v1/revocations" + (since == 0 ? "" : "?since=" + since)))
                .timeout(REQUEST_TIMEOUT)
                .GET()
                .build();
        HttpResponse<java.io.InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new IOException("cannot reach " + base + ": " + e.getMessage(), e);
        }
        byte[] body;
        try (java.io.InputStream in = response.body()) {
            body = in.readNBytes(MAX_REVOCATION_LIST_BYTES + 1);
        }
        if (response.statusCode() != 200) {
            String text = new String(body, 0, Math.min(body.length, 4096), java.nio.charset.StandardCharsets.UTF_8);
            throw new IOException("no revocation list from " + base + ": " + describe(response.statusCode(), text));
        }
        if (body.length > MAX_REVOCATION_LIST_BYTES) {
            throw new IOException("the revocation list from " + base + " is larger than " + MAX_REVOCATION_LIST_BYTES
                    + " bytes: refused");
        }
        return body;
    }

    /** The largest revocation list read: 8 million entries. */
    public static final int MAX_REVOCATION_LIST_BYTES = 64 << 20;

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(REQUEST_TIMEOUT)
                .GET()
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw unreachable(base, e);
        }
    }

    /**
     * @return the error of a request that got no HTTP answer from {@code base}: the cause named even when it carries
     *     no message (a refused connection, or a gRPC port that closes an HTTP/1.1 request), and what to do, since
     *     the usual reason is an address that is no Dossier node, such as a Fabric peer's
     */
    static IOException unreachable(URI base, IOException e) {
        String cause = e.getMessage() == null || e.getMessage().isBlank()
                ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
        return new IOException(
                "no answer from a Dossier node's HTTP API at " + base + " (" + cause + "). Receipts, checkpoints and"
                        + " certificates come from a Dossier node's HTTP API, which a Fabric peer does not serve:"
                        + " give a Dossier node's address with --node-url (by default its gateway port + "
                        + NodeAddress.HTTP_PORT_OFFSET + ")",
                e);
    }

    private static String describe(HttpResponse<String> response) {
        return describe(response.statusCode(), response.body());
    }

    private static String describe(int status, String error) {
        try {
            JsonNode body = MAPPER.readTree(error);
            if (body != null && body.hasNonNull("error")) {
                error = body.get("error").asText();
            }
        } catch (IOException e) {
            // not JSON: the body as it is
        }
        return "HTTP " + status + " " + error;
    }
}
