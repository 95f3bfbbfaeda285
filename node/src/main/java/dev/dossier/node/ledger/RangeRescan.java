package dev.dossier.node.ledger;

import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.RangeQueryInfo;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;

/**
 * The phantom-read check of one range query at commit: the range is scanned again over the committed state merged
 * with the updates of the block's preceding valid transactions (updates win, deletes hide), and the keys and
 * versions found are compared with what the transaction recorded: its raw reads, or Fabric's Merkle summary of them
 * ({@link RangeMerkleSummary}). When the iterator was not exhausted during simulation, the recorded end key is the
 * last key read and is served too, when present.
 */
final class RangeRescan implements AutoCloseable {
    /** A key of the range with its current version; the key without its namespace. */
    record Found(byte[] key, long block, long tx) {}

    private final RocksDB db;
    private final ColumnFamilyHandle state;
    private final long blockNumber;
    private final NavigableMap<byte[], StateUpdate> updates;
    private final byte[] namespace;
    private final byte[] endStateKey;
    private final boolean includeEnd;
    private final Slice lower;
    private final Slice upper;
    private final ReadOptions options;
    private final RocksIterator committed;
    private final Iterator<Map.Entry<byte[], StateUpdate>> pending;
    private Map.Entry<byte[], StateUpdate> nextPending;
    private boolean endServed;

    /**
     * @return true if re-running {@code range} in {@code namespace} finds exactly what the transaction recorded
     * @param updates the state changes of the block's preceding valid transactions, by state key, bytewise ordered
     * @throws RocksDBException if the state cannot be read
     */
    static boolean isCurrent(
            RocksDB db,
            ColumnFamilyHandle state,
            long blockNumber,
            NavigableMap<byte[], StateUpdate> updates,
            byte[] namespace,
            RangeQueryInfo range)
            throws RocksDBException {
        try (RangeRescan scan = new RangeRescan(db, state, blockNumber, updates, namespace, range)) {
            if (range.hasReadsMerkleHashes()) {
                RangeMerkleSummary summary = new RangeMerkleSummary(range.getReadsMerkleHashes());
                if (!summary.canMatch()) {
                    return false;
                }
                for (Found found = scan.next(); found != null; found = scan.next()) {
                    summary.add(found.key(), found.block(), found.tx());
                }
                return summary.matches();
            }
            for (KVRead expected : range.getRawReads().getKvReadsList()) {
                Found actual = scan.next();
                if (actual == null
                        || !Arrays.equals(actual.key(), expected.getKeyBytes().toByteArray())
                        || !expected.hasVersion()
                        || expected.getVersion().getBlockNum() != actual.block()
                        || expected.getVersion().getTxNum() != actual.tx()) {
                    return false;
                }
            }
            return scan.next() == null;
        }
    }

    private RangeRescan(
            RocksDB db,
            ColumnFamilyHandle state,
            long blockNumber,
            NavigableMap<byte[], StateUpdate> updates,
            byte[] namespace,
            RangeQueryInfo range) {
        this.db = db;
        this.state = state;
        this.blockNumber = blockNumber;
        this.updates = updates;
        this.namespace = namespace;
        byte[] startKey = range.getStartKeyBytes().toByteArray();
        byte[] endKey = range.getEndKeyBytes().toByteArray();
        byte[] from = Encoding.stateKey(namespace, startKey);
        byte[] to = endKey.length == 0 ? Encoding.namespaceEnd(namespace) : Encoding.stateKey(namespace, endKey);
        this.endStateKey = endKey.length == 0 ? null : to;
        this.includeEnd = !range.getItrExhausted() && endKey.length > 0;
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
    Found next() throws RocksDBException {
        while (committed.isValid() || nextPending != null) {
            int order = !committed.isValid()
                    ? 1
                    : nextPending == null ? -1 : Encoding.BYTEWISE.compare(committed.key(), nextPending.getKey());
            if (order < 0) {
                byte[] stateKey = committed.key();
                long[] version = Encoding.stateVersion(committed.value());
                committed.next();
                return found(stateKey, version[0], version[1]);
            }
            if (order == 0) {
                committed.next();
            }
            Map.Entry<byte[], StateUpdate> update = nextPending;
            nextPending = pending.hasNext() ? pending.next() : null;
            if (update.getValue().value() != null) {
                return found(update.getKey(), blockNumber, update.getValue().txNumber());
            }
        }
        committed.status();
        return serveEnd();
    }

    private Found serveEnd() throws RocksDBException {
        if (!includeEnd || endServed) {
            return null;
        }
        endServed = true;
        StateUpdate update = updates.get(endStateKey);
        if (update != null) {
            return update.value() == null ? null : found(endStateKey, blockNumber, update.txNumber());
        }
        byte[] stored = db.get(state, endStateKey);
        if (stored == null) {
            return null;
        }
        long[] version = Encoding.stateVersion(stored);
        return found(endStateKey, version[0], version[1]);
    }

    private Found found(byte[] stateKey, long block, long tx) {
        return new Found(Arrays.copyOfRange(stateKey, namespace.length + 1, stateKey.length), block, tx);
    }

    @Override
    public void close() {
        committed.close();
        options.close();
        upper.close();
        lower.close();
    }
}
