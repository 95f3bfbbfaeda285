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
    private static final String DEFAULT = new String(RocksDB.DEFAULT_COLUMN_FAMILY, StandardCharsets.UTF_8);
    static final List<String> LEDGER_FAMILIES = List.of(BLOCKS, STATE, HISTORY, TX_INDEX, META);
    /** The audit's scratch set of the tx ids seen so far. */
    static final String SCRATCH_TX_IDS = "txids";

    /** Column families that get a bloom filter: those read by point lookups of keys that are often absent. */
    private static final List<String> FILTERED = List.of(STATE, TX_INDEX, SCRATCH_TX_IDS);

    private static final long BLOCK_CACHE_BYTES = 64L << 20;
    private static final int MAX_OPEN_FILES = 512;

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
            BloomFilter bloom = track(resources, new BloomFilter(10));
            DBOptions dbOptions = track(resources, new DBOptions());
            dbOptions
                    .setCreateIfMissing(mode != Mode.READ_ONLY)
                    .setCreateMissingColumnFamilies(mode != Mode.READ_ONLY)
                    .setMaxOpenFiles(MAX_OPEN_FILES)
                    .setMaxBackgroundJobs(2)
                    .setKeepLogFileNum(5);

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
                }
                cfOptions.setTableFormatConfig(table).setCompressionType(CompressionType.LZ4_COMPRESSION);
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
        } catch (RocksDBException | java.io.IOException e) {
            closeAll(List.of(), null, resources);
            throw new LedgerException("cannot open the database in " + directory + ": " + e.getMessage(), e);
        }
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

    @Override
    public void close() {
        closeAll(new ArrayList<>(handles.values()), db, resources);
    }
}
