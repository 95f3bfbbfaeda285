package dev.dossier.node.ledger;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;
import org.rocksdb.WALRecoveryMode;

/**
 * An open RocksDB database with named column families, and every native object it needs; {@link #close} releases
 * them all. Column families present on disk but not asked for are opened too (RocksDB requires it) and closed with
 * the rest, so other components may keep their own column families in the same database.
 */
final class Store implements AutoCloseable {
    static final String BLOCKS = "blocks";
    static final String STATE = "state";
    static final String HISTORY = "history";
    static final String TX_INDEX = "txindex";
    static final String META = "meta";
    /** Key metadata in format 3 of the ledger, which format 4 keeps in the state (see {@code MetadataMigration}). */
    static final String KEY_METADATA = "keymeta";

    private static final String DEFAULT = new String(RocksDB.DEFAULT_COLUMN_FAMILY, StandardCharsets.UTF_8);
    static final List<String> LEDGER_FAMILIES = List.of(BLOCKS, STATE, HISTORY, TX_INDEX, META);
    /** The audit's scratch set of the tx ids seen so far. */
    static final String SCRATCH_TX_IDS = "txids";

    /**
     * Column families that get a bloom filter, in their table files and in their write buffers: those read by point
     * lookups of keys that are often absent (a bulk commit looks up every record's new keys in the state, at
     * endorsement and again at commit, and its tx id in the tx index).
     */
    private static final List<String> FILTERED = List.of(STATE, TX_INDEX, SCRATCH_TX_IDS);

    /**
     * Table block size of the large families (state, history, blocks): larger blocks compress better (the state's
     * table files at 910,000 records: 20% smaller than with RocksDB's 4 KiB, and their compaction a quarter faster).
     * A point lookup of the state then decompresses 16 KiB instead of 4, some tens of microseconds against the
     * milliseconds of a lookup; absent keys are answered by the bloom filter. The small families keep 4 KiB.
     */
    private static final long LARGE_BLOCK_BYTES = 16L << 10;

    private static final List<String> LARGE_BLOCKS = List.of(STATE, HISTORY, BLOCKS);

    /**
     * The compression of every family by level: LZ4 in level 0, ZSTD below. ZSTD's window, unlike LZ4's 64 KiB, spans
     * a whole transaction, which carries each record's entry twice (in its arguments and in its write set), and its
     * entropy coding shrinks the hexadecimal keys (commitments, subjects) that LZ4 leaves as they are; but level 0 is
     * written by every flush of a write buffer, and its tables are soon compacted into the levels below: LZ4 there
     * costs about half the flush's CPU of ZSTD, for level 0's few tables (at most a handful per family) taking more
     * room until they are compacted. Not for the blocks ({@link #BLOCKS_COMPRESSION}). Figures in docs/benchmarks.md.
     */
    static final List<CompressionType> COMPRESSION_PER_LEVEL = List.of(
            CompressionType.LZ4_COMPRESSION,
            CompressionType.ZSTD_COMPRESSION,
            CompressionType.ZSTD_COMPRESSION,
            CompressionType.ZSTD_COMPRESSION,
            CompressionType.ZSTD_COMPRESSION,
            CompressionType.ZSTD_COMPRESSION,
            CompressionType.ZSTD_COMPRESSION);

    /**
     * The blocks' compression, ZSTD at every level: their keys only grow, so RocksDB moves their flushed tables down
     * the levels without rewriting them, which it does only between levels of the same compression.
     */
    private static final CompressionType BLOCKS_COMPRESSION = CompressionType.ZSTD_COMPRESSION;

    /**
     * Tables in level 0 that start a compaction into the level below (RocksDB's default is 4), in every family but the
     * blocks and in the derived stores. The write-ahead-log bound ({@link #MAX_WAL_BYTES}) flushes the write buffers
     * long before they fill (the blocks fill the log): a state table flushed holds about 60,000 records, 16 MB. Keys
     * of the state, the history and the commitment log's index are random, so every compaction of level 0 rewrites
     * the whole bottom level until it outgrows the level base; with 8 tables a compaction, half as many rewrites.
     * Reads of keys that are absent (every new record's, at commit) pass up to 8 tables: the bloom filters of the
     * state, the tx index and the derived stores keep that cheap. Figures in docs/benchmarks.md.
     */
    static final int LEVEL0_COMPACTION_TRIGGER = 8;

    /** Bits per key of the bloom filters, the ledger's and the derived stores': about 1% false positives. */
    static final int BLOOM_BITS_PER_KEY = 10;

    /**
     * Size of a write buffer's bloom filter over whole keys, as a share of the write buffer ({@code
     * memtable_prefix_bloom_size_ratio}): 1.3 MiB for a 64 MiB buffer. Without it a lookup of an absent key searches
     * the buffer's skip list; with it the node used 5% less CPU per record in bulk (docs/benchmarks.md).
     */
    static final double WRITE_BUFFER_BLOOM_RATIO = 0.02;

    private static final long BLOCK_CACHE_BYTES = 64L << 20;
    private static final int MAX_OPEN_FILES = 512;
    /**
     * Write-ahead log kept at most before RocksDB flushes the column families that hold its oldest file. A log file
     * is deleted only once every column family with writes in it has flushed them to table files; the small families
     * (tx index, height, key metadata) take hours to fill a write buffer, so without a bound every block ever written
     * since the node started stays on disk a second time, uncompressed (3 KB per record after 100,000 records).
     */
    private static final long MAX_WAL_BYTES = 128L << 20;

    static {
        RocksDB.loadLibrary();
    }

    enum Mode {
        /** create if missing, read and write, synced writes */
        READ_WRITE,
        /** the database must exist; nothing is written */
        READ_ONLY,
        /** a throw-away database: created fresh, small buffers */
        SCRATCH
    }

    final RocksDB db;
    private final Map<String, ColumnFamilyHandle> handles;
    private final List<AutoCloseable> resources; // closed in reverse order, after the handles and the database

    private Store(RocksDB db, Map<String, ColumnFamilyHandle> handles, List<AutoCloseable> resources) {
        this.db = db;
        this.handles = handles;
        this.resources = resources;
    }

    ColumnFamilyHandle handle(String name) {
        ColumnFamilyHandle handle = handles.get(name);
        if (handle == null) {
            throw new IllegalArgumentException("no column family " + name);
        }
        return handle;
    }

    static Store open(Path directory, Mode mode, List<String> families) throws LedgerException {
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            LRUCache cache = track(resources, new LRUCache(mode == Mode.SCRATCH ? 16L << 20 : BLOCK_CACHE_BYTES));
            BloomFilter bloom = track(resources, new BloomFilter(BLOOM_BITS_PER_KEY));
            DBOptions dbOptions = track(resources, new DBOptions());
            dbOptions
                    .setCreateIfMissing(mode != Mode.READ_ONLY)
                    .setCreateMissingColumnFamilies(mode != Mode.READ_ONLY)
                    .setMaxOpenFiles(MAX_OPEN_FILES)
                    .setMaxBackgroundJobs(2)
                    .setKeepLogFileNum(5);
            if (mode != Mode.SCRATCH) {
                // Recovery of the write-ahead log after a crash. Every ledger write is synced before it is
                // acknowledged, so only the write in progress at a crash (a power loss) can be torn, and it is the
                // last record of the last log: kTolerateCorruptedTailRecords drops such an incomplete tail and opens
                // at the last whole block, but fails on a damaged record with whole records after it. RocksDB's
                // default, kPointInTimeRecovery, would instead stop replaying at that damage and open silently
                // without every later block: acknowledged blocks lost with no error. kAbsoluteConsistency would
                // refuse the torn tail of a crash too. Paranoid checks make any corruption found while opening an
                // error rather than a warning in RocksDB's LOG.
                dbOptions
                        .setWalRecoveryMode(WALRecoveryMode.TolerateCorruptedTailRecords)
                        .setParanoidChecks(true)
                        .setMaxTotalWalSize(MAX_WAL_BYTES);
            }

            List<String> names = new ArrayList<>();
            names.add(DEFAULT);
            names.addAll(families);
            for (String existing : existingFamilies(directory, mode)) {
                if (!names.contains(existing)) {
                    names.add(existing);
                }
            }
            List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
            for (String name : names) {
                ColumnFamilyOptions cfOptions = track(resources, new ColumnFamilyOptions());
                BlockBasedTableConfig table = new BlockBasedTableConfig().setBlockCache(cache);
                if (FILTERED.contains(name)) {
                    table.setFilterPolicy(bloom).setWholeKeyFiltering(true);
                    cfOptions
                            .setMemtablePrefixBloomSizeRatio(WRITE_BUFFER_BLOOM_RATIO)
                            .setMemtableWholeKeyFiltering(true);
                }
                if (LARGE_BLOCKS.contains(name)) {
                    table.setBlockSize(LARGE_BLOCK_BYTES);
                }
                cfOptions.setTableFormatConfig(table);
                if (name.equals(BLOCKS)) {
                    cfOptions.setCompressionType(BLOCKS_COMPRESSION);
                } else {
                    cfOptions.setCompressionPerLevel(COMPRESSION_PER_LEVEL);
                    cfOptions.setLevel0FileNumCompactionTrigger(LEVEL0_COMPACTION_TRIGGER);
                }
                if (mode == Mode.SCRATCH) {
                    cfOptions.setWriteBufferSize(16L << 20);
                }
                descriptors.add(new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.UTF_8), cfOptions));
            }
            List<ColumnFamilyHandle> opened = new ArrayList<>();
            RocksDB db;
            if (mode == Mode.READ_ONLY) {
                db = RocksDB.openReadOnly(dbOptions, directory.toString(), descriptors, opened);
            } else {
                Files.createDirectories(directory);
                db = RocksDB.open(dbOptions, directory.toString(), descriptors, opened);
            }
            Map<String, ColumnFamilyHandle> handles = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                handles.put(names.get(i), opened.get(i));
            }
            for (String name : families) {
                if (!handles.containsKey(name)) {
                    closeAll(new ArrayList<>(handles.values()), db, resources);
                    throw new LedgerException("database " + directory + " has no column family " + name);
                }
            }
            return new Store(db, handles, resources);
        } catch (RocksDBException e) {
            closeAll(List.of(), null, resources);
            if (e.getStatus() != null && e.getStatus().getCode() == Status.Code.Corruption) {
                throw new LedgerException(corruption(directory, e), e);
            }
            throw new LedgerException("cannot open the database in " + directory + ": " + e.getMessage(), e);
        } catch (java.io.IOException e) {
            closeAll(List.of(), null, resources);
            throw new LedgerException("cannot open the database in " + directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * The message for a database RocksDB found corrupt while opening: the directory, RocksDB's words, and the files
     * they name or, when they name none (damage in a write-ahead log record), the write-ahead logs replayed.
     */
    static String corruption(Path directory, RocksDBException e) {
        String message = e.getMessage();
        StringBuilder out = new StringBuilder(
                "the database in " + directory + " is corrupt; not opened (RocksDB: " + message + ")");
        if (message == null || !message.matches("(?s).*[0-9]{6}\\.(log|sst).*")) {
            List<String> logs = new ArrayList<>();
            try (java.util.stream.Stream<Path> files = Files.list(directory)) {
                files.map(f -> f.getFileName().toString())
                        .filter(name -> name.matches("[0-9]+\\.log"))
                        .sorted()
                        .forEach(logs::add);
            } catch (java.io.IOException ignored) {
                // the message without the file names
            }
            if (!logs.isEmpty()) {
                out.append("; write-ahead log(s) replayed: ").append(String.join(", ", logs));
            }
        }
        return out.append(". A damaged record in the middle of a write-ahead log, or a damaged table file, is not"
                        + " skipped: restore this node's data directory from a backup or from another node")
                .toString();
    }

    private static List<String> existingFamilies(Path directory, Mode mode) throws LedgerException {
        if (mode != Mode.READ_ONLY && !Files.exists(directory.resolve("CURRENT"))) {
            return List.of();
        }
        try (Options options = new Options()) {
            List<String> names = new ArrayList<>();
            for (byte[] name : RocksDB.listColumnFamilies(options, directory.toString())) {
                if (!Arrays.equals(name, RocksDB.DEFAULT_COLUMN_FAMILY)) {
                    names.add(new String(name, StandardCharsets.UTF_8));
                }
            }
            return names;
        } catch (RocksDBException e) {
            throw new LedgerException("cannot list the column families of " + directory + ": " + e.getMessage(), e);
        }
    }

    private static <T extends AutoCloseable> T track(List<AutoCloseable> resources, T resource) {
        resources.add(resource);
        return resource;
    }

    private static void closeAll(List<ColumnFamilyHandle> handles, RocksDB db, List<AutoCloseable> resources) {
        for (ColumnFamilyHandle handle : handles) {
            handle.close();
        }
        if (db != null) {
            db.close();
        }
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                // native option objects do not fail to close
            }
        }
    }

    /** Drops the column family {@code name} and everything in it, if the database has it. */
    void drop(String name) throws RocksDBException {
        ColumnFamilyHandle handle = handles.remove(name);
        if (handle != null) {
            db.dropColumnFamily(handle);
            handle.close();
        }
    }

    @Override
    public void close() {
        closeAll(new ArrayList<>(handles.values()), db, resources);
    }
}
