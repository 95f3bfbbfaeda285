package dev.dossier.node.log;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dossier.node.ledger.BlockHashes;
import dev.dossier.node.ledger.Ledger;
import dev.dossier.node.ledger.LedgerException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the receipts of bulk uploads against the stopped nodes of a network: every acknowledged record (every receipt
 * line) is on every node exactly once, and the nodes agree.
 *
 * <p>For each node: each receipt's commitment is created by exactly one VALID transaction in the node's blocks, its
 * state key is present, and the commitment log holds it; no commitment is created twice anywhere in the blocks; the
 * commitment log has no duplicate leaf and as many leaves as distinct commitments the blocks anchor. Across nodes: the
 * same height, the same last block header hash, the same log size and root. Across the receipts: one receipt line per
 * record id and per commitment, and no receipt refused by the ledger ({@code CONFLICT}, {@code REFUSED}). A
 * correction's receipt ({@code SUPERSEDED}, naming the entry it {@code supersedes}) also needs that entry superseded
 * by it on every node, and no entry superseded by two receipts.
 *
 * <p>The fault suite ({@code dossier fault}) runs it after killing nodes during an upload; {@code dossier audit
 * --network DIR --receipts FILE} runs it by hand.
 */
public final class ReceiptAudit {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();

    /** Receipt outcomes that say the record is on the ledger. */
    private static final Set<String> ACKNOWLEDGED =
            Set.of("ANCHORED", "ALREADY_ANCHORED", "SUPERSEDED", "ALREADY_SUPERSEDED");

    private ReceiptAudit() {}

    /** @return the {@code supersededBy} member of a stored entry, or null */
    private static String supersededBy(byte[] entry) {
        try {
            return MAPPER.readTree(entry).path("supersededBy").asText(null);
        } catch (IOException e) {
            return null;
        }
    }

    /** The outcome: clean or not, the receipts checked, each node's figures, and one line per finding. */
    public record Report(boolean clean, long receipts, Map<String, NodeFigures> nodes, List<String> lines) {
        public Report {
            nodes = Map.copyOf(nodes);
            lines = List.copyOf(lines);
        }
    }

    /** What one node holds: height, last block header hash, commitments anchored in its blocks, log size and root. */
    public record NodeFigures(long height, String lastHash, long anchored, long logSize, String logRoot) {}

    /**
     * @param nodes each node's name and data directory (with {@code ledger/} and {@code log/}); the nodes must be
     *     stopped
     * @param receipts receipt files of {@code dossier anchor} (JSON Lines)
     * @param namespace the notary chaincode's name
     * @throws IOException if a receipt file or a commitment log cannot be read
     * @throws LedgerException if a ledger cannot be opened
     */
    public static Report audit(Map<String, Path> nodes, List<Path> receipts, String namespace)
            throws IOException, LedgerException {
        requireNonNull(nodes, "nodes");
        requireNonNull(namespace, "namespace");
        List<String> lines = new ArrayList<>();
        boolean clean = true;
        // commitment -> record id of its receipt
        Map<ByteBuffer, String> acknowledged = new HashMap<>();
        Set<String> recordIds = new HashSet<>();
        // superseded commitment -> the correction's commitment
        Map<String, String> corrected = new HashMap<>();
        long receiptLines = 0;
        for (Path file : receipts) {
            try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                long lineNumber = 0;
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    lineNumber++;
                    receiptLines++;
                    JsonNode receipt = MAPPER.readTree(line);
                    String recordId = receipt.path("record_id").asText() + "#"
                            + receipt.path("version").asText();
                    String commitment = receipt.path("commitment").asText();
                    String outcome = receipt.path("outcome").asText();
                    String where = file.getFileName() + ":" + lineNumber;
                    if (!dev.dossier.node.ledger.NamespaceWrites.isCommitmentKey(commitment)) {
                        clean = false;
                        lines.add(where + ": receipt without a valid commitment");
                        continue;
                    }
                    if (!ACKNOWLEDGED.contains(outcome)) {
                        clean = false;
                        lines.add(where + ": record " + recordId + " has outcome " + outcome);
                    }
                    if (!recordIds.add(recordId)) {
                        clean = false;
                        lines.add(where + ": record " + recordId + " has more than one receipt");
                    }
                    String old = receipt.path("supersedes").asText(null);
                    if (old != null && corrected.put(old, commitment) != null) {
                        clean = false;
                        lines.add(where + ": commitment " + old + " is superseded by more than one receipt");
                    }
                    if (acknowledged.put(ByteBuffer.wrap(HEX.parseHex(commitment)), recordId) != null) {
                        clean = false;
                        lines.add(where + ": commitment " + commitment + " has more than one receipt");
                    }
                }
            }
        }
        lines.add(receiptLines + " receipts of " + acknowledged.size() + " commitments in " + receipts.size()
                + " file(s)");
        Map<String, NodeFigures> figures = new LinkedHashMap<>();
        for (Map.Entry<String, Path> node : nodes.entrySet()) {
            List<String> problems = new ArrayList<>();
            NodeFigures f = auditNode(node.getValue(), namespace, acknowledged, corrected, problems);
            figures.put(node.getKey(), f);
            if (problems.isEmpty()) {
                lines.add(node.getKey() + ": every receipt's commitment anchored exactly once (state and log), height "
                        + f.height() + ", " + f.anchored() + " commitments, log of " + f.logSize() + " leaves");
            } else {
                clean = false;
                problems.forEach(p -> lines.add(node.getKey() + ": " + p));
            }
        }
        List<NodeFigures> all = new ArrayList<>(figures.values());
        List<String> names = new ArrayList<>(figures.keySet());
        for (int i = 1; i < all.size(); i++) {
            NodeFigures a = all.get(0);
            NodeFigures b = all.get(i);
            String who = names.get(0) + " and " + names.get(i);
            if (a.height() != b.height()) {
                clean = false;
                lines.add(who + " have different heights: " + a.height() + " and " + b.height());
            } else if (!a.lastHash().equals(b.lastHash())) {
                clean = false;
                lines.add(who + " have different last blocks: " + a.lastHash() + " and " + b.lastHash());
            }
            if (a.logSize() != b.logSize() || !a.logRoot().equals(b.logRoot())) {
                clean = false;
                lines.add(who + " have different commitment logs: " + a.logSize() + " leaves, root " + a.logRoot()
                        + " and " + b.logSize() + " leaves, root " + b.logRoot());
            }
        }
        if (clean && !all.isEmpty()) {
            lines.add("all " + all.size() + " nodes: height " + all.get(0).height() + ", last block "
                    + all.get(0).lastHash() + ", log of " + all.get(0).logSize() + " leaves, root "
                    + all.get(0).logRoot());
        }
        return new Report(clean, receiptLines, figures, lines);
    }

    private static NodeFigures auditNode(
            Path data,
            String namespace,
            Map<ByteBuffer, String> acknowledged,
            Map<String, String> corrected,
            List<String> problems)
            throws IOException, LedgerException {
        Map<ByteBuffer, Integer> created = new HashMap<>();
        long height;
        String lastHash;
        try (Ledger ledger = Ledger.open(data.resolve("ledger"))) {
            height = ledger.height();
            lastHash = height == 0
                    ? ""
                    : HEX.formatHex(BlockHashes.headerHash(
                            ledger.block(height - 1).orElseThrow().getHeader()));
            for (long number = 0; number < height; number++) {
                for (byte[] leaf : LogLeaves.anchored(ledger.block(number).orElseThrow(), namespace)) {
                    ByteBuffer commitment =
                            ByteBuffer.wrap(leaf, 0, LogLeaves.COMMITMENT_BYTES).slice();
                    int count = created.merge(commitment, 1, Integer::sum);
                    if (count == 2 && problems.size() < 20) {
                        problems.add("commitment " + hex(commitment) + " is anchored more than once (again in block "
                                + number + ")");
                    }
                }
            }
            int missing = 0;
            for (Map.Entry<ByteBuffer, String> receipt : acknowledged.entrySet()) {
                String commitment = hex(receipt.getKey());
                Integer count = created.get(receipt.getKey());
                boolean inState = ledger.get(namespace, commitment).isPresent();
                if (count == null || !inState) {
                    if (missing++ < 20) {
                        problems.add("record " + receipt.getValue() + " (commitment " + commitment + ") is "
                                + (count == null ? "anchored by no valid transaction" : "missing from the state"));
                    }
                }
            }
            if (missing > 20) {
                problems.add((missing - 20) + " more acknowledged records missing");
            }
            int unlinked = 0;
            for (Map.Entry<String, String> link : corrected.entrySet()) {
                String by = ledger.get(namespace, link.getKey())
                        .map(v -> supersededBy(v.value()))
                        .orElse(null);
                if (!link.getValue().equals(by) && unlinked++ < 20) {
                    problems.add("commitment " + link.getKey() + " is not superseded by its correction "
                            + link.getValue() + (by == null ? "" : " but by " + by));
                }
            }
        }
        long logSize;
        String logRoot;
        try (CommitmentLog log = CommitmentLog.open(data.resolve("log"), namespace)) {
            logSize = log.size();
            logRoot = HEX.formatHex(log.root(logSize));
            if (log.appliedHeight() != height) {
                problems.add("commitment log covers " + log.appliedHeight() + " blocks of " + height);
            }
            Set<ByteBuffer> leaves = new HashSet<>();
            for (long index = 0; index < logSize; index++) {
                ByteBuffer commitment = ByteBuffer.wrap(log.leafData(index), 0, LogLeaves.COMMITMENT_BYTES)
                        .slice();
                if (!leaves.add(commitment) && problems.size() < 40) {
                    problems.add(
                            "commitment log has a duplicate leaf " + index + " (commitment " + hex(commitment) + ")");
                }
            }
            if (logSize != created.size()) {
                problems.add("commitment log has " + logSize + " leaves; the blocks anchor " + created.size()
                        + " distinct commitments");
            }
            int notInLog = 0;
            for (ByteBuffer commitment : acknowledged.keySet()) {
                if (!leaves.contains(commitment) && notInLog++ < 20) {
                    problems.add("acknowledged commitment " + hex(commitment) + " is not in the commitment log");
                }
            }
        }
        return new NodeFigures(height, lastHash, created.size(), logSize, logRoot);
    }

    private static String hex(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return HEX.formatHex(bytes);
    }
}
