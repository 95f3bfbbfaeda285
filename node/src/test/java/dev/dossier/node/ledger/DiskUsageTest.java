package dev.dossier.node.ledger;

import static dev.dossier.node.ledger.TestTxs.rw;
import static dev.dossier.node.ledger.TestTxs.valid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.TableProperties;

class DiskUsageTest {
    @TempDir
    Path dir;

    private long sizeOf(String suffix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            long total = 0;
            for (Path file : files.filter(f -> f.toString().endsWith(suffix)).toList()) {
                total += Files.size(file);
            }
            return total;
        }
    }

    @Test
    void unflushedBlocksAreWriteAheadLogAndFlushedOnesTableFilesOfTheirFamilies() throws Exception {
        try (Ledger ledger = TestTxs.openWithGenesis(dir)) {
            ledger.commit(List.of(valid("t1", rw().write("k1", "v".repeat(5000)))));
        }
        DiskUsage.Database before = DiskUsage.of(dir, "ledger");
        assertThat(before.families()).allSatisfy(f -> assertThat(f.tableBytes()).isZero());
        assertThat(before.walBytes()).isEqualTo(sizeOf(".log")).isGreaterThan(5000);

        try (Ledger ledger = Ledger.open(dir)) {
            ledger.flush();
        }
        DiskUsage.Database after = DiskUsage.of(dir, "ledger");
        Map<String, Long> tables = after.families().stream()
                .collect(Collectors.toMap(DiskUsage.Family::family, DiskUsage.Family::tableBytes));
        assertThat(tables.keySet()).containsAll(Store.LEDGER_FAMILIES);
        assertThat(tables.get(Store.BLOCKS)).isGreaterThan(0);
        assertThat(tables.get(Store.STATE)).isGreaterThan(0);
        assertThat(tables.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(sizeOf(".sst"));
        long all;
        try (Stream<Path> files = Files.list(dir)) {
            all = files.mapToLong(f -> f.toFile().length()).sum();
        }
        assertThat(after.totalBytes()).isEqualTo(all);
    }

    @Test
    void flushedTablesAreLz4_compactedOnesZstd_blocksZstdThroughout() throws Exception {
        try (Ledger ledger = TestTxs.openWithGenesis(dir)) {
            ledger.commit(List.of(valid("t1", rw().write("k1", "v".repeat(5000)))));
            ledger.flush();
        }
        List<String> others = List.of(Store.STATE, Store.HISTORY, Store.TX_INDEX, Store.META);
        assertThat(compressions(Store.BLOCKS)).containsOnly("ZSTD");
        for (String family : others) {
            assertThat(compressions(family)).as(family).containsOnly("LZ4");
        }

        try (Store store = Store.open(dir, Store.Mode.READ_WRITE, Store.LEDGER_FAMILIES)) {
            for (String family : Store.LEDGER_FAMILIES) {
                store.db.compactRange(store.handle(family));
            }
        }
        for (String family : Store.LEDGER_FAMILIES) {
            assertThat(compressions(family)).as(family).containsOnly("ZSTD");
        }
    }

    /** @return the compression of each table file of the ledger's {@code family} */
    private List<String> compressions(String family) throws Exception {
        try (Store store = Store.open(dir, Store.Mode.READ_ONLY, Store.LEDGER_FAMILIES)) {
            Map<String, TableProperties> tables = store.db.getPropertiesOfAllTables(store.handle(family));
            assertThat(tables).as(family).isNotEmpty();
            return tables.values().stream()
                    .map(TableProperties::getCompressionName)
                    .toList();
        }
    }

    @Test
    void aDirectoryWithoutADatabaseIsAnError() {
        assertThatThrownBy(() -> DiskUsage.of(dir, "ledger"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("is not a RocksDB database");
    }
}
