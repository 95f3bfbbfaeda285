package dev.dossier.node.ledger;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.hyperledger.fabric.protos.common.Block;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;

/**
 * The read side of a {@link Ledger}: committed blocks, the tx index, world state, key metadata, range scans and key
 * history, decoded from their column families. Arguments are checked before the database is touched; every read
 * runs under the ledger's {@link Guard}, which refuses reads after close and reports storage failures. The
 * contracts are those of the {@link Ledger} methods of the same names.
 */
final class LedgerReads {
    /** A read of the database. */
    interface ReadOp<T> {
        T run() throws RocksDBException;
    }

    /** Runs a read while the ledger is open, turning storage failures and corrupt entries into unchecked errors. */
    interface Guard {
        <T> T read(Supplier<String> what, ReadOp<T> op);
    }

    private final Path directory;
    private final Store store;
    private final Guard guard;

    LedgerReads(Path directory, Store store, Guard guard) {
        this.directory = directory;
        this.store = store;
        this.guard = guard;
    }

    Optional<Block> block(long number) {
        if (number < 0) {
            throw new IllegalArgumentException("block number " + number + " is negative");
        }
        return guard.read(() -> "read block " + number, () -> storedBlock(number, false));
    }

    /** @param aliased whether the block's bytes fields are views of the bytes read (for a look that keeps nothing) */
    private Optional<Block> storedBlock(long number, boolean aliased) throws RocksDBException {
        byte[] stored = store.db.get(store.handle(Store.BLOCKS), Encoding.blockKey(number));
        if (stored == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Envelopes.parse(Block.parser(), UnsafeByteOperations.unsafeWrap(stored), aliased));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("ledger in " + directory + ": block " + number + " does not decode", e);
        }
    }

    Optional<TxStatus> transaction(String txId) {
        requireNonNull(txId, "txId");
        return guard.read(() -> "look up tx " + txId, () -> {
            byte[] stored = store.db.get(store.handle(Store.TX_INDEX), Encoding.utf8(txId));
            return stored == null ? Optional.empty() : Optional.of(Encoding.decodeTxIndexValue(stored));
        });
    }

    Optional<VersionedValue> get(String namespace, String key) {
        byte[] stateKey = Encoding.stateKey(Encoding.namespace(namespace), Encoding.utf8(requireNonNull(key, "key")));
        return guard.read(() -> "get " + Encoding.display(namespace, key), () -> {
            byte[] stored = store.db.get(store.handle(Store.STATE), stateKey);
            return stored == null ? Optional.empty() : Optional.of(Encoding.decodeStateValue(stored));
        });
    }

    Map<String, ByteString> metadata(String namespace, String key) {
        byte[] stateKey = Encoding.stateKey(Encoding.namespace(namespace), Encoding.utf8(requireNonNull(key, "key")));
        return guard.read(() -> "metadata of " + Encoding.display(namespace, key), () -> {
            byte[] stored = store.db.get(store.handle(Store.STATE), stateKey);
            return stored == null ? Map.<String, ByteString>of() : Encoding.decodeMetadata(stored);
        });
    }

    List<StateEntry> range(String namespace, String startKey, String endKey, int limit) {
        byte[] ns = Encoding.namespace(namespace);
        byte[] from = Encoding.stateKey(ns, Encoding.utf8(requireNonNull(startKey, "startKey")));
        byte[] to = requireNonNull(endKey, "endKey").isEmpty()
                ? Encoding.namespaceEnd(ns)
                : Encoding.stateKey(ns, Encoding.utf8(endKey));
        if (limit < 0) {
            throw new IllegalArgumentException("limit " + limit + " is negative");
        }
        if (limit == 0 || Encoding.BYTEWISE.compare(from, to) >= 0) {
            return List.of();
        }
        return guard.read(() -> "range scan of " + namespace, () -> {
            List<StateEntry> out = new ArrayList<>(Math.min(limit, 256));
            try (Slice lower = new Slice(from);
                    Slice upper = new Slice(to);
                    ReadOptions options =
                            new ReadOptions().setIterateLowerBound(lower).setIterateUpperBound(upper);
                    RocksIterator it = store.db.newIterator(store.handle(Store.STATE), options)) {
                for (it.seek(from); it.isValid() && out.size() < limit; it.next()) {
                    out.add(new StateEntry(Encoding.stateKeyName(it.key()), Encoding.decodeStateValue(it.value())));
                }
                it.status();
            }
            return List.copyOf(out);
        });
    }

    /** Each entry is read from the block its pointer names; a key's entries of one block share one read of it. */
    List<HistoryEntry> history(String namespace, String key) {
        byte[] ns = Encoding.namespace(namespace);
        byte[] keyBytes = Encoding.utf8(requireNonNull(key, "key"));
        byte[] prefix = Encoding.historyPrefix(ns, keyBytes);
        byte[] last = Arrays.copyOf(prefix, prefix.length + 16);
        Arrays.fill(last, prefix.length, last.length, (byte) 0xff);
        return guard.read(() -> "history of " + Encoding.display(namespace, key), () -> {
            List<HistoryEntry> out = new ArrayList<>();
            Block block = null;
            try (Slice lower = new Slice(prefix);
                    ReadOptions options = new ReadOptions().setIterateLowerBound(lower);
                    RocksIterator it = store.db.newIterator(store.handle(Store.HISTORY), options)) {
                for (it.seekForPrev(last); it.isValid(); it.prev()) {
                    byte[] k = it.key();
                    if (k.length != prefix.length + 16
                            || !Arrays.equals(k, 0, prefix.length, prefix, 0, prefix.length)) {
                        break;
                    }
                    long[] pointer = Encoding.historyPointer(k);
                    if (block == null || block.getHeader().getNumber() != pointer[0]) {
                        block = storedBlock(pointer[0], true)
                                .orElseThrow(() -> new IllegalArgumentException("the key history names block "
                                        + pointer[0] + ", which the ledger does not hold"));
                    }
                    out.add(KeyHistory.entry(block, pointer[1], ns, keyBytes));
                }
                it.status();
            }
            return List.copyOf(out);
        });
    }

    long property(String family, String property) {
        requireNonNull(property, "property");
        if (!Store.LEDGER_FAMILIES.contains(family)) {
            throw new IllegalArgumentException("no column family " + family + " in the ledger");
        }
        return guard.read(() -> "read " + property, () -> store.db.getLongProperty(store.handle(family), property));
    }
}
