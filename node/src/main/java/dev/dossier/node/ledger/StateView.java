package dev.dossier.node.ledger;

import com.google.protobuf.ByteString;
import java.util.Map;
import java.util.Optional;

/**
 * The world state as a transaction being committed sees it: the committed state overlaid with the writes of the
 * valid transactions before it in the same block. Given to {@link WriteCheck}s; valid only during the check.
 */
public interface StateView {
    /** @return the key's current value, empty when absent or deleted */
    Optional<byte[]> value(String namespace, String key);

    /** @return the key's current metadata entries by name (empty when it has none) */
    Map<String, ByteString> metadata(String namespace, String key);

    /** @return the key's validation parameter (its key-level endorsement policy), if it has one */
    default Optional<ByteString> validationParameter(String namespace, String key) {
        return Optional.ofNullable(metadata(namespace, key).get(KeyWrite.VALIDATION_PARAMETER));
    }

    /**
     * @return true if a preceding valid transaction of the same block changed the key's metadata (or deleted the
     *     key): Fabric then invalidates a transaction that writes the key, rather than judge it by a policy its
     *     endorsers could not have seen
     */
    boolean metadataChangedInBlock(String namespace, String key);
}
