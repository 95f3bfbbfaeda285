package dev.dossier.node.ledger;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.rocksdb.RocksIterator;

/**
 * The last step of a {@link LedgerAudit}: the world state, key metadata, key history and tx index a ledger stores
 * are compared, every key and value in both directions, with those the audit replayed from the blocks. Each
 * comparison is a merge join of two iterators sorted bytewise, so memory stays bounded. A history entry is its key
 * alone (namespace, key, block, transaction), so the history's keys are what is compared.
 */
final class ReplayComparison {
    private ReplayComparison() {}

    /**
     * @param stored the audited ledger
     * @param replayed the audit's scratch database, holding the state, metadata, history and tx ids replayed
     * @throws AuditProblem naming the first key that is missing, extra or different in {@code stored}
     */
    static void compareAll(Store stored, Store replayed) throws AuditProblem {
        for (Column column : COLUMNS) {
            compare(stored, replayed, column);
        }
    }

    private interface ValueMatch {
        boolean test(byte[] stored, byte[] replayed);
    }

    /** A column family of the ledger, its replayed counterpart, and how their entries are matched and named. */
    private record Column(
            String what,
            String storedFamily,
            String replayedFamily,
            ValueMatch match,
            Function<byte[], String> describeKey,
            Function<byte[], String> describeValue) {}

    private static final List<Column> COLUMNS = List.of(
            new Column(
                    "state",
                    Store.STATE,
                    Store.STATE,
                    Arrays::equals,
                    Encoding::displayStateKey,
                    ReplayComparison::describeState),
            new Column(
                    "history",
                    Store.HISTORY,
                    Store.HISTORY,
                    Arrays::equals,
                    Encoding::describeHistoryKey,
                    ReplayComparison::preview),
            new Column(
                    "tx index",
                    Store.TX_INDEX,
                    Store.SCRATCH_TX_IDS,
                    Arrays::equals,
                    k -> "tx " + new String(k, StandardCharsets.UTF_8),
                    ReplayComparison::describeTxIndex));

    private static void compare(Store stored, Store replayed, Column column) throws AuditProblem {
        String what = column.what();
        try (RocksIterator s = stored.db.newIterator(stored.handle(column.storedFamily()));
                RocksIterator r = replayed.db.newIterator(replayed.handle(column.replayedFamily()))) {
            s.seekToFirst();
            r.seekToFirst();
            while (s.isValid() || r.isValid()) {
                int order = !s.isValid() ? 1 : !r.isValid() ? -1 : Encoding.BYTEWISE.compare(s.key(), r.key());
                if (order < 0) {
                    throw AuditProblem.outsideBlocks(what + " has "
                            + column.describeKey().apply(s.key()) + " ("
                            + column.describeValue().apply(s.value()) + ") that no committed transaction wrote");
                }
                if (order > 0) {
                    throw AuditProblem.outsideBlocks(
                            what + " is missing " + column.describeKey().apply(r.key()) + " ("
                                    + column.describeValue().apply(r.value()) + ")");
                }
                if (!column.match().test(s.value(), r.value())) {
                    throw AuditProblem.outsideBlocks(what + " of "
                            + column.describeKey().apply(s.key())
                            + " differs: stored " + column.describeValue().apply(s.value()) + ", replayed "
                            + column.describeValue().apply(r.value()));
                }
                s.next();
                r.next();
            }
        }
    }

    private static String describeState(byte[] value) {
        try {
            VersionedValue v = Encoding.decodeStateValue(value);
            byte[] metadata = Encoding.storedMetadata(value);
            return "version " + v.blockNumber() + ":" + v.txNumber() + ", value " + preview(v.value())
                    + (metadata == null ? "" : ", metadata " + preview(metadata));
        } catch (IllegalArgumentException e) {
            return "undecodable " + preview(value);
        }
    }

    private static String describeTxIndex(byte[] value) {
        try {
            TxStatus t = Encoding.decodeTxIndexValue(value);
            return "block " + t.blockNumber() + " tx " + t.txNumber() + " " + t.code();
        } catch (IllegalArgumentException e) {
            return "undecodable " + preview(value);
        }
    }

    private static String preview(byte[] value) {
        return value.length <= 32
                ? "0x" + Encoding.hex(value)
                : "0x" + Encoding.hex(Arrays.copyOf(value, 32)) + "… (" + value.length + " bytes)";
    }
}
