package dev.dossier.node.ledger;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksIterator;

/** Writes a ledger back into the layouts of earlier formats, to test their migrations. */
final class OlderFormats {
    private OlderFormats() {}

    /**
     * Rewrites the ledger in {@code dir} (closed) as format 3 stored it: each state value as block ‖ tx ‖ value, each
     * key's metadata in the {@code keymeta} column family, plus {@code orphans} (state key to stored metadata) as
     * metadata of keys without a value, which format 3 could hold.
     */
    static void rewriteAsFormat3(Path dir, Map<byte[], byte[]> orphans) throws Exception {
        List<String> families = new ArrayList<>(Store.LEDGER_FAMILIES);
        families.add(Store.KEY_METADATA);
        try (Store store = Store.open(dir, Store.Mode.READ_WRITE, families)) {
            ColumnFamilyHandle state = store.handle(Store.STATE);
            ColumnFamilyHandle keyMetadata = store.handle(Store.KEY_METADATA);
            List<byte[][]> rows = new ArrayList<>();
            try (RocksIterator it = store.db.newIterator(state)) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    rows.add(new byte[][] {it.key(), it.value()});
                }
            }
            for (byte[][] row : rows) {
                VersionedValue value = Encoding.decodeStateValue(row[1]);
                store.db.put(state, row[0], format3(value.blockNumber(), value.txNumber(), value.value()));
                byte[] metadata = Encoding.storedMetadata(row[1]);
                if (metadata != null) {
                    store.db.put(keyMetadata, row[0], metadata);
                }
            }
            for (Map.Entry<byte[], byte[]> orphan : orphans.entrySet()) {
                store.db.put(keyMetadata, orphan.getKey(), orphan.getValue());
            }
            store.db.put(store.handle(Store.META), Encoding.META_FORMAT, new byte[] {3});
        }
    }

    /** @return a state value as format 3 stored it */
    static byte[] format3(long block, long tx, byte[] value) {
        return ByteBuffer.allocate(16 + value.length)
                .putLong(block)
                .putLong(tx)
                .put(value)
                .array();
    }
}
