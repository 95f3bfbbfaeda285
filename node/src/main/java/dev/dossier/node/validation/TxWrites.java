package dev.dossier.node.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dossier.node.ledger.KeyWrite;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The writes of one transaction in the notary's namespace, by key, as the notary's rules judge them: each value put is
 * parsed as JSON at most once however many rules read it (an entry is read by its own rule and again by its subject
 * index's). The parsed values are shared: the rules only read them. Not thread-safe; lives for one transaction's check.
 */
final class TxWrites {
    private final Map<String, KeyWrite> byKey;
    private final Map<KeyWrite, Optional<JsonNode>> parsed = new IdentityHashMap<>();

    /** @param writes the transaction's writes; those outside {@code namespace} are left out */
    TxWrites(List<KeyWrite> writes, String namespace) {
        byKey = new HashMap<>(writes.size() * 2);
        for (KeyWrite write : writes) {
            if (write.namespace().equals(namespace)) {
                byKey.put(write.key(), write);
            }
        }
    }

    /** @return the transaction's write of {@code key}, or null if it does not write it */
    KeyWrite get(String key) {
        return byKey.get(key);
    }

    /**
     * @return the JSON object {@code write} (one of this transaction's) puts, as {@link NotaryRule#parse} reads it;
     *     empty if it puts no value or the value is not a JSON object
     */
    Optional<JsonNode> value(KeyWrite write) {
        if (write.change() != KeyWrite.Change.PUT) {
            return Optional.empty();
        }
        return parsed.computeIfAbsent(write, w -> NotaryRule.parse(w.value()));
    }
}
