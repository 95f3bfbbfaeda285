package dev.dossier.node.revocation;

import dev.dossier.common.entry.LedgerEntry;
import dev.dossier.common.revocation.RevocationList;
import dev.dossier.common.text.StrictUtf8;
import dev.dossier.node.ledger.DerivedState;
import dev.dossier.node.ledger.DerivedStore;
import dev.dossier.node.ledger.NamespaceWrites;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatch;

/**
 * Which commitments of a chaincode's namespace the ledger holds as revoked or superseded, kept from the committed
 * blocks in its own RocksDB database: per commitment its status and the version at which it last changed, and the
 * list's version (the number of changes so far), the height of the blocks folded in and the newest block's time.
 * Every node derives the same versions from the same blocks, so a verifier may take deltas from any of them.
 *
 * <p>A change is a VALID transaction writing a commitment's entry with status {@code revoked} or {@code superseded}
 * where the index held another status (or none). Like the commitment log, the index is derived state, its writes not
 * synced: each block is one write batch with the applied height, and an index behind the ledger (after a crash, or
 * deleted) is brought up to date by applying the missing blocks again.
 *
 * <p>Memory: the index lives on disk; {@link #list} reads it under a snapshot, in commitment order (so the prefixes
 * come sorted), and holds only the answer, 8 bytes per entry. {@link #apply} is called from one thread at a time;
 * reads may come from any thread.
 */
public final class RevocationIndex implements DerivedState, AutoCloseable {
    private static final byte STATUS = 's';
    private static final byte[] VERSION_KEY = {'m', 'n'};
    private static final byte[] TIME_KEY = {'m', 't'};
    /** Version of the stored layout; a database of another layout is emptied and rebuilt from the blocks. */
    private static final long FORMAT = 1;

    static final byte REVOKED = 'r';
    static final byte SUPERSEDED = 's';

    private final String namespace;
    private final String origin;
    private final DerivedStore store;
    private final RocksDB db;

    private RevocationIndex(String namespace, String origin, DerivedStore store) {
        this.namespace = namespace;
        this.origin = origin;
        this.store = store;
        this.db = store.db();
    }

    /**
     * Opens (or creates) the index of the revocations in {@code namespace}.
     *
     * @param origin the commitment log's origin, which the lists name
     * @throws IOException if the database cannot be opened
     */
    public static RevocationIndex open(Path directory, String namespace, String origin) throws IOException {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(origin, "origin");
        return new RevocationIndex(namespace, origin, DerivedStore.open(directory, FORMAT, "revocation index"));
    }

    /**
     * Folds in the next block's revocations and supersessions.
     *
     * @throws IllegalArgumentException if the block is not the next one, or does not decode
     * @throws IOException if the write fails
     */
    @Override
    public synchronized void apply(Block block) throws IOException {
        long number = store.requireNext(block);
        Map<String, Byte> changed = new HashMap<>();
        NamespaceWrites.forEach(block, namespace, (txNumber, kv) -> {
            for (KVWrite write : kv.getWritesList()) {
                byte status = status(write);
                if (status != 0) {
                    changed.put(write.getKey(), status);
                }
            }
        });
        try (WriteBatch batch = new WriteBatch()) {
            long version = store.readLong(VERSION_KEY);
            for (String key : changed.keySet().stream().sorted().toList()) {
                byte[] statusKey = statusKey(HexFormat.of().parseHex(key));
                byte[] stored = db.get(statusKey);
                if (stored == null || stored[0] != changed.get(key)) {
                    version++;
                    batch.put(
                            statusKey,
                            ByteBuffer.allocate(9)
                                    .put(changed.get(key))
                                    .putLong(version)
                                    .array());
                }
            }
            batch.put(VERSION_KEY, DerivedStore.longBytes(version));
            long time = NamespaceWrites.time(block);
            if (time > 0) {
                batch.put(TIME_KEY, DerivedStore.longBytes(time));
            }
            store.write(batch, number);
        } catch (RocksDBException e) {
            throw new IOException("cannot add block " + number + " to the revocation index: " + e.getMessage(), e);
        }
    }

    @Override
    public long appliedHeight() {
        return store.appliedHeight();
    }

    /** @return {@link #REVOKED} or {@link #SUPERSEDED} if the write puts an entry in that status, else 0 */
    static byte status(KVWrite write) {
        if (write.getIsDelete() || !NamespaceWrites.isCommitmentKey(write.getKey())) {
            return 0;
        }
        byte[] value = write.getValue().toByteArray();
        if (!mayNameChange(value)) {
            return 0;
        }
        String status;
        try {
            status = LedgerEntry.parse(StrictUtf8.decode(value)).status();
        } catch (CharacterCodingException | IllegalArgumentException e) {
            return 0; // not an entry: the commit-time rules refuse these; nothing to list
        }
        if (LedgerEntry.REVOKED.equals(status)) {
            return REVOKED;
        }
        return LedgerEntry.SUPERSEDED.equals(status) ? SUPERSEDED : 0;
    }

    private static final byte[] REVOKED_TEXT = LedgerEntry.REVOKED.getBytes(StandardCharsets.UTF_8);
    private static final byte[] SUPERSEDED_TEXT = LedgerEntry.SUPERSEDED.getBytes(StandardCharsets.UTF_8);

    /**
     * @return false only if the value cannot be an entry with status {@code revoked} or {@code superseded}: JSON
     *     without a backslash holds its strings as their own UTF-8 bytes, so such an entry's bytes contain the status
     *     word. Most writes (new entries) are told apart without being parsed.
     */
    private static boolean mayNameChange(byte[] value) {
        for (byte b : value) {
            if (b == '\\') {
                return true;
            }
        }
        return contains(value, REVOKED_TEXT) || contains(value, SUPERSEDED_TEXT);
    }

    private static boolean contains(byte[] value, byte[] word) {
        for (int at = 0; at <= value.length - word.length; at++) {
            if (value[at] == word[0] && Arrays.equals(value, at, at + word.length, word, 0, word.length)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The list as it is now (unsigned): all entries for {@code since} 0, else those that changed after version
     * {@code since}.
     *
     * @throws IllegalArgumentException if {@code since} is beyond the index's version
     */
    public RevocationList list(long since) {
        Snapshot snapshot = db.getSnapshot();
        try (ReadOptions read = new ReadOptions().setSnapshot(snapshot);
                RocksIterator iterator = db.newIterator(read)) {
            long version = longOf(db.get(read, VERSION_KEY));
            if (since < 0 || since > version) {
                throw new IllegalArgumentException(
                        "since " + since + " is beyond this node's list, at version " + version);
            }
            long height = store.appliedHeight(read);
            long time = longOf(db.get(read, TIME_KEY));
            Prefixes revoked = new Prefixes();
            Prefixes superseded = new Prefixes();
            for (iterator.seek(new byte[] {STATUS}); iterator.isValid(); iterator.next()) {
                byte[] key = iterator.key();
                if (key[0] != STATUS) {
                    break;
                }
                ByteBuffer value = ByteBuffer.wrap(iterator.value());
                byte status = value.get();
                if (value.getLong() > since) {
                    (status == REVOKED ? revoked : superseded)
                            .add(ByteBuffer.wrap(key, 1, 8).getLong());
                }
            }
            return new RevocationList(origin, version, since, height, time, revoked.toArray(), superseded.toArray());
        } catch (RocksDBException e) {
            throw new IllegalStateException("revocation index read failed: " + e.getMessage(), e);
        } finally {
            db.releaseSnapshot(snapshot);
        }
    }

    /**
     * Calls {@code each} with every commitment the index holds as revoked or superseded (32 bytes, a fresh array each),
     * in commitment order, read under one snapshot; memory stays constant.
     */
    public void forEachCommitment(Consumer<byte[]> each) {
        Snapshot snapshot = db.getSnapshot();
        try (ReadOptions read = new ReadOptions().setSnapshot(snapshot);
                RocksIterator iterator = db.newIterator(read)) {
            for (iterator.seek(new byte[] {STATUS}); iterator.isValid(); iterator.next()) {
                byte[] key = iterator.key();
                if (key[0] != STATUS) {
                    break;
                }
                each.accept(Arrays.copyOfRange(key, 1, key.length));
            }
        } finally {
            db.releaseSnapshot(snapshot);
        }
    }

    /** @return the index's version: the number of changes folded in */
    public long version() {
        try {
            return store.readLong(VERSION_KEY);
        } catch (RocksDBException e) {
            throw new IllegalStateException("revocation index read failed: " + e.getMessage(), e);
        }
    }

    /** Sorted prefixes, a repeat (two commitments sharing their first 8 bytes) kept once. */
    private static final class Prefixes {
        private long[] values = new long[64];
        private int size;

        void add(long prefix) {
            if (size > 0 && values[size - 1] == prefix) {
                return;
            }
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = prefix;
        }

        long[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }

    private static byte[] statusKey(byte[] commitment) {
        return ByteBuffer.allocate(1 + commitment.length)
                .put(STATUS)
                .put(commitment)
                .array();
    }

    private static long longOf(byte[] value) {
        return value == null ? 0 : ByteBuffer.wrap(value).getLong();
    }

    @Override
    public synchronized void checkpoint(Path target) throws IOException {
        store.checkpoint(target, "revocation index");
    }

    @Override
    public synchronized void close() {
        store.close();
    }
}
