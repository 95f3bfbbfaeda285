package dev.dossier.node.metrics;

import dev.dossier.node.ledger.Ledger;
import io.micrometer.core.instrument.Tags;
import java.util.List;

/**
 * The ledger's RocksDB storage in metrics, read from RocksDB's properties at each scrape: per column family ({@code
 * family} label: blocks, state, history, txindex, meta) the estimated keys, the live SST files' bytes, the
 * bytes compaction still has to go through and the memtables' bytes; for the whole database the block cache's bytes,
 * the compactions running, the background errors (flushes and compactions that failed, on a full disk say) and whether
 * writes are stopped. A scrape after the ledger closed reads NaN.
 */
public final class LedgerMeters {
    /** A per-family property: its metric name (dotted, after {@code dossier.ledger.rocksdb.}), RocksDB's name, help. */
    private record Property(String metric, String rocksdb, String help) {}

    private static final List<Property> PER_FAMILY = List.of(
            new Property(
                    "estimated.keys", "rocksdb.estimate-num-keys", "Keys in the column family, as RocksDB estimates."),
            new Property(
                    "sst.files.bytes", "rocksdb.live-sst-files-size", "Bytes of the column family's live SST files."),
            new Property(
                    "pending.compaction.bytes",
                    "rocksdb.estimate-pending-compaction-bytes",
                    "Bytes compaction still has to rewrite in the column family, as RocksDB estimates."),
            new Property(
                    "memtable.bytes", "rocksdb.cur-size-all-mem-tables", "Bytes of the column family's memtables."));

    private static final List<Property> WHOLE = List.of(
            new Property(
                    "block.cache.bytes", "rocksdb.block-cache-usage", "Bytes in the ledger's RocksDB block cache."),
            new Property(
                    "running.compactions",
                    "rocksdb.num-running-compactions",
                    "Compactions running in the ledger's RocksDB."),
            new Property(
                    "background.errors",
                    "rocksdb.background-errors",
                    "Errors of the ledger's RocksDB in flushes and compactions since it opened (a full disk, say)."),
            new Property(
                    "write.stopped",
                    "rocksdb.is-write-stopped",
                    "1 while the ledger's RocksDB stops writes (compaction far behind), else 0."));

    private LedgerMeters() {}

    /** Adds the ledger's storage gauges to {@code metrics}. */
    public static void bind(NodeMetrics metrics, Ledger ledger) {
        for (Property property : PER_FAMILY) {
            for (String family : Ledger.COLUMN_FAMILIES) {
                metrics.gauge(
                        "dossier.ledger.rocksdb." + property.metric(),
                        Tags.of("family", family),
                        property.help(),
                        () -> ledger.storeProperty(family, property.rocksdb()));
            }
        }
        String any = Ledger.COLUMN_FAMILIES.get(0);
        for (Property property : WHOLE) {
            metrics.gauge(
                    "dossier.ledger.rocksdb." + property.metric(),
                    property.help(),
                    () -> ledger.storeProperty(any, property.rocksdb()));
        }
    }
}
