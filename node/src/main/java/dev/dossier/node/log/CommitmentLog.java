package dev.dossier.node.log;

import dev.dossier.common.merkle.Rfc9162;
import dev.dossier.node.ledger.DerivedState;
import dev.dossier.node.ledger.DerivedStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.hyperledger.fabric.protos.common.Block;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The RFC 9162 Merkle log of anchored commitments, stored in its own RocksDB. It keeps the hash of every complete,
 * aligned subtree (2 writes per leaf, amortised), so the root of any past size and inclusion and consistency proofs
 * need O(log² n) reads and never change once written.
 *
 * <p>The log is derived state: {@link #apply} folds the next block in, and a log that is behind the ledger (for
 * example after a crash between the block's commit and the log's own write) is brought up to date by applying the
 * missing blocks again. Each block is applied in one atomic write batch together with the applied height.
 *
 * <p>Beside the tree, the log keeps each leaf's data ({@link LogLeaves}: the commitment, then the public entry of
 * what its transaction wrote; stored without the entry's repetition of the commitment, {@link StoredLeaf}), so that a receipt can carry the entry without reading blocks back. That costs about the size of
 * an entry (a few hundred bytes of JSON, compressed by RocksDB) per leaf, a fraction of what the transaction's envelope
 * with its certificates and signatures already takes in the ledger; the memory used stays bounded (RocksDB's caches).
 *
 * <p>The stored layout is versioned: a log written in an earlier leaf format is emptied when opened, and rebuilt from
 * the blocks like a lost log.
 *
 * <p>{@link #apply} is called from one thread at a time; reads may come from any thread.
 */
public final class CommitmentLog implements DerivedState, AutoCloseable {
    private static final byte NODE = 'n';
    private static final byte INDEX = 'c';
    private static final byte LEAF = 'l';
    private static final byte BLOCK_SIZE = 'b';
    private static final byte[] SIZE_KEY = {'m', 's'};
    private static final byte[] COSIGNED_KEY = {'m', 'k'};
    /**
     * Version of the stored layout and leaf format; 1: leaf data = commitment || entry bytes as written; 2: leaf data =
     * commitment || {@link PublicEntry} of the entry written; 3: the same leaf data, stored as {@link StoredLeaf} (the
     * commitment's hex in the entry left out); 4: also the log's size after each block ({@link #sizeAfter}).
     */
    private static final long FORMAT = 4;

    private final String namespace;
    private final DerivedStore store;
    private final RocksDB db;
    private volatile long size;

    private CommitmentLog(String namespace, DerivedStore store) throws RocksDBException {
        this.namespace = namespace;
        this.store = store;
        this.db = store.db();
        this.size = store.readLong(SIZE_KEY);
    }

    /**
     * Opens (or creates) the log of the commitments anchored in {@code namespace}.
     *
     * @throws IOException if the database cannot be opened
     */
    public static CommitmentLog open(Path directory, String namespace) throws IOException {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(namespace, "namespace");
        // Derived from the blocks, its writes not synced (see DerivedStore): unlike the ledger's (see Store), damage
        // here loses nothing that the blocks cannot give back.
        DerivedStore store = DerivedStore.open(directory, FORMAT, "commitment log");
        try {
            return new CommitmentLog(namespace, store);
        } catch (RocksDBException e) {
            store.close();
            throw new IOException("cannot read the commitment log in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** @return the number of leaves */
    public long size() {
        return size;
    }

    /** @return the number of blocks folded into the log; the next block to apply has this number */
    @Override
    public long appliedHeight() {
        return store.appliedHeight();
    }

    /**
     * Appends the commitments anchored by the next block.
     *
     * @throws IllegalArgumentException if the block is not the next one
     * @throws IOException if the write fails
     */
    @Override
    public synchronized void apply(Block block) throws IOException {
        long number = store.requireNext(block);
        List<byte[]> leaves = LogLeaves.anchored(block, namespace);
        long newSize = size;
        try (WriteBatch batch = new WriteBatch()) {
            NodeCache written = new NodeCache();
            for (byte[] leaf : leaves) {
                byte[] commitment = Arrays.copyOf(leaf, LogLeaves.COMMITMENT_BYTES);
                byte[] indexKey = key(INDEX, commitment);
                if (db.get(indexKey) != null || written.hasIndex(commitment)) {
                    continue;
                }
                long index = newSize++;
                batch.put(indexKey, longBytes(index));
                batch.put(leafKey(index), StoredLeaf.encode(leaf));
                written.addIndex(commitment);
                byte[] hash = Rfc9162.leafHash(leaf);
                int level = 0;
                long at = index;
                put(batch, written, level, at, hash);
                while ((at & 1) == 1) {
                    byte[] left = written.node(level, at - 1);
                    if (left == null) {
                        left = db.get(nodeKey(level, at - 1));
                    }
                    hash = Rfc9162.nodeHash(left, hash);
                    level++;
                    at >>>= 1;
                    put(batch, written, level, at, hash);
                }
            }
            batch.put(SIZE_KEY, longBytes(newSize));
            batch.put(blockSizeKey(number), longBytes(newSize));
            store.write(batch, number);
        } catch (RocksDBException e) {
            throw new IOException("cannot append block " + number + " to the commitment log: " + e.getMessage(), e);
        }
        size = newSize;
    }

    private static void put(WriteBatch batch, NodeCache written, int level, long index, byte[] hash)
            throws RocksDBException {
        batch.put(nodeKey(level, index), hash);
        written.putNode(level, index, hash);
    }

    /**
     * @return the number of leaves once block {@code number} was folded in (the leaves of blocks 0 to {@code number}),
     *     or empty if the log has not applied that block yet
     */
    public OptionalLong sizeAfter(long number) {
        byte[] value = number < 0 ? null : get(blockSizeKey(number));
        return value == null
                ? OptionalLong.empty()
                : OptionalLong.of(ByteBuffer.wrap(value).getLong());
    }

    /** @return the leaf index of the commitment, if it was anchored */
    public OptionalLong indexOf(byte[] commitment) {
        byte[] value = get(key(INDEX, commitment));
        return value == null
                ? OptionalLong.empty()
                : OptionalLong.of(ByteBuffer.wrap(value).getLong());
    }

    /**
     * Keeps {@code note} as the latest cosigned checkpoint of the log, durably (synced to disk before returning). The
     * caller checks it first; the log only stores it.
     *
     * @param note a cosigned checkpoint of this log, C2SP signed-note wire form
     * @throws IOException if the write fails
     */
    public void storeCosignedCheckpoint(String note) throws IOException {
        Objects.requireNonNull(note, "note");
        try (WriteOptions sync = new WriteOptions().setSync(true)) {
            db.put(sync, COSIGNED_KEY, note.getBytes(StandardCharsets.UTF_8));
        } catch (RocksDBException e) {
            throw new IOException("cannot store the cosigned checkpoint: " + e.getMessage(), e);
        }
    }

    /**
     * @return the latest cosigned checkpoint stored by {@link #storeCosignedCheckpoint}, if any (none after the log
     *     was rebuilt)
     */
    public Optional<String> cosignedCheckpoint() {
        byte[] value = get(COSIGNED_KEY);
        return value == null ? Optional.empty() : Optional.of(new String(value, StandardCharsets.UTF_8));
    }

    /**
     * @return a copy of the data of leaf {@code index}: the 32 commitment bytes, then the public entry (see {@link
     *     LogLeaves})
     * @throws IllegalArgumentException if the log has no such leaf
     */
    public byte[] leafData(long index) {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("leaf " + index + " is not in the log of " + size + " leaves");
        }
        byte[] stored = get(leafKey(index));
        if (stored == null) {
            throw new IllegalStateException("commitment log is missing the data of leaf " + index);
        }
        try {
            return StoredLeaf.decode(stored);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                    "commitment log: the data of leaf " + index + " is corrupt: " + e.getMessage(), e);
        }
    }

    /**
     * @return the root of the tree of the first {@code treeSize} leaves
     * @throws IllegalArgumentException if the log is smaller
     */
    public byte[] root(long treeSize) {
        checkSize(treeSize);
        return treeSize == 0 ? Rfc9162.emptyRoot() : subtree(0, treeSize);
    }

    /** @return the RFC 9162 inclusion proof of leaf {@code index} in the tree of {@code treeSize} leaves */
    public List<byte[]> inclusionProof(long index, long treeSize) {
        checkSize(treeSize);
        if (index < 0 || index >= treeSize) {
            throw new IllegalArgumentException("leaf " + index + " is not in a tree of " + treeSize);
        }
        List<byte[]> proof = new ArrayList<>();
        path(index, 0, treeSize, proof);
        return proof;
    }

    /** @return the RFC 9162 consistency proof from the tree of {@code size1} leaves to the tree of {@code size2} */
    public List<byte[]> consistencyProof(long size1, long size2) {
        checkSize(size2);
        if (size1 < 1 || size1 > size2) {
            throw new IllegalArgumentException("no consistency proof from " + size1 + " to " + size2);
        }
        List<byte[]> proof = new ArrayList<>();
        if (size1 < size2) {
            subproof(size1, 0, size2, true, proof);
        }
        return proof;
    }

    private void path(long m, long start, long n, List<byte[]> out) {
        if (n == 1) {
            return;
        }
        long k = split(n);
        if (m < k) {
            path(m, start, k, out);
            out.add(subtree(start + k, n - k));
        } else {
            path(m - k, start + k, n - k, out);
            out.add(subtree(start, k));
        }
    }

    private void subproof(long m, long start, long n, boolean complete, List<byte[]> out) {
        if (m == n) {
            if (!complete) {
                out.add(subtree(start, n));
            }
            return;
        }
        long k = split(n);
        if (m <= k) {
            subproof(m, start, k, complete, out);
            out.add(subtree(start + k, n - k));
        } else {
            subproof(m - k, start + k, n - k, false, out);
            out.add(subtree(start, k));
        }
    }

    /** Merkle Tree Hash of leaves {@code [start, start + n)}, where start is aligned as RFC 9162's recursion aligns it. */
    private byte[] subtree(long start, long n) {
        if (Long.bitCount(n) == 1 && start % n == 0) {
            int level = Long.numberOfTrailingZeros(n);
            byte[] hash = get(nodeKey(level, start >>> level));
            if (hash == null) {
                throw new IllegalStateException("commitment log is missing node " + level + "/" + (start >>> level));
            }
            return hash;
        }
        long k = split(n);
        return Rfc9162.nodeHash(subtree(start, k), subtree(start + k, n - k));
    }

    /** The largest power of two smaller than n (n > 1). */
    private static long split(long n) {
        return Long.highestOneBit(n - 1);
    }

    private void checkSize(long treeSize) {
        if (treeSize < 0 || treeSize > size) {
            throw new IllegalArgumentException("tree size " + treeSize + " is beyond the log's " + size + " leaves");
        }
    }

    private byte[] get(byte[] key) {
        try {
            return db.get(key);
        } catch (RocksDBException e) {
            throw new IllegalStateException("commitment log read failed: " + e.getMessage(), e);
        }
    }

    private static byte[] nodeKey(int level, long index) {
        return ByteBuffer.allocate(10)
                .put(NODE)
                .put((byte) level)
                .putLong(index)
                .array();
    }

    private static byte[] blockSizeKey(long number) {
        return ByteBuffer.allocate(9).put(BLOCK_SIZE).putLong(number).array();
    }

    private static byte[] leafKey(long index) {
        return ByteBuffer.allocate(9).put(LEAF).putLong(index).array();
    }

    private static byte[] key(byte prefix, byte[] commitment) {
        return ByteBuffer.allocate(1 + commitment.length)
                .put(prefix)
                .put(commitment)
                .array();
    }

    private static byte[] longBytes(long value) {
        return DerivedStore.longBytes(value);
    }

    @Override
    public synchronized void checkpoint(Path target) throws IOException {
        store.checkpoint(target, "commitment log");
    }

    @Override
    public synchronized void close() {
        store.close();
    }

    /** Nodes and index entries written by the batch being built, which the database does not show yet. */
    private static final class NodeCache {
        private final Map<ByteBuffer, byte[]> nodes = new HashMap<>();
        private final Set<ByteBuffer> indexes = new HashSet<>();

        void putNode(int level, long index, byte[] hash) {
            nodes.put(ByteBuffer.wrap(nodeKey(level, index)), hash);
        }

        byte[] node(int level, long index) {
            return nodes.get(ByteBuffer.wrap(nodeKey(level, index)));
        }

        void addIndex(byte[] commitment) {
            indexes.add(ByteBuffer.wrap(commitment.clone()));
        }

        boolean hasIndex(byte[] commitment) {
            return indexes.contains(ByteBuffer.wrap(commitment));
        }
    }
}
