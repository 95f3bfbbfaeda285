package dev.dossier.node.ledger;

import java.nio.file.Path;
import java.util.logging.Logger;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Upgrades a ledger of format 2, whose key history stored each entry's tx id, timestamp and value, to format 3 (which
 * {@link MetadataMigration} then takes to the current format), whose history entries are pointers (the block and transaction; see {@link KeyHistory}): every history value is
 * emptied, in batches, then the format is set and the history's table files are compacted to give the space back.
 * Nothing else changes: the pointers were already the entries' keys.
 *
 * <p>Safe to interrupt: the format is written last, so a migration cut short runs again at the next open, and format
 * 3 reads ignore the values a half-migrated history still holds.
 */
final class HistoryMigration {
    private static final Logger LOG = Logger.getLogger(HistoryMigration.class.getName());
    private static final int BATCH = 10_000;

    private HistoryMigration() {}

    static void run(Store store, Path directory) throws RocksDBException {
        ColumnFamilyHandle history = store.handle(Store.HISTORY);
        LOG.info(() -> "ledger in " + directory + " has format " + Encoding.FORMAT_VALUED_HISTORY
                + ": dropping the values of its key history (format " + Encoding.FORMAT_SEPARATE_METADATA + ")");
        long migrated = 0;
        try (WriteOptions sync = new WriteOptions().setSync(true);
                WriteBatch batch = new WriteBatch();
                RocksIterator it = store.db.newIterator(history)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                batch.put(history, it.key(), Encoding.HISTORY_VALUE);
                migrated++;
                if (batch.count() >= BATCH) {
                    store.db.write(sync, batch);
                    batch.clear();
                }
            }
            it.status();
            store.db.write(sync, batch);
            store.db.put(
                    store.handle(Store.META), sync, Encoding.META_FORMAT, new byte[] {Encoding.FORMAT_SEPARATE_METADATA
                    });
        }
        store.db.compactRange(history);
        long entries = migrated;
        LOG.info(() -> "ledger in " + directory + ": " + entries + " history entries migrated to format "
                + Encoding.FORMAT_SEPARATE_METADATA);
    }
}
