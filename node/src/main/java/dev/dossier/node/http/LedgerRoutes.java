package dev.dossier.node.http;

import static dev.dossier.node.http.Response.JSON;
import static dev.dossier.node.http.Response.JSON_TYPE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dossier.common.receipt.Receipt;
import dev.dossier.node.ledger.Ledger;
import dev.dossier.node.ledger.StateEntry;
import dev.dossier.node.ledger.VersionedValue;
import dev.dossier.node.log.CheckpointPublisher;
import dev.dossier.node.log.CommitmentLog;
import dev.dossier.node.log.PublicEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * The public answers about one anchored commitment: {@code GET /v1/receipts/{commitment}} (the receipt proving its
 * inclusion under the latest cosigned checkpoint) and {@code GET /v1/status/{commitment}} (its current status in the
 * world state). Both serve {@link PublicEntry public entries} only.
 */
final class LedgerRoutes {
    private static final HexFormat HEX = HexFormat.of();

    /** The most keys a prefix lookup reads: two commitments, and room for keys of another shape the contract wrote. */
    private static final int PREFIX_SCAN = 16;

    private static final Pattern COMMITMENT_KEY = Pattern.compile("[0-9a-f]{64}");

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

    /**
     * {@code GET /v1/status/{commitment}}, or {@code /v1/status/{prefix}} with the first 32 to 63 hex digits of a
     * commitment (a worker's card binds its modules by a 16-byte prefix): the one entry whose commitment starts so,
     * found by a RocksDB seek over the world state; 409 if more than one does, never one of them.
     */
    Response status(String hex) {
        if (!Requests.COMMITMENT_OR_PREFIX.matcher(hex).matches()) {
            return Response.error(
                    400,
                    "BAD_REQUEST",
                    "a commitment is 64 hexadecimal digits; a commitment prefix, 32 to 63 (16 bytes or more)");
        }
        String key = hex.toLowerCase(Locale.ROOT);
        Optional<VersionedValue> value;
        if (key.length() == 64) {
            value = ledger.get(namespace, key);
        } else {
            List<StateEntry> matches = byPrefix(key);
            if (matches.size() > 1) {
                return Response.error(
                        409,
                        "AMBIGUOUS",
                        "more than one commitment starts with " + key + ": ask with more digits or the whole"
                                + " commitment");
            }
            value = matches.stream().map(StateEntry::value).findFirst();
        }
        if (value.isEmpty()) {
            return Response.error(
                    404,
                    "NOT_FOUND",
                    (key.length() == 64 ? "commitment " : "no commitment starting with ") + key + " is anchored");
        }
        return new Response(200, JSON_TYPE, PublicEntry.of(value.get().value()), Map.of("Cache-Control", "no-store"));
    }

    /**
     * @return the world state's commitments (64 hex digit keys) that start with {@code prefix}, at most two: a seek
     *     to the prefix and a scan bounded by its end (hex digits sort below {@code g})
     */
    private List<StateEntry> byPrefix(String prefix) {
        List<StateEntry> found = new ArrayList<>(2);
        for (StateEntry entry : ledger.range(namespace, prefix, prefix + "g", PREFIX_SCAN)) {
            if (COMMITMENT_KEY.matcher(entry.key()).matches()) {
                found.add(entry);
                if (found.size() == 2) {
                    break;
                }
            }
        }
        return found;
    }

    private static Response badCommitment() {
        return Response.error(400, "BAD_REQUEST", "a commitment is 64 hexadecimal digits");
    }
}
