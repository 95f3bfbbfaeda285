package dev.dossier.node.ledger;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * The key history index, as Fabric's history database keeps it: one entry per key a valid transaction wrote, naming
 * only the block and the transaction (see {@code Encoding}). What the transaction did to the key, its tx id and its
 * timestamp are read back from the stored block when the history is asked for, so a record's entry is not stored a
 * second time for its history.
 *
 * <p>The timestamp of an entry is its transaction's channel header timestamp; the initial state a genesis block
 * applies (see {@link GenesisState}) has the timestamp {@link Instant#EPOCH}.
 */
final class KeyHistory {
    private KeyHistory() {}

    /** Adds to {@code batch} a history entry pointing at transaction {@code txNumber} of block {@code block} for each write. */
    static void record(
            List<BlockValidator.Write> writes, long block, int txNumber, ColumnFamilyHandle history, WriteBatch batch)
            throws RocksDBException {
        for (BlockValidator.Write write : writes) {
            byte[] key = Encoding.historyKey(Encoding.historyPrefix(write.namespace(), write.key()), block, txNumber);
            batch.put(history, key, Encoding.HISTORY_VALUE);
        }
    }

    /**
     * @return what transaction {@code txNumber} of {@code block} did to the key, as a history entry
     * @throws IllegalArgumentException if the block has no such transaction, it does not decode, or it does not write
     *     the key (the history entry pointing at it is corrupt)
     */
    static HistoryEntry entry(Block block, long txNumber, byte[] namespace, byte[] key) {
        long number = block.getHeader().getNumber();
        String where = "block " + number + " tx " + txNumber + ", named by the key history,";
        if (txNumber < 0 || txNumber >= block.getData().getDataCount()) {
            throw new IllegalArgumentException(where + " does not exist");
        }
        try {
            Envelope envelope =
                    Envelopes.parse(Envelope.parser(), block.getData().getData((int) txNumber), true);
            ChannelHeader header = Envelopes.channelHeader(envelope);
            TxReadWriteSet rwset;
            Instant timestamp;
            if (number == 0) {
                rwset = GenesisState.of(envelope)
                        .orElseThrow(() -> new IllegalArgumentException(where + " has no initial state"));
                timestamp = Instant.EPOCH;
            } else {
                rwset = Envelopes.readWriteSet(envelope, true);
                timestamp = Instant.ofEpochSecond(
                        header.getTimestamp().getSeconds(),
                        header.getTimestamp().getNanos());
            }
            BlockValidator.Write write = writeOf(rwset, namespace, key);
            if (write == null) {
                throw new IllegalArgumentException(where + " does not write the key");
            }
            return new HistoryEntry(number, header.getTxId(), timestamp, write.delete(), write.value());
        } catch (InvalidProtocolBufferException | DateTimeException e) {
            throw new IllegalArgumentException(where + " does not decode: " + e.getMessage(), e);
        }
    }

    /**
     * @return what the read-write set does to the key, by the rule the state applies ({@link
     *     BlockValidator#combine}), or null if it does not write it. Only the key's namespace is decoded, with its
     *     bytes as views of the block's: a transaction of a bulk upload writes thousands of keys.
     */
    private static BlockValidator.Write writeOf(TxReadWriteSet rwset, byte[] namespace, byte[] key)
            throws InvalidProtocolBufferException {
        ByteString ns = ByteString.copyFrom(namespace);
        ByteString wanted = ByteString.copyFrom(key);
        BlockValidator.Write found = null;
        for (NsReadWriteSet set : rwset.getNsRwsetList()) {
            if (!set.getNamespaceBytes().equals(ns)) {
                continue;
            }
            for (KVWrite write :
                    Envelopes.parse(KVRWSet.parser(), set.getRwset(), true).getWritesList()) {
                if (write.getKeyBytes().equals(wanted)) {
                    found = BlockValidator.combine(found, namespace, key, write);
                }
            }
        }
        return found;
    }
}
