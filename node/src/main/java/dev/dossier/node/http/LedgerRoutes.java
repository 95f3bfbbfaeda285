package dev.dossier.node.http;

import static dev.dossier.node.http.Response.JSON;
import static dev.dossier.node.http.Response.JSON_TYPE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dossier.common.receipt.Receipt;
import dev.dossier.node.ledger.Ledger;
import dev.dossier.node.ledger.VersionedValue;
import dev.dossier.node.log.CheckpointPublisher;
import dev.dossier.node.log.CommitmentLog;
import dev.dossier.node.log.PublicEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The public answers about one anchored commitment: {@code GET /v1/receipts/{commitment}} (the receipt proving its
 * inclusion under the latest cosigned checkpoint) and {@code GET /v1/status/{commitment}} (its current status in the
 * world state). Both serve {@link PublicEntry public entries} only.
 */
final class LedgerRoutes {
    private static final HexFormat HEX = HexFormat.of();

    private final Ledger ledger;
    private final String namespace;
    private final CommitmentLog log;
    private final CheckpointPublisher checkpoints;
    private final String baseUrl;

    LedgerRoutes(Ledger ledger, String namespace, CommitmentLog log, CheckpointPublisher checkpoints, String baseUrl) {
        this.ledger = ledger;
        this.namespace = namespace;
        this.log = log;
        this.checkpoints = checkpoints;
        this.baseUrl = baseUrl;
    }

    /** {@code GET /v1/receipts/{commitment}}. */
    Response receipt(String hex) throws IOException {
        if (!Requests.COMMITMENT.matcher(hex).matches()) {
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
        body.put("receipt", compact).put("verify_url", baseUrl + StaticRoutes.VERIFY + "#r=" + compact);
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

    /** {@code GET /v1/status/{commitment}}. */
    Response status(String hex) {
        if (!Requests.COMMITMENT.matcher(hex).matches()) {
            return badCommitment();
        }
        String key = hex.toLowerCase(Locale.ROOT);
        Optional<VersionedValue> value = ledger.get(namespace, key);
        if (value.isEmpty()) {
            return Response.error(404, "NOT_FOUND", "commitment " + key + " is not anchored");
        }
        return new Response(200, JSON_TYPE, PublicEntry.of(value.get().value()), Map.of("Cache-Control", "no-store"));
    }

    private static Response badCommitment() {
        return Response.error(400, "BAD_REQUEST", "a commitment is 64 hexadecimal digits");
    }
}
