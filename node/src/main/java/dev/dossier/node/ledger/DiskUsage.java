package dev.dossier.node.ledger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * What a stopped node's RocksDB databases take on disk: the table files of each column family (RocksDB's
 * {@code rocksdb.total-sst-files-size}, compressed), the write-ahead logs not yet flushed into table files, and the
 * rest (manifest, options, RocksDB's own log). Opens each database read-only; nothing is written.
 */
public final class DiskUsage {
    /** The table files of one column family of the database in directory {@code database}. */
    public record Family(String database, String family, long tableBytes) {}

    /**
     * One database: its column families, its write-ahead log files' bytes, and every file's bytes (the whole
     * directory).
     */
    public record Database(String name, List<Family> families, long walBytes, long totalBytes) {}

    static {
        RocksDB.loadLibrary();
    }

    private DiskUsage() {}

    /**
     * @param directory a RocksDB database directory (with its {@code CURRENT} file)
     * @param name what it is called in the report ("ledger", "log")
     * @throws IOException if the directory cannot be listed or the database cannot be opened read-only
     */
    public static Database of(Path directory, String name) throws IOException {
        if (!Files.isRegularFile(directory.resolve("CURRENT"))) {
            throw new IOException(directory + " is not a RocksDB database (no CURRENT file)");
        }
        List<Family> families = new ArrayList<>();
        List<byte[]> names;
        try (Options options = new Options()) {
            names = RocksDB.listColumnFamilies(options, directory.toString());
        } catch (RocksDBException e) {
            throw new IOException("cannot list the column families of " + directory + ": " + e.getMessage(), e);
        }
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        for (byte[] family : names) {
            descriptors.add(new ColumnFamilyDescriptor(family));
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions options = new DBOptions();
                RocksDB db = RocksDB.openReadOnly(options, directory.toString(), descriptors, handles)) {
            try {
                for (int i = 0; i < handles.size(); i++) {
                    families.add(new Family(
                            name,
                            new String(names.get(i), StandardCharsets.UTF_8),
                            db.getLongProperty(handles.get(i), "rocksdb.total-sst-files-size")));
                }
            } finally {
                handles.forEach(ColumnFamilyHandle::close);
            }
        } catch (RocksDBException e) {
            throw new IOException("cannot open " + directory + " read-only: " + e.getMessage(), e);
        }
        long wal = 0;
        long total = 0;
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (!Files.isRegularFile(file)) {
                    continue;
                }
                long size = Files.size(file);
                total += size;
                if (file.getFileName().toString().matches("[0-9]+\\.log")) {
                    wal += size;
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return new Database(name, List.copyOf(families), wal, total);
    }
}
