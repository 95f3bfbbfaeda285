package dev.dossier.node.ledger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.logging.Logger;
import org.hyperledger.fabric.protos.common.Block;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WALRecoveryMode;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The RocksDB database of a {@link DerivedState}, with the two keys every one keeps: the layout's version and the
 * height of the blocks folded in. A database of another layout version is emptied when opened, and rebuilt from the
 * blocks like a lost one. Writes are not synced: after a crash, RocksDB's point-in-time recovery keeps the consistent
 * prefix of its write-ahead log (each block is one write batch with its height), and the node folds in the blocks
 * after that height again; unlike the ledger's, damage here loses nothing that the blocks cannot give back.
 *
 * <p>Keys {@code m v} and {@code m h} are this class's; the owner keeps its own under other keys.
 */
public final class DerivedStore implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DerivedStore.class.getName());

    private static final byte[] FORMAT_KEY = {'m', 'v'};
    private static final byte[] HEIGHT_KEY = {'m', 'h'};

    static {
        RocksDB.loadLibrary();
    }

    private final Options options;
    private final BloomFilter filter;
    private final RocksDB db;
    private final WriteOptions writeOptions = new WriteOptions();
    private volatile long appliedHeight;

    private DerivedStore(Options options, BloomFilter filter, RocksDB db, long format, String what, Path directory)
            throws RocksDBException {
        this.options = options;
        this.filter = filter;
        this.db = db;
        long stored = readLong(FORMAT_KEY);
        if (stored != format) {
            // an empty database, or one of an earlier layout: (re)build it from the blocks
            if (stored != 0) {
                LOG.info(() -> "the " + what + " in " + directory + " has layout " + stored + ", this version " + format
                        + ": emptied, to be rebuilt from the ledger's blocks");
            }
            db.deleteRange(new byte[] {0}, new byte[] {(byte) 0xFF});
            db.put(FORMAT_KEY, longBytes(format));
        }
        this.appliedHeight = readLong(HEIGHT_KEY);
    }

    /**
     * Opens (or creates) the database in {@code directory}.
     *
     * @param format the owner's layout version
     * @param what what it holds, for errors ("commitment log")
     * @throws IOException if it cannot be opened
     */
    public static DerivedStore open(Path directory, long format, String what) throws IOException {
        Objects.requireNonNull(what, "what");
        Files.createDirectories(directory);
        // a bloom filter per table and in the write buffer: the owner looks up keys that are mostly absent (is this
        // commitment a leaf already?), in the buffer, up to Store.LEVEL0_COMPACTION_TRIGGER tables of level 0 and one
        // of each level below
        BloomFilter filter = new BloomFilter(Store.BLOOM_BITS_PER_KEY);
        Options options = new Options()
                .setCreateIfMissing(true)
                .setWalRecoveryMode(WALRecoveryMode.PointInTimeRecovery)
                .setMemtablePrefixBloomSizeRatio(Store.WRITE_BUFFER_BLOOM_RATIO)
                .setMemtableWholeKeyFiltering(true)
                .setCompressionPerLevel(Store.COMPRESSION_PER_LEVEL)
                .setLevel0FileNumCompactionTrigger(Store.LEVEL0_COMPACTION_TRIGGER)
                .setTableFormatConfig(new BlockBasedTableConfig().setFilterPolicy(filter));
        try {
            return new DerivedStore(
                    options, filter, RocksDB.open(options, directory.toString()), format, what, directory);
        } catch (RocksDBException e) {
            options.close();
            filter.close();
            throw new IOException("cannot open the " + what + " in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** @return the database, for the owner's own keys */
    public RocksDB db() {
        return db;
    }

    /** @return the number of blocks folded in; the next block to apply has this number */
    public long appliedHeight() {
        return appliedHeight;
    }

    /** @return the applied height as the snapshot of {@code read} sees it */
    public long appliedHeight(ReadOptions read) throws RocksDBException {
        byte[] value = db.get(read, HEIGHT_KEY);
        return value == null ? 0 : ByteBuffer.wrap(value).getLong();
    }

    /**
     * @return the block's number
     * @throws IllegalArgumentException if the block is not the next one to apply
     */
    public long requireNext(Block block) {
        long number = block.getHeader().getNumber();
        if (number != appliedHeight) {
            throw new IllegalArgumentException("block " + number + " is not the next block " + appliedHeight);
        }
        return number;
    }

    /** Writes the batch of block {@code number} with the new applied height, as one write. */
    public void write(WriteBatch batch, long number) throws RocksDBException {
        batch.put(HEIGHT_KEY, longBytes(number + 1));
        db.write(writeOptions, batch);
        appliedHeight = number + 1;
    }

    /** @return the long stored under {@code key}, 0 if none */
    public long readLong(byte[] key) throws RocksDBException {
        byte[] value = db.get(key);
        return value == null ? 0 : ByteBuffer.wrap(value).getLong();
    }

    /** @return the 8 big-endian bytes of a long, as {@link #readLong} reads them */
    public static byte[] longBytes(long value) {
        return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }

    /**
     * Writes a consistent copy of the database into {@code target}, which must not exist (a RocksDB checkpoint).
     *
     * @param what what it holds, for errors ("commitment log")
     * @throws IOException if the copy cannot be written
     */
    public void checkpoint(Path target, String what) throws IOException {
        try (org.rocksdb.Checkpoint checkpoint = org.rocksdb.Checkpoint.create(db)) {
            checkpoint.createCheckpoint(target.toString());
        } catch (RocksDBException e) {
            throw new IOException("cannot copy the " + what + " to " + target + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        writeOptions.close();
        db.close();
        options.close();
        filter.close();
    }
}
