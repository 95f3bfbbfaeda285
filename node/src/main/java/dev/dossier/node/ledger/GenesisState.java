package dev.dossier.node.ledger;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.List;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigValue;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * The world state a channel starts with, fixed at its creation: the writes (and key metadata) of the read-write set
 * held in the genesis config's {@code Application} group under {@value Envelopes#INITIAL_STATE}. They apply with
 * version (0, 0), as if written by the genesis transaction, and are recorded in the key history, so a ledger replayed
 * from its blocks (the audit) derives the same state. A genesis config without that value, or whose data is not a
 * {@code common.ConfigEnvelope}, starts empty.
 */
final class GenesisState {
    private GenesisState() {}

    /**
     * @return the initial read-write set of a genesis config envelope, if it has one
     * @throws IllegalArgumentException if the value is there but does not decode
     */
    static Optional<TxReadWriteSet> of(Envelope config) {
        ConfigValue value;
        try {
            Payload payload = Payload.parseFrom(config.getPayload());
            ConfigGroup application = ConfigEnvelope.parseFrom(payload.getData())
                    .getConfig()
                    .getChannelGroup()
                    .getGroupsOrDefault("Application", ConfigGroup.getDefaultInstance());
            value = application.getValuesOrDefault(Envelopes.INITIAL_STATE, null);
        } catch (InvalidProtocolBufferException e) {
            return Optional.empty(); // a config this node did not write: it has no initial state
        }
        try {
            return value == null ? Optional.empty() : Optional.of(TxReadWriteSet.parseFrom(value.getValue()));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("genesis config: initial state does not decode: " + e.getMessage(), e);
        }
    }

    /**
     * Applies the initial state of {@code config} to {@code validator} (block 0) and records its history in
     * {@code batch}; the caller then writes the validator's updates.
     *
     * @throws IllegalArgumentException if the initial state does not decode or is not a usable read-write set
     */
    static void apply(Envelope config, BlockValidator validator, WriteBatch batch, ColumnFamilyHandle history)
            throws RocksDBException {
        Optional<TxReadWriteSet> initial = of(config);
        if (initial.isEmpty()) {
            return;
        }
        List<BlockValidator.NsRwSet> rwset;
        try {
            rwset = BlockValidator.parse(initial.get());
        } catch (BlockValidator.BadRwSetException e) {
            throw new IllegalArgumentException("genesis config: initial state is not usable: " + e.getMessage(), e);
        }
        KeyHistory.record(validator.apply(rwset, 0), 0, 0, history, batch);
    }
}
