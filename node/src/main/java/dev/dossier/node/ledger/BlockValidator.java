package dev.dossier.node.ledger;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVMetadataEntry;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVMetadataWrite;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.RangeQueryInfo;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * MVCC validation of the transactions of one block, as Fabric's state validator does it: a transaction's reads are
 * checked against the committed state (a state column family) overlaid with the writes of the preceding valid
 * transactions of the same block, which are collected here and written with the block.
 *
 * <ul>
 *   <li>a read of a key that a preceding valid transaction of the block wrote or deleted, or whose committed
 *       version differs from the version read (absent key = no version), is an {@code MVCC_READ_CONFLICT};
 *   <li>a range query whose results (raw reads, or Fabric's Merkle summary of them) differ from a re-scan of the
 *       same range is a {@code PHANTOM_READ_CONFLICT} ({@link RangeRescan}); when the iterator was not exhausted
 *       during simulation, the recorded end key is the last key read and is included in the re-scan.
 * </ul>
 *
 * A write with {@code is_delete} or an empty value deletes the key (Fabric's simulator records an empty value as a
 * delete); if a transaction both writes and deletes a key, the delete wins, as in Fabric. A metadata write replaces
 * the key's metadata entries (an empty list removes them); deleting a key removes its metadata. Changing only a key's
 * metadata leaves its value's version as it was. Private-data (collection) sets are not supported and ignored.
 *
 * <p>It is also the {@link StateView} the {@link WriteCheck}s of the block's transactions judge against. Not
 * thread-safe.
 */
final class BlockValidator implements StateView {
    /** One key written by a valid transaction, for the history index; a delete's value is empty. */
    record Write(byte[] namespace, byte[] key, boolean delete, byte[] value) {}

    /** A namespace's decoded read-write set. */
    record NsRwSet(byte[] namespace, KVRWSet set) {}

    /** The read-write set cannot be used: it does not decode, or a namespace or key is malformed. */
    static final class BadRwSetException extends Exception {
        private static final long serialVersionUID = 1L;

        BadRwSetException(String message) {
            super(message);
        }
    }

    private final RocksDB db;
    private final ColumnFamilyHandle state;
    private final long blockNumber;
    private final TreeMap<byte[], StateUpdate> updates = new TreeMap<>(Encoding.BYTEWISE);
    /**
     * Metadata changes of the block's valid transactions that take effect: the new stored form, or null to remove it.
     * A change of a key without a value when its transaction applies takes none, as on a Fabric peer.
     */
    private final TreeMap<byte[], byte[]> metadataUpdates = new TreeMap<>(Encoding.BYTEWISE);

    /** Keys whose metadata a valid transaction of the block changed, with effect or not, or that one deleted. */
    private final TreeSet<byte[]> metadataChanged = new TreeSet<>(Encoding.BYTEWISE);

    /**
     * What the MVCC check of the transaction being validated read from the committed state, by state key ({@link
     * #ABSENT} for a key without a value), so that its write check does not read the same keys again: the
     * committed state does not change while a block is validated. Holds one transaction's reads.
     */
    private final HashMap<ByteBuffer, byte[]> committedReads = new HashMap<>();

    private static final byte[] ABSENT = new byte[0];

    BlockValidator(RocksDB db, ColumnFamilyHandle state, long blockNumber) {
        this.db = db;
        this.state = state;
        this.blockNumber = blockNumber;
    }

    /**
     * Adds the state changes of the block's valid transactions to {@code batch}: each key written gets its new value
     * at its new version with its metadata (changed in the block, else the committed one); each key whose metadata
     * alone changed keeps its value and version with the new metadata, unless it has no value (then nothing is
     * written, as Fabric ignores a metadata change of a key that does not exist).
     */
    void writeUpdates(WriteBatch batch) throws RocksDBException {
        for (Map.Entry<byte[], StateUpdate> update : updates.entrySet()) {
            StateUpdate u = update.getValue();
            byte[] key = update.getKey();
            if (u.value() == null) {
                batch.delete(state, key);
                continue;
            }
            byte[] metadata;
            if (metadataUpdates.containsKey(key)) {
                metadata = metadataUpdates.get(key);
            } else {
                byte[] committed = read(state, key);
                metadata = committed == null ? null : Encoding.storedMetadata(committed);
            }
            batch.put(state, key, Encoding.stateValue(blockNumber, u.txNumber(), metadata, u.value()));
        }
        for (Map.Entry<byte[], byte[]> update : metadataUpdates.entrySet()) {
            if (updates.containsKey(update.getKey())) {
                continue; // written with its value above, or deleted
            }
            byte[] committed = read(state, update.getKey());
            if (committed != null) {
                batch.put(state, update.getKey(), Encoding.withMetadata(committed, update.getValue()));
            }
        }
    }

    @Override
    public Optional<byte[]> value(String namespace, String key) {
        byte[] stateKey = Encoding.stateKey(Encoding.utf8(namespace), Encoding.utf8(key));
        StateUpdate update = updates.get(stateKey);
        if (update != null) {
            return Optional.ofNullable(update.value());
        }
        byte[] stored = committedReads.get(ByteBuffer.wrap(stateKey));
        if (stored == ABSENT) {
            return Optional.empty();
        }
        if (stored == null) {
            stored = read(state, stateKey);
        }
        return stored == null
                ? Optional.empty()
                : Optional.of(Encoding.decodeStateValue(stored).value());
    }

    @Override
    public Map<String, ByteString> metadata(String namespace, String key) {
        byte[] stateKey = Encoding.stateKey(Encoding.utf8(namespace), Encoding.utf8(key));
        if (metadataUpdates.containsKey(stateKey)) {
            byte[] changed = metadataUpdates.get(stateKey);
            return changed == null ? Map.of() : Encoding.decodeMetadataEntries(changed);
        }
        byte[] stored = committedReads.get(ByteBuffer.wrap(stateKey));
        if (stored == null) {
            stored = read(state, stateKey);
        }
        return stored == null || stored == ABSENT ? Map.of() : Encoding.decodeMetadata(stored);
    }

    @Override
    public boolean metadataChangedInBlock(String namespace, String key) {
        return metadataChanged.contains(Encoding.stateKey(Encoding.utf8(namespace), Encoding.utf8(key)));
    }

    private byte[] read(ColumnFamilyHandle family, byte[] key) {
        try {
            return db.get(family, key);
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot read the state: " + e.getMessage(), e);
        }
    }

    /**
     * @return every key the read-write set writes, deletes or changes the metadata of, per namespace in the order the
     *     read-write set first names them (writes, then metadata writes): what a {@link WriteCheck} judges
     */
    static List<KeyWrite> keyWrites(List<NsRwSet> rwset) {
        List<KeyWrite> out = new ArrayList<>();
        for (NsRwSet ns : rwset) {
            String namespace = new String(ns.namespace(), StandardCharsets.UTF_8);
            int size = ns.set().getWritesCount() + ns.set().getMetadataWritesCount();
            Map<String, KeyWrite.Change> changes = new LinkedHashMap<>(size * 2);
            Map<String, byte[]> values = new HashMap<>(size * 2);
            for (KVWrite write : ns.set().getWritesList()) {
                if (changes.get(write.getKey()) == KeyWrite.Change.DELETE) {
                    continue;
                }
                boolean delete = write.getIsDelete() || write.getValue().isEmpty();
                changes.put(write.getKey(), delete ? KeyWrite.Change.DELETE : KeyWrite.Change.PUT);
                values.put(write.getKey(), delete ? null : write.getValue().toByteArray());
            }
            Map<String, Map<String, ByteString>> metadata = new HashMap<>(size * 2);
            for (KVMetadataWrite write : ns.set().getMetadataWritesList()) {
                Map<String, ByteString> entries = new HashMap<>();
                for (KVMetadataEntry entry : write.getEntriesList()) {
                    entries.put(entry.getName(), entry.getValue());
                }
                metadata.put(write.getKey(), entries);
                changes.putIfAbsent(write.getKey(), KeyWrite.Change.UNCHANGED);
            }
            changes.forEach((key, change) -> out.add(
                    new KeyWrite(namespace, key, change, values.get(key), Optional.ofNullable(metadata.get(key)))));
        }
        return out;
    }

    static List<NsRwSet> parse(TxReadWriteSet rwset) throws BadRwSetException {
        if (rwset.getDataModel() != TxReadWriteSet.DataModel.KV) {
            throw new BadRwSetException("unsupported data model " + rwset.getDataModelValue());
        }
        List<NsRwSet> out = new ArrayList<>(rwset.getNsRwsetCount());
        for (NsReadWriteSet ns : rwset.getNsRwsetList()) {
            byte[] namespace = ns.getNamespaceBytes().toByteArray();
            try {
                Encoding.checkNamespace(namespace);
            } catch (IllegalArgumentException e) {
                throw new BadRwSetException("bad namespace: " + e.getMessage());
            }
            KVRWSet set;
            try {
                set = KVRWSet.parseFrom(ns.getRwset());
            } catch (InvalidProtocolBufferException e) {
                throw new BadRwSetException("namespace " + ns.getNamespace() + ": rwset does not decode");
            }
            for (KVWrite write : set.getWritesList()) {
                if (!write.getKeyBytes().isValidUtf8()) {
                    throw new BadRwSetException("namespace " + ns.getNamespace() + ": a key is not valid UTF-8");
                }
            }
            for (KVMetadataWrite write : set.getMetadataWritesList()) {
                if (!write.getKeyBytes().isValidUtf8() || write.getKey().isEmpty()) {
                    throw new BadRwSetException(
                            "namespace " + ns.getNamespace() + ": a metadata write's key is empty or not valid UTF-8");
                }
            }
            out.add(new NsRwSet(namespace, set));
        }
        return out;
    }

    /**
     * @return {@code VALID}, {@code MVCC_READ_CONFLICT} or {@code PHANTOM_READ_CONFLICT}; namespaces are checked in
     *     order, and in each one the reads before the range queries
     * @throws RocksDBException if the state cannot be read
     */
    TxValidationCode validate(List<NsRwSet> rwset) throws RocksDBException {
        committedReads.clear();
        for (NsRwSet ns : rwset) {
            for (KVRead read : ns.set().getReadsList()) {
                if (!readIsCurrent(ns.namespace(), read)) {
                    return TxValidationCode.MVCC_READ_CONFLICT;
                }
            }
            for (RangeQueryInfo range : ns.set().getRangeQueriesInfoList()) {
                if (!RangeRescan.isCurrent(db, state, blockNumber, updates, ns.namespace(), range)) {
                    return TxValidationCode.PHANTOM_READ_CONFLICT;
                }
            }
        }
        return TxValidationCode.VALID;
    }

    /**
     * @return what a transaction's read-write set does to each key it writes, by state key: a delete (or an empty
     *     value) wins over the key's puts, else its last put counts; a delete's value is empty
     */
    static TreeMap<byte[], Write> writes(List<NsRwSet> rwset) {
        TreeMap<byte[], Write> writes = new TreeMap<>(Encoding.BYTEWISE);
        for (NsRwSet ns : rwset) {
            for (KVWrite write : ns.set().getWritesList()) {
                byte[] key = write.getKeyBytes().toByteArray();
                byte[] stateKey = Encoding.stateKey(ns.namespace(), key);
                writes.put(stateKey, combine(writes.get(stateKey), ns.namespace(), key, write));
            }
        }
        return writes;
    }

    /**
     * @return what a transaction does to a key once {@code write} follows {@code previous} (null: none) in its write
     *     set: a delete (or an empty value) wins, else the last put
     */
    static Write combine(Write previous, byte[] namespace, byte[] key, KVWrite write) {
        if (previous != null && previous.delete()) {
            return previous;
        }
        boolean delete = write.getIsDelete() || write.getValue().isEmpty();
        return new Write(
                namespace, key, delete, delete ? new byte[0] : write.getValue().toByteArray());
    }

    /** Records the writes of a valid transaction; later transactions of the block see them. */
    List<Write> apply(List<NsRwSet> rwset, int txNumber) {
        TreeMap<byte[], Write> writes = writes(rwset);
        List<Write> out = new ArrayList<>(writes.size());
        for (Map.Entry<byte[], Write> entry : writes.entrySet()) {
            Write write = entry.getValue();
            updates.put(entry.getKey(), new StateUpdate(txNumber, write.delete() ? null : write.value()));
            if (write.delete()) {
                metadataUpdates.put(entry.getKey(), null);
                metadataChanged.add(entry.getKey());
            }
            out.add(write);
        }
        for (NsRwSet ns : rwset) {
            for (KVMetadataWrite write : ns.set().getMetadataWritesList()) {
                byte[] stateKey =
                        Encoding.stateKey(ns.namespace(), write.getKeyBytes().toByteArray());
                Write written = writes.get(stateKey);
                if (written != null && written.delete()) {
                    continue; // the delete removed the metadata with the key
                }
                metadataChanged.add(stateKey);
                if (!hasValue(stateKey)) {
                    continue; // a key without a value has no metadata: Fabric drops such a change
                }
                Map<String, ByteString> entries = new TreeMap<>();
                for (KVMetadataEntry entry : write.getEntriesList()) {
                    entries.put(entry.getName(), entry.getValue());
                }
                metadataUpdates.put(stateKey, Encoding.metadataValue(entries));
            }
        }
        return out;
    }

    /** @return whether the key has a value once the valid transactions recorded so far apply */
    private boolean hasValue(byte[] stateKey) {
        StateUpdate update = updates.get(stateKey);
        return update != null ? update.value() != null : read(state, stateKey) != null;
    }

    private boolean readIsCurrent(byte[] namespace, KVRead read) throws RocksDBException {
        byte[] stateKey = Encoding.stateKey(namespace, read.getKeyBytes().toByteArray());
        if (updates.containsKey(stateKey)) {
            return false;
        }
        byte[] stored = db.get(state, stateKey);
        committedReads.put(ByteBuffer.wrap(stateKey), stored == null ? ABSENT : stored);
        if (stored == null) {
            return !read.hasVersion();
        }
        if (!read.hasVersion()) {
            return false;
        }
        long[] version = Encoding.stateVersion(stored);
        return read.getVersion().getBlockNum() == version[0]
                && read.getVersion().getTxNum() == version[1];
    }
}
