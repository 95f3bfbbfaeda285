package dev.dossier.client.bulk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dossier.client.transport.DossierException;
import dev.dossier.client.transport.Notary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The notary contract's anchorBatch and status semantics in memory, with a way to fail after some batches. */
final class FakeNotary implements Notary {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    final Map<String, ObjectNode> entries = new ConcurrentHashMap<>();
    final AtomicInteger transactions = new AtomicInteger();
    private final AtomicLong blocks = new AtomicLong();
    private final String mspId;
    /** After this many committed anchorBatch transactions, each further one commits and then reports a failure. */
    volatile int failAfter = Integer.MAX_VALUE;
    /** When set, every anchorBatch is refused with this message, as a gateway refuses a role the policy denies. */
    volatile String refusal;

    FakeNotary(String mspId) {
        this.mspId = mspId;
    }

    @Override
    public synchronized Committed submit(String function, String... args) throws DossierException {
        if (!function.equals("anchorBatch")) {
            throw new DossierException("unsupported " + function, null, "ABORTED", null);
        }
        if (refusal != null) {
            throw new DossierException(refusal, null, "ABORTED", null);
        }
        ObjectNode answer = MAPPER.createObjectNode();
        ArrayNode results = answer.putArray("results");
        int anchored = 0;
        int already = 0;
        String txId = "tx" + (transactions.get() + 1);
        try {
            for (JsonNode entry : MAPPER.readTree(args[0])) {
                String commitment = entry.get("commitment").asText();
                ObjectNode result = results.addObject().put("commitment", commitment);
                ObjectNode existing = entries.get(commitment);
                if (existing == null) {
                    ObjectNode stored = ((ObjectNode) entry.deepCopy())
                            .put("mspId", mspId)
                            .put("status", "active")
                            .put("anchoredAt", "2025-01-01T00:00:00Z")
                            .put("txId", txId);
                    entries.put(commitment, stored);
                    result.put("outcome", "ANCHORED");
                    anchored++;
                } else if (existing.get("mspId").asText().equals(mspId)) {
                    result.put("outcome", "ALREADY_ANCHORED");
                    already++;
                } else {
                    result.put("outcome", "CONFLICT")
                            .put(
                                    "reason",
                                    "anchored by " + existing.get("mspId").asText());
                }
            }
        } catch (IOException e) {
            throw new DossierException("bad JSON", null, "ABORTED", e);
        }
        answer.put("anchored", anchored).put("alreadyAnchored", already);
        int n = transactions.incrementAndGet();
        if (n > failAfter) {
            throw new DossierException("connection lost after commit", "tx" + n, "CANCELLED", null);
        }
        return new Committed(txId, blocks.incrementAndGet(), answer.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public byte[] evaluate(String function, String... args) {
        ObjectNode entry = entries.get(args[0]);
        return entry == null ? null : entry.toString().getBytes(StandardCharsets.UTF_8);
    }
}
