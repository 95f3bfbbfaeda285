package dev.dossier.node.ledger;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.logging.Logger;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Upgrades a ledger of format 3, which kept each key's metadata in a column family of its own ({@code keymeta}), to
 * format 4, which stores it in the key's state value (see {@code Encoding}): every state value is rewritten, in key
 * order and in batches, with the key's metadata; then the format is set and {@code keymeta} is dropped.
 *
 * <p>Safe to interrupt: each batch records the last key it rewrote ({@link Encoding#META_MIGRATED_UP_TO}) with its
 * rows, so a migration cut short goes on after that key at the next open, and the format is written last. Metadata
 * of a key without a value (a format 3 ledger kept it; Fabric and format 4 do not) is dropped, and counted in the
 * log.
 */
final class MetadataMigration {
    private static final Logger LOG = Logger.getLogger(MetadataMigration.class.getName());
    private static final int BATCH = 10_000;

    private MetadataMigration() {}

    static void run(Store store, Path directory) throws RocksDBException {
        ColumnFamilyHandle state = store.handle(Store.STATE);
        ColumnFamilyHandle meta = store.handle(Store.META);
        ColumnFamilyHandle keyMetadata = store.handle(Store.KEY_METADATA);
        byte[] resumeAfter = store.db.get(meta, Encoding.META_MIGRATED_UP_TO);
        LOG.info(() -> "ledger in " + directory + " has format " + Encoding.FORMAT_SEPARATE_METADATA
                + ": moving its key metadata into the state values (format " + Encoding.FORMAT_VERSION + ")"
                + (resumeAfter == null ? "" : ", going on after the key " + Encoding.displayStateKey(resumeAfter)));
        long migrated = 0;
        try (WriteOptions sync = new WriteOptions().setSync(true);
                WriteBatch batch = new WriteBatch();
                RocksIterator it = store.db.newIterator(state)) {
            if (resumeAfter == null) {
                it.seekToFirst();
            } else {
                it.seek(resumeAfter);
                if (it.isValid() && Arrays.equals(it.key(), resumeAfter)) {
                    it.next();
                }
            }
            for (; it.isValid(); it.next()) {
                byte[] key = it.key();
                batch.put(state, key, Encoding.format3StateValue(it.value(), store.db.get(keyMetadata, key)));
                migrated++;
                if (batch.count() >= BATCH) {
                    batch.put(meta, Encoding.META_MIGRATED_UP_TO, key);
                    store.db.write(sync, batch);
                    batch.clear();
                }
            }
            it.status();
            batch.put(meta, Encoding.META_FORMAT, new byte[] {Encoding.FORMAT_VERSION});
            batch.delete(meta, Encoding.META_MIGRATED_UP_TO);
            store.db.write(sync, batch);
        }
        long orphans = countOrphans(store, state, keyMetadata);
        store.drop(Store.KEY_METADATA);
        long rows = migrated;
        LOG.info(() -> "ledger in " + directory + ": " + rows + " state values migrated to format "
                + Encoding.FORMAT_VERSION
                + (orphans == 0 ? "" : "; dropped the metadata of " + orphans + " keys without a value"));
    }

    /** @return how many keys of {@code keyMetadata} have no state value */
    private static long countOrphans(Store store, ColumnFamilyHandle state, ColumnFamilyHandle keyMetadata)
            throws RocksDBException {
        long orphans = 0;
        try (RocksIterator it = store.db.newIterator(keyMetadata)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                if (store.db.get(state, it.key()) == null) {
                    orphans++;
                }
            }
            it.status();
        }
        return orphans;
    }
}
