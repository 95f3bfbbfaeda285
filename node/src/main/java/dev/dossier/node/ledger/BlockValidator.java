package dev.dossier.node.ledger;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVMetadataEntry;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVMetadataWrite;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.QueryReads;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.QueryReadsMerkleSummary;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.RangeQueryInfo;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.Version;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
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
 *       same range is a {@code PHANTOM_READ_CONFLICT}; when the iterator was not exhausted during simulation, the
 *       recorded end key is the last key read and is included in the re-scan.
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
    /** A pending state change: value null means delete. */
    record Update(long txNumber, byte[] value) {}

    /** One key written by a valid transaction, for the history index. */
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
    private final TreeMap<byte[], Update> updates = new TreeMap<>(Encoding.BYTEWISE);
    /** Metadata changes of the block's valid transactions: the new stored form, or null to remove it. */
    private final TreeMap<byte[], byte[]> metadataUpdates = new TreeMap<>(Encoding.BYTEWISE);

    private final ColumnFamilyHandle keyMetadata;

    BlockValidator(RocksDB db, ColumnFamilyHandle state, ColumnFamilyHandle keyMetadata, long blockNumber) {
        this.db = db;
        this.state = state;
        this.keyMetadata = keyMetadata;
        this.blockNumber = blockNumber;
    }

    /** Adds the state and metadata changes of the block's valid transactions to {@code batch}. */
    void writeUpdates(WriteBatch batch) throws RocksDBException {
        for (Map.Entry<byte[], Update> update : updates.entrySet()) {
            Update u = update.getValue();
            if (u.value() == null) {
                batch.delete(state, update.getKey());
            } else {
                batch.put(state, update.getKey(), Encoding.stateValue(blockNumber, u.txNumber(), u.value()));
            }
        }
        for (Map.Entry<byte[], byte[]> update : metadataUpdates.entrySet()) {
            if (update.getValue() == null) {
                batch.delete(keyMetadata, update.getKey());
            } else {
                batch.put(keyMetadata, update.getKey(), update.getValue());
            }
        }
    }

    @Override
    public Optional<byte[]> value(String namespace, String key) {
        byte[] stateKey = Encoding.stateKey(Encoding.utf8(namespace), Encoding.utf8(key));
        Update update = updates.get(stateKey);
        if (update != null) {
            return Optional.ofNullable(update.value());
        }
        byte[] stored = read(state, stateKey);
        return stored == null
                ? Optional.empty()
                : Optional.of(Encoding.decodeStateValue(stored).value());
    }

    @Override
    public Map<String, ByteString> metadata(String namespace, String key) {
        byte[] stateKey = Encoding.stateKey(Encoding.utf8(namespace), Encoding.utf8(key));
        byte[] stored =
                metadataUpdates.containsKey(stateKey) ? metadataUpdates.get(stateKey) : read(keyMetadata, stateKey);
        return stored == null ? Map.of() : Encoding.decodeMetadata(stored);
    }

    @Override
    public boolean metadataChangedInBlock(String namespace, String key) {
        return metadataUpdates.containsKey(Encoding.stateKey(Encoding.utf8(namespace), Encoding.utf8(key)));
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

    /** @return the state changes of the valid transactions so far, ordered by state key */
    NavigableMap<byte[], Update> updates() {
        return Collections.unmodifiableNavigableMap(updates);
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
        for (NsRwSet ns : rwset) {
            for (KVRead read : ns.set().getReadsList()) {
                if (!readIsCurrent(ns.namespace(), read)) {
                    return TxValidationCode.MVCC_READ_CONFLICT;
                }
            }
            for (RangeQueryInfo range : ns.set().getRangeQueriesInfoList()) {
                if (!rangeIsCurrent(ns.namespace(), range)) {
                    return TxValidationCode.PHANTOM_READ_CONFLICT;
                }
            }
        }
        return TxValidationCode.VALID;
    }

    /** Records the writes of a valid transaction; later transactions of the block see them. */
    List<Write> apply(List<NsRwSet> rwset, int txNumber) {
        TreeMap<byte[], Write> writes = new TreeMap<>(Encoding.BYTEWISE);
        for (NsRwSet ns : rwset) {
            for (KVWrite write : ns.set().getWritesList()) {
                byte[] key = write.getKeyBytes().toByteArray();
                boolean delete = write.getIsDelete() || write.getValue().isEmpty();
                byte[] stateKey = Encoding.stateKey(ns.namespace(), key);
                Write previous = writes.get(stateKey);
                if (previous != null && previous.delete()) {
                    continue;
                }
                byte[] value = delete ? new byte[0] : write.getValue().toByteArray();
                writes.put(stateKey, new Write(ns.namespace(), key, delete, value));
            }
        }
        List<Write> out = new ArrayList<>(writes.size());
        for (Map.Entry<byte[], Write> entry : writes.entrySet()) {
            Write write = entry.getValue();
            updates.put(entry.getKey(), new Update(txNumber, write.delete() ? null : write.value()));
            if (write.delete()) {
                metadataUpdates.put(entry.getKey(), null);
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
                Map<String, ByteString> entries = new TreeMap<>();
                for (KVMetadataEntry entry : write.getEntriesList()) {
                    entries.put(entry.getName(), entry.getValue());
                }
                metadataUpdates.put(stateKey, Encoding.metadataValue(entries));
            }
        }
        return out;
    }

    private boolean readIsCurrent(byte[] namespace, KVRead read) throws RocksDBException {
        byte[] stateKey = Encoding.stateKey(namespace, read.getKeyBytes().toByteArray());
        if (updates.containsKey(stateKey)) {
            return false;
        }
        byte[] stored = db.get(state, stateKey);
        if (stored == null) {
            return !read.hasVersion();
        }
        if (!read.hasVersion()) {
            return false;
        }
        long[] version = Encoding.stateVersion(stored);
        return sameVersion(read.getVersion(), version[0], version[1]);
    }

    private static boolean sameVersion(Version version, long block, long tx) {
        return version.getBlockNum() == block && version.getTxNum() == tx;
    }

    private boolean rangeIsCurrent(byte[] namespace, RangeQueryInfo range) throws RocksDBException {
        byte[] endKey = range.getEndKeyBytes().toByteArray();
        try (Scan scan =
                new Scan(namespace, range.getStartKeyBytes().toByteArray(), endKey, !range.getItrExhausted())) {
            if (range.hasReadsMerkleHashes()) {
                return merkleMatches(range.getReadsMerkleHashes(), scan);
            }
            for (KVRead expected : range.getRawReads().getKvReadsList()) {
                Result actual = scan.next();
                if (actual == null
                        || !Arrays.equals(actual.key(), expected.getKeyBytes().toByteArray())
                        || !expected.hasVersion()
                        || !sameVersion(expected.getVersion(), actual.block(), actual.tx())) {
                    return false;
                }
            }
            return scan.next() == null;
        }
    }

    // ---- range re-scan over committed state + updates

    /** A key of a range scan with its current version; the key without its namespace. */
    private record Result(byte[] key, long block, long tx) {}

    /**
     * Merges the committed keys of {@code [start, end)} with the block's updates (updates win, deletes hide), then
     * serves {@code end} itself when asked and present.
     */
    private final class Scan implements AutoCloseable {
        private final byte[] namespace;
        private final byte[] endStateKey;
        private final boolean includeEnd;
        private final Slice lower;
        private final Slice upper;
        private final ReadOptions options;
        private final RocksIterator committed;
        private final Iterator<Map.Entry<byte[], Update>> pending;
        private Map.Entry<byte[], Update> nextPending;
        private boolean endServed;

        Scan(byte[] namespace, byte[] startKey, byte[] endKey, boolean includeEnd) {
            this.namespace = namespace;
            byte[] from = Encoding.stateKey(namespace, startKey);
            byte[] to = endKey.length == 0 ? Encoding.namespaceEnd(namespace) : Encoding.stateKey(namespace, endKey);
            this.endStateKey = endKey.length == 0 ? null : to;
            this.includeEnd = includeEnd && endKey.length > 0;
            boolean empty = Encoding.BYTEWISE.compare(from, to) >= 0;
            this.lower = new Slice(from);
            this.upper = new Slice(empty ? from : to); // [from, from) is empty
            this.options = new ReadOptions().setIterateLowerBound(lower).setIterateUpperBound(upper);
            this.committed = db.newIterator(state, options);
            committed.seek(from);
            this.pending = empty
                    ? Collections.emptyIterator()
                    : updates.subMap(from, true, to, false).entrySet().iterator();
            this.nextPending = pending.hasNext() ? pending.next() : null;
        }

        /** @return the next live key, or null when the range is exhausted */
        Result next() throws RocksDBException {
            while (committed.isValid() || nextPending != null) {
                int order = !committed.isValid()
                        ? 1
                        : nextPending == null ? -1 : Encoding.BYTEWISE.compare(committed.key(), nextPending.getKey());
                if (order < 0) {
                    byte[] stateKey = committed.key();
                    long[] version = Encoding.stateVersion(committed.value());
                    committed.next();
                    return result(stateKey, version[0], version[1]);
                }
                if (order == 0) {
                    committed.next();
                }
                Map.Entry<byte[], Update> update = nextPending;
                nextPending = pending.hasNext() ? pending.next() : null;
                if (update.getValue().value() != null) {
                    return result(
                            update.getKey(), blockNumber, update.getValue().txNumber());
                }
            }
            committed.status();
            return serveEnd();
        }

        private Result serveEnd() throws RocksDBException {
            if (!includeEnd || endServed) {
                return null;
            }
            endServed = true;
            Update update = updates.get(endStateKey);
            if (update != null) {
                return update.value() == null ? null : result(endStateKey, blockNumber, update.txNumber());
            }
            byte[] stored = db.get(state, endStateKey);
            if (stored == null) {
                return null;
            }
            long[] version = Encoding.stateVersion(stored);
            return result(endStateKey, version[0], version[1]);
        }

        private Result result(byte[] stateKey, long block, long tx) {
            return new Result(Arrays.copyOfRange(stateKey, namespace.length + 1, stateKey.length), block, tx);
        }

        @Override
        public void close() {
            committed.close();
            options.close();
            upper.close();
            lower.close();
        }
    }

    // ---- Fabric's Merkle summary of range query results (rwsetutil.RangeQueryResultsHelper)

    private static boolean merkleMatches(QueryReadsMerkleSummary expected, Scan scan) throws RocksDBException {
        long maxDegree = Integer.toUnsignedLong(expected.getMaxDegree());
        if (maxDegree < 2) {
            return false;
        }
        MerkleTree tree = new MerkleTree(maxDegree);
        List<KVRead> pendingReads = new ArrayList<>();
        for (Result result = scan.next(); result != null; result = scan.next()) {
            pendingReads.add(KVRead.newBuilder()
                    .setKeyBytes(ByteString.copyFrom(result.key()))
                    .setVersion(Version.newBuilder().setBlockNum(result.block()).setTxNum(result.tx()))
                    .build());
            if (pendingReads.size() > maxDegree) {
                tree.add(hashReads(pendingReads));
                pendingReads.clear();
            }
        }
        if (tree.isEmpty()) {
            return false; // few enough results to have been recorded as raw reads
        }
        if (!pendingReads.isEmpty()) {
            tree.add(hashReads(pendingReads));
        }
        tree.done();
        if (expected.getMaxLevel() != tree.maxLevel) {
            return false;
        }
        List<byte[]> top = tree.levels.getOrDefault(tree.maxLevel, List.of());
        if (top.size() != expected.getMaxLevelHashesCount()) {
            return false;
        }
        for (int i = 0; i < top.size(); i++) {
            if (!Arrays.equals(top.get(i), expected.getMaxLevelHashes(i).toByteArray())) {
                return false;
            }
        }
        return true;
    }

    private static byte[] hashReads(List<KVRead> reads) {
        return BlockHashes.sha256()
                .digest(QueryReads.newBuilder().addAllKvReads(reads).build().toByteArray());
    }

    /**
     * Fabric's incremental Merkle tree over range results: level 1 holds hashes of groups of {@code maxDegree + 1}
     * results; whenever a level holds more than {@code maxDegree} hashes they are combined (hash of their
     * concatenation) into one hash of the next level.
     */
    private static final class MerkleTree {
        private final long maxDegree;
        private final Map<Integer, List<byte[]>> levels = new TreeMap<>();
        private int maxLevel = 1;

        MerkleTree(long maxDegree) {
            this.maxDegree = maxDegree;
        }

        boolean isEmpty() {
            return maxLevel == 1 && levels.getOrDefault(1, List.of()).isEmpty();
        }

        void add(byte[] leafHash) {
            levels.computeIfAbsent(1, l -> new ArrayList<>()).add(leafHash);
            int level = 1;
            while (levels.get(level).size() > maxDegree) {
                byte[] combined = combine(levels.remove(level));
                level++;
                levels.computeIfAbsent(level, l -> new ArrayList<>()).add(combined);
                maxLevel = Math.max(maxLevel, level);
            }
        }

        void done() {
            int level = 1;
            while (level < maxLevel) {
                List<byte[]> hashes = levels.remove(level);
                level++;
                if (hashes == null || hashes.isEmpty()) {
                    continue;
                }
                byte[] carried = hashes.size() == 1 ? hashes.get(0) : combine(hashes);
                levels.computeIfAbsent(level, l -> new ArrayList<>()).add(carried);
            }
            List<byte[]> top = levels.getOrDefault(maxLevel, List.of());
            if (top.size() > maxDegree) {
                levels.remove(maxLevel);
                maxLevel++;
                levels.put(maxLevel, new ArrayList<>(List.of(combine(top))));
            }
        }

        private static byte[] combine(List<byte[]> hashes) {
            MessageDigest digest = BlockHashes.sha256();
            for (byte[] hash : hashes) {
                digest.update(hash);
            }
            return digest.digest();
        }
    }
}
