package dev.dossier.node.ledger;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;

/**
 * What one transaction does to one key of the world state, gathered from its read-write set: the value put or
 * deleted (or left alone), and the key's metadata replaced (or left alone). This is what commit-time write rules
 * ({@link WriteCheck}) judge. Immutable; the value is copied in and out.
 *
 * @param namespace the chaincode namespace
 * @param key the key (may contain U+0000: composite keys)
 * @param change what happens to the value
 * @param metadata the key's new metadata entries by name when the transaction replaces them (an empty map removes
 *     them), else empty
 */
public record KeyWrite(
        String namespace, String key, Change change, byte[] value, Optional<Map<String, ByteString>> metadata) {
    /** What a transaction does to a key's value. */
    public enum Change {
        /** the value is not written (only the metadata is) */
        UNCHANGED,
        /** a new value is put */
        PUT,
        /** the key is deleted, and its metadata with it */
        DELETE
    }

    /** The metadata entry holding a key's endorsement policy, as Fabric names it. */
    public static final String VALIDATION_PARAMETER = "VALIDATION_PARAMETER";

    /**
     * @throws NullPointerException if a component is null, or {@code value} is null for a {@link Change#PUT}
     */
    public KeyWrite {
        requireNonNull(namespace, "namespace");
        requireNonNull(key, "key");
        requireNonNull(change, "change");
        requireNonNull(metadata, "metadata");
        if (change == Change.PUT) {
            value = requireNonNull(value, "value (required for PUT)").clone();
        } else {
            value = null;
        }
        metadata = metadata.map(Map::copyOf);
    }

    /**
     * @return every key a transaction's read-write set writes, deletes or changes the metadata of, as
     *     {@link Ledger#commit} gives them to a {@link WriteCheck}
     * @throws IllegalArgumentException if the read-write set is unusable (the ledger would mark it BAD_RWSET)
     */
    public static List<KeyWrite> of(TxReadWriteSet rwset) {
        try {
            return BlockValidator.keyWrites(BlockValidator.parse(rwset));
        } catch (BlockValidator.BadRwSetException e) {
            throw new IllegalArgumentException("unusable read-write set: " + e.getMessage(), e);
        }
    }

    /** @return a copy of the value put, or null unless {@link Change#PUT} */
    @Override
    public byte[] value() {
        return value == null ? null : value.clone();
    }

    /** @return the validation parameter this transaction sets on the key, if it replaces the key's metadata */
    public Optional<ByteString> newValidationParameter() {
        return metadata.flatMap(entries -> Optional.ofNullable(entries.get(VALIDATION_PARAMETER)));
    }
}
