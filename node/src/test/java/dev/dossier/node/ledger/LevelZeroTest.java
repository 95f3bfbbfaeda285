package dev.dossier.node.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.FlushOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.TableProperties;

/** How level 0 of the ledger and of the derived stores fills, is compacted, and is searched. */
class LevelZeroTest {
    @TempDir
    Path dir;

    @Test
    void theStateKeepsSevenFlushedTablesInLevelZero_andCompactsThemAtTheEighth() throws Exception {
        try (Store store = Store.open(dir, Store.Mode.READ_WRITE, Store.LEDGER_FAMILIES);
                FlushOptions wait = new FlushOptions().setWaitForFlush(true)) {
            ColumnFamilyHandle state = store.handle(Store.STATE);
            for (int table = 1; table < Store.LEVEL0_COMPACTION_TRIGGER; table++) {
                // every table spans the same key range, as the random keys of a flushed state table do
                store.db.put(state, bytes("a-" + table), bytes("value-" + table));
                store.db.put(state, bytes("z-" + table), bytes("value-" + table));
                store.db.flush(wait, state);
            }
            waitUntil(() -> store.db.getLongProperty(state, "rocksdb.compaction-pending") == 0
                    && store.db.getLongProperty("rocksdb.num-running-compactions") == 0);
            assertThat(levelZeroTables(store.db, state)).isEqualTo(Store.LEVEL0_COMPACTION_TRIGGER - 1L);

            store.db.put(state, bytes("a-last"), bytes("value-last"));
            store.db.put(state, bytes("z-last"), bytes("value-last"));
            store.db.flush(wait, state);
            waitUntil(() -> levelZeroTables(store.db, state) == 0);
            assertThat(levelZeroTables(store.db, state)).isZero();
            assertThat(store.db.get(state, bytes("a-1"))).isEqualTo(bytes("value-1"));
            assertThat(store.db.get(state, bytes("z-last"))).isEqualTo(bytes("value-last"));
        }
    }

    @Test
    void aDerivedStoresTablesHaveABloomFilter() throws Exception {
        try (DerivedStore store = DerivedStore.open(dir, 1, "test store");
                FlushOptions wait = new FlushOptions().setWaitForFlush(true)) {
            store.db().put(bytes("leaf"), bytes("1"));
            store.db().flush(wait);
            Map<String, TableProperties> tables = store.db().getPropertiesOfAllTables();
            assertThat(tables).isNotEmpty();
            assertThat(tables.values())
                    .allSatisfy(table -> assertThat(table.getFilterPolicyName()).containsIgnoringCase("bloom"));
        }
    }

    private static long levelZeroTables(RocksDB db, ColumnFamilyHandle family) throws Exception {
        return Long.parseLong(
                db.getProperty(family, "rocksdb.num-files-at-level0").trim());
    }

    /** A condition on the database's properties, polled by {@link #waitUntil}. */
    @FunctionalInterface
    private interface Condition {
        boolean holds() throws Exception;
    }

    /** Waits (at most 30 s) until {@code condition} holds; the assertion after it says whether it did. */
    private static void waitUntil(Condition condition) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.holds() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
