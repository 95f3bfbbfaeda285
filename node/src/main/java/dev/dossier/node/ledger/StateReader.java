package dev.dossier.node.ledger;

import java.util.List;
import java.util.Optional;

/**
 * Read access to committed world state, namespaced by chaincode name. Implementations are thread-safe; reads see
 * only fully committed blocks.
 */
public interface StateReader extends MetadataReader {
    /** @return the committed value of {@code key} in {@code namespace}, or empty when absent or deleted */
    Optional<VersionedValue> get(String namespace, String key);

    /**
     * Keys in {@code [startKey, endKey)} in the namespace, in lexicographic order of their UTF-8 bytes, as Fabric
     * orders them. An empty {@code endKey} means "to the end of the namespace". At most {@code limit} entries are
     * returned, so a caller that wants more continues from the last key it got.
     */
    List<StateEntry> range(String namespace, String startKey, String endKey, int limit);

    /** @return every committed modification of the key, newest first, as Fabric's GetHistoryForKey */
    List<HistoryEntry> history(String namespace, String key);
}
