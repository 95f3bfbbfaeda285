package dev.dossier.node.ledger;

import com.google.protobuf.ByteString;
import java.util.Map;

/** The committed metadata of keys, namespaced by chaincode name. */
@FunctionalInterface
public interface MetadataReader {
    /**
     * @return the committed metadata entries of {@code key} by name (such as its {@code VALIDATION_PARAMETER}, its
     *     key-level endorsement policy); empty when it has none
     */
    Map<String, ByteString> metadata(String namespace, String key);
}
