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
 * format 4, which stores it in the key's state value (see {@code Encoding}): the state and {@code keymeta} are read
 * side by side in key order, and every state value is rewritten with its key's metadata, in batches; then the format
 * is set. {@link ChainHead} drops {@code keymeta} once the format is 4.
 *
 * <p>Safe to interrupt: each batch records the last key it rewrote ({@link Encoding#META_MIGRATED_UP_TO}) with its
 * rows, so a migration cut short goes on after that key at the next open, and the format is written last. Metadata
 * of a key without a value (a format 3 ledger kept it; Fabric and format 4 do not) is dropped, and counted in the
 * log (those after the key the run started from).
 */
final class MetadataMigration {
    private static final Logger LOG = Logger.getLogger(MetadataMigration.class.getName());
    private static final int BATCH = 10_000;

    private MetadataMigration() {}

    static void run(Store store, Path directory) throws RocksDBException {
        ColumnFamilyHandle state = store.handle(Store.STATE);
        ColumnFamilyHandle meta = store.handle(Store.META);
        byte[] resumeAfter = store.db.get(meta, Encoding.META_MIGRATED_UP_TO);
        LOG.info(() -> "ledger in " + directory + " has format " + Encoding.FORMAT_SEPARATE_METADATA
                + ": moving its key metadata into the state values (format " + Encoding.FORMAT_VERSION + ")"
                + (resumeAfter == null ? "" : ", going on after the key " + Encoding.displayStateKey(resumeAfter)));
        long migrated = 0;
        long orphans = 0;
        try (WriteOptions sync = new WriteOptions().setSync(true);
                WriteBatch batch = new WriteBatch();
                RocksIterator rows = store.db.newIterator(state);
                RocksIterator policies = store.db.newIterator(store.handle(Store.KEY_METADATA))) {
            seekAfter(rows, resumeAfter);
            seekAfter(policies, resumeAfter);
            for (; rows.isValid(); rows.next()) {
                byte[] key = rows.key();
                byte[] metadata = null;
                for (; policies.isValid(); policies.next()) {
                    int order = Encoding.BYTEWISE.compare(policies.key(), key);
                    if (order > 0) {
                        break;
                    }
                    if (order == 0) {
                        metadata = policies.value();
                    } else {
                        orphans++;
                    }
                }
                batch.put(state, key, Encoding.format3StateValue(rows.value(), metadata));
                migrated++;
                if (batch.count() >= BATCH) {
                    batch.put(meta, Encoding.META_MIGRATED_UP_TO, key);
                    store.db.write(sync, batch);
                    batch.clear();
                }
            }
            rows.status();
            for (; policies.isValid(); policies.next()) {
                orphans++;
            }
            policies.status();
            batch.put(meta, Encoding.META_FORMAT, new byte[] {Encoding.FORMAT_VERSION});
            batch.delete(meta, Encoding.META_MIGRATED_UP_TO);
            store.db.write(sync, batch);
        }
        long rewritten = migrated;
        long dropped = orphans;
        LOG.info(() -> "ledger in " + directory + ": " + rewritten + " state values migrated to format "
                + Encoding.FORMAT_VERSION
                + (dropped == 0 ? "" : "; dropped the metadata of " + dropped + " keys without a value"));
    }

    /** Positions {@code it} at the first key, or at the first key after {@code key} when it is not null. */
    private static void seekAfter(RocksIterator it, byte[] key) {
        if (key == null) {
            it.seekToFirst();
            return;
        }
        it.seek(key);
        if (it.isValid() && Arrays.equals(it.key(), key)) {
            it.next();
        }
    }
}
