package dev.dossier.node.ledger;

import static dev.dossier.node.ledger.TestTxs.read;
import static dev.dossier.node.ledger.TestTxs.rw;
import static dev.dossier.node.ledger.TestTxs.valid;
import static dev.dossier.node.ledger.TestTxs.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.dossier.common.hash.Sha256;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.QueryReads;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.QueryReadsMerkleSummary;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerTest {
    @TempDir
    Path dir;

    private Ledger ledger;

    @BeforeEach
    void openWithGenesis() throws Exception {
        ledger = TestTxs.openWithGenesis(dir);
    }

    @AfterEach
    void closeLedger() {
        ledger.close();
    }

    private static byte[] filter(Block block) {
        return block.getMetadata()
                .getMetadata(BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE)
                .toByteArray();
    }

    private static TxValidationCode code(Block block, int tx) {
        return TxValidationCode.forNumber(filter(block)[tx] & 0xff);
    }

    private String value(String ns, String key) {
        return ledger.get(ns, key)
                .map(v -> new String(v.value(), StandardCharsets.UTF_8))
                .orElse(null);
    }

    // ---- blocks

    @Test
    void genesis_isBlockZeroWithOneValidConfigEnvelope() {
        Block genesis = ledger.block(0).orElseThrow();

        assertThat(ledger.height()).isEqualTo(1);
        assertThat(genesis.getHeader().getNumber()).isZero();
        assertThat(genesis.getHeader().getPreviousHash()).isEmpty();
        assertThat(genesis.getData().getData(0))
                .isEqualTo(TestTxs.configEnvelope("genesis").toByteString());
        assertThat(genesis.getHeader().getDataHash().toByteArray()).isEqualTo(BlockHashes.dataHash(genesis.getData()));
        assertThat(genesis.getMetadata().getMetadataCount()).isEqualTo(5);
        assertThat(filter(genesis)).containsExactly(TxValidationCode.VALID_VALUE);
        assertThat(ledger.transaction("genesis")).contains(new TxStatus(0, 0, TxValidationCode.VALID));
    }

    @Test
    void genesis_twice_throws() {
        assertThatThrownBy(() -> ledger.commitGenesis(TestTxs.configEnvelope("again")))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void genesis_notConfig_throws() throws Exception {
        try (Ledger other = Ledger.open(dir.resolve("other"))) {
            Envelope endorser = TestTxs.endorserEnvelope("t", rw().build());
            assertThatThrownBy(() -> other.commitGenesis(endorser)).isInstanceOf(IllegalArgumentException.class);
            assertThat(other.height()).isZero();
        }
    }

    @Test
    void commit_beforeGenesis_throws() throws Exception {
        try (Ledger other = Ledger.open(dir.resolve("other"))) {
            assertThatThrownBy(() -> other.commit(List.of(valid("t", rw().write("k", "v")))))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void commit_buildsTheNextFabricBlock() throws Exception {
        PendingTx tx0 = valid("t0", rw().write("a", "1"));
        PendingTx tx1 = valid("t1", rw().write("b", "2"));

        Block block = ledger.commit(List.of(tx0, tx1));

        assertThat(ledger.height()).isEqualTo(2);
        assertThat(block.getHeader().getNumber()).isEqualTo(1);
        assertThat(block.getHeader().getPreviousHash().toByteArray())
                .isEqualTo(BlockHashes.headerHash(ledger.block(0).orElseThrow().getHeader()));
        assertThat(block.getHeader().getDataHash().toByteArray()).isEqualTo(BlockHashes.dataHash(block.getData()));
        assertThat(block.getData().getDataList())
                .containsExactly(tx0.envelope().toByteString(), tx1.envelope().toByteString());
        assertThat(block.getMetadata().getMetadataCount()).isEqualTo(5);
        assertThat(filter(block)).containsExactly(TxValidationCode.VALID_VALUE, TxValidationCode.VALID_VALUE);
        assertThat(ledger.block(1)).contains(block);
        assertThat(ledger.block(2)).isEmpty();
        assertThat(ledger.transaction("t1")).contains(new TxStatus(1, 1, TxValidationCode.VALID));
        assertThat(ledger.transaction("nope")).isEmpty();
    }

    @Test
    void commit_emptyList_throws() {
        assertThatThrownBy(() -> ledger.commit(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void commit_validTxIdDiffersFromChannelHeader_throws() {
        var set = rw().write("k", "v").build();
        PendingTx liar = new PendingTx(
                "claimed", TestTxs.endorserEnvelope("real", set), TxValidationCode.VALID, set, WriteCheck.UNCHECKED);

        assertThatThrownBy(() -> ledger.commit(List.of(liar)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("claimed")
                .hasMessageContaining("real");
        assertThat(ledger.height()).isEqualTo(1);
    }

    @Test
    void pendingTx_validWithoutRwset_throws() {
        assertThatThrownBy(() -> new PendingTx(
                        "t", TestTxs.configEnvelope("t"), TxValidationCode.VALID, null, WriteCheck.UNCHECKED))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("readWriteSet");
    }

    // ---- state and versions

    @Test
    void commit_writesStateWithVersions() throws Exception {
        ledger.commit(List.of(
                valid("t0", rw().write("a", "1")),
                valid("t1", rw().write("b", "2").delete("zz"))));
        ledger.commit(List.of(valid("t2", rw().write("a", "3"))));

        assertThat(ledger.get("cc", "a")).contains(new VersionedValue("3".getBytes(StandardCharsets.UTF_8), 2, 0));
        assertThat(ledger.get("cc", "b")).contains(new VersionedValue("2".getBytes(StandardCharsets.UTF_8), 1, 1));
        assertThat(ledger.get("cc", "zz")).isEmpty();
        assertThat(ledger.get("other", "a")).isEmpty();
    }

    @Test
    void commit_deleteAndEmptyValueRemoveTheKey() throws Exception {
        ledger.commit(List.of(valid("t0", rw().write("a", "1").write("b", "2"))));
        ledger.commit(List.of(valid("t1", rw().delete("a").write("b", ""))));

        assertThat(ledger.get("cc", "a")).isEmpty();
        assertThat(ledger.get("cc", "b")).isEmpty();
    }

    @Test
    void commit_touchesOnlyTheNamespacesOfTheRwset() throws Exception {
        ledger.commit(
                List.of(valid("t0", rw().ns("one").write("k", "1").ns("two").write("k", "2"))));

        assertThat(value("one", "k")).isEqualTo("1");
        assertThat(value("two", "k")).isEqualTo("2");
        assertThat(ledger.get("three", "k")).isEmpty();
    }

    @Test
    void commit_prechekFailure_keepsCodeIndexesAndWritesNothing() throws Exception {
        Block block = ledger.commit(
                List.of(TestTxs.prechecked("bad", rw().write("k", "v"), TxValidationCode.ENDORSEMENT_POLICY_FAILURE)));

        assertThat(code(block, 0)).isEqualTo(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
        assertThat(ledger.get("cc", "k")).isEmpty();
        assertThat(ledger.transaction("bad")).contains(new TxStatus(1, 0, TxValidationCode.ENDORSEMENT_POLICY_FAILURE));
    }

    @Test
    void commit_badRwset_isBadRwset() throws Exception {
        TxReadWriteSet broken = TxReadWriteSet.newBuilder()
                .addNsRwset(NsReadWriteSet.newBuilder()
                        .setNamespace("cc")
                        .setRwset(ByteString.copyFrom(new byte[] {(byte) 0xff, (byte) 0xff})))
                .build();
        PendingTx tx = new PendingTx(
                "t", TestTxs.endorserEnvelope("t", broken), TxValidationCode.VALID, broken, WriteCheck.UNCHECKED);

        assertThat(code(ledger.commit(List.of(tx)), 0)).isEqualTo(TxValidationCode.BAD_RWSET);
    }

    // ---- MVCC

    @Test
    void mvcc_readOfKeyWrittenEarlierInTheBlock_conflicts() throws Exception {
        ledger.commit(List.of(valid("t0", rw().write("k", "1"))));

        Block block = ledger.commit(List.of(
                valid("t1", rw().read("k", version(1, 0)).write("k", "2")),
                valid("t2", rw().read("k", version(1, 0)).write("k", "3").write("other", "x"))));

        assertThat(code(block, 0)).isEqualTo(TxValidationCode.VALID);
        assertThat(code(block, 1)).isEqualTo(TxValidationCode.MVCC_READ_CONFLICT);
        assertThat(value("cc", "k")).isEqualTo("2");
        assertThat(ledger.get("cc", "other")).isEmpty();
        assertThat(ledger.transaction("t2")).contains(new TxStatus(2, 1, TxValidationCode.MVCC_READ_CONFLICT));
    }

    @Test
    void mvcc_readOfAbsentKeyCreatedEarlierInTheBlock_conflicts() throws Exception {
        Block block = ledger.commit(List.of(
                valid("t1", rw().read("new", null).write("new", "a")),
                valid("t2", rw().read("new", null).write("new", "b"))));

        assertThat(code(block, 0)).isEqualTo(TxValidationCode.VALID);
        assertThat(code(block, 1)).isEqualTo(TxValidationCode.MVCC_READ_CONFLICT);
        assertThat(value("cc", "new")).isEqualTo("a");
    }

    @Test
    void mvcc_acrossBlocks() throws Exception {
        ledger.commit(List.of(valid("t0", rw().write("k", "1").write("gone", "x"))));
        ledger.commit(List.of(
                valid("t1", rw().read("k", version(1, 0)).write("k", "2").delete("gone"))));

        Block block = ledger.commit(List.of(
                valid("stale", rw().read("k", version(1, 0)).write("k", "3")),
                valid("current", rw().read("k", version(2, 0)).write("j", "ok")),
                valid("absentButExists", rw().read("k", null).write("x", "1")),
                valid("deleted", rw().read("gone", version(1, 0)).write("x", "2")),
                valid("deletedAbsent", rw().read("gone", null).write("y", "3")),
                valid(
                        "wrongNamespace",
                        rw().ns("other").read("k", version(2, 0)).write("z", "4"))));

        assertThat(filter(block))
                .containsExactly(
                        TxValidationCode.MVCC_READ_CONFLICT_VALUE,
                        TxValidationCode.VALID_VALUE,
                        TxValidationCode.MVCC_READ_CONFLICT_VALUE,
                        TxValidationCode.MVCC_READ_CONFLICT_VALUE,
                        TxValidationCode.VALID_VALUE,
                        TxValidationCode.MVCC_READ_CONFLICT_VALUE);
        assertThat(value("cc", "k")).isEqualTo("2");
        assertThat(value("cc", "j")).isEqualTo("ok");
        assertThat(value("cc", "y")).isEqualTo("3");
        assertThat(ledger.get("cc", "x")).isEmpty();
    }

    // ---- phantom reads

    @Test
    void phantom_insertIntoScannedRange_conflicts() throws Exception {
        ledger.commit(List.of(valid("t0", rw().write("a1", "x").write("a3", "y").write("b", "z"))));
        KVRead a1 = read("a1", version(1, 0));
        KVRead a3 = read("a3", version(1, 0));

        Block block = ledger.commit(List.of(
                valid("scan-ok", rw().range("a", "b", true, a1, a3).write("r1", "1")),
                valid("insert", rw().write("a2", "new")),
                valid("scan-late", rw().range("a", "b", true, a1, a3).write("r2", "2")),
                valid(
                        "scan-other",
                        rw().range("b", "", true, read("b", version(1, 0))).write("r3", "3"))));

        assertThat(filter(block))
                .containsExactly(
                        TxValidationCode.VALID_VALUE,
                        TxValidationCode.VALID_VALUE,
                        TxValidationCode.PHANTOM_READ_CONFLICT_VALUE,
                        TxValidationCode.PHANTOM_READ_CONFLICT_VALUE); // r1 was written by scan-ok: b.. sees it
        assertThat(ledger.get("cc", "r2")).isEmpty();

        Block next = ledger.commit(List.of(
                valid(
                        "scan-again",
                        rw().range("a", "b", true, a1, read("a2", version(2, 1)), a3)
                                .write("r4", "4")),
                valid("scan-missing", rw().range("a", "b", true, a1, a3).write("r5", "5"))));
        assertThat(code(next, 0)).isEqualTo(TxValidationCode.VALID);
        assertThat(code(next, 1)).isEqualTo(TxValidationCode.PHANTOM_READ_CONFLICT);
    }

    @Test
    void phantom_deleteAndVersionChangeInRange_conflict() throws Exception {
        ledger.commit(List.of(valid("t0", rw().write("a1", "x").write("a2", "y"))));
        KVRead a1 = read("a1", version(1, 0));
        KVRead a2 = read("a2", version(1, 0));

        Block block = ledger.commit(List.of(
                valid("del", rw().delete("a1")),
                valid("scan", rw().range("a", "b", true, a1, a2).write("r", "1")),
                valid("scan-after-delete", rw().range("a", "b", true, a2).write("s", "1"))));

        assertThat(code(block, 1)).isEqualTo(TxValidationCode.PHANTOM_READ_CONFLICT);
        assertThat(code(block, 2)).isEqualTo(TxValidationCode.VALID);
    }

    @Test
    void phantom_notExhaustedIteratorIncludesTheEndKey() throws Exception {
        ledger.commit(List.of(valid("t0", rw().write("a", "1").write("b", "2").write("c", "3"))));
        KVRead a = read("a", version(1, 0));
        KVRead b = read("b", version(1, 0));

        Block block = ledger.commit(List.of(
                // read a, b then stopped: recorded end key is the last key read, "b"
                valid("partial", rw().range("a", "b", false, a, b).write("x", "1")),
                valid("exhausted-wrong", rw().range("a", "b", true, a, b).write("y", "1"))));

        assertThat(code(block, 0)).isEqualTo(TxValidationCode.VALID);
        assertThat(code(block, 1)).isEqualTo(TxValidationCode.PHANTOM_READ_CONFLICT);
    }

    @Test
    void phantom_invertedOrEmptyRange_matchesNoResults() throws Exception {
        ledger.commit(List.of(valid("t0", rw().write("a", "1").write("b", "2"))));

        Block block = ledger.commit(List.of(
                valid("inverted", rw().range("b", "a", true).write("x", "1")),
                valid("empty", rw().range("c", "d", true).write("y", "1")),
                valid("empty-but-filled", rw().range("a", "c", true).write("z", "1"))));

        assertThat(code(block, 0)).isEqualTo(TxValidationCode.VALID);
        assertThat(code(block, 1)).isEqualTo(TxValidationCode.VALID);
        assertThat(code(block, 2)).isEqualTo(TxValidationCode.PHANTOM_READ_CONFLICT);
    }

    @Test
    void phantom_merkleSummaryOfResults() throws Exception {
        ledger.commit(List.of(valid("t0", rw().write("m1", "1").write("m2", "2").write("m3", "3"))));
        // max degree 2: the three results form one leaf, hash of QueryReads{m1, m2, m3}; the tree stops at level 1
        QueryReads leaf = QueryReads.newBuilder()
                .addKvReads(read("m1", version(1, 0)))
                .addKvReads(read("m2", version(1, 0)))
                .addKvReads(read("m3", version(1, 0)))
                .build();
        QueryReadsMerkleSummary summary = QueryReadsMerkleSummary.newBuilder()
                .setMaxDegree(2)
                .setMaxLevel(1)
                .addMaxLevelHashes(ByteString.copyFrom(Sha256.newDigest().digest(leaf.toByteArray())))
                .build();

        Block block = ledger.commit(List.of(
                valid("merkle-ok", rw().merkleRange("m", "n", summary).write("x", "1")),
                valid("insert", rw().write("m4", "4")),
                valid("merkle-late", rw().merkleRange("m", "n", summary).write("y", "1"))));

        assertThat(code(block, 0)).isEqualTo(TxValidationCode.VALID);
        assertThat(code(block, 2)).isEqualTo(TxValidationCode.PHANTOM_READ_CONFLICT);
    }

    // ---- duplicates

    @Test
    void duplicate_txIdInIndex_keepsTheOriginalEntry() throws Exception {
        ledger.commit(List.of(valid("t1", rw().write("k", "1"))));

        Block block = ledger.commit(List.of(valid("t1", rw().write("k", "2"))));

        assertThat(code(block, 0)).isEqualTo(TxValidationCode.DUPLICATE_TXID);
        assertThat(value("cc", "k")).isEqualTo("1");
        assertThat(ledger.transaction("t1")).contains(new TxStatus(1, 0, TxValidationCode.VALID));
    }

    @Test
    void duplicate_txIdWithinBlock() throws Exception {
        Block block = ledger.commit(List.of(
                valid("t1", rw().write("a", "1")),
                valid("t1", rw().write("b", "2")),
                TestTxs.prechecked("t1", rw().write("c", "3"), TxValidationCode.BAD_CREATOR_SIGNATURE)));

        assertThat(filter(block))
                .containsExactly(
                        TxValidationCode.VALID_VALUE,
                        TxValidationCode.DUPLICATE_TXID_VALUE,
                        TxValidationCode.BAD_CREATOR_SIGNATURE_VALUE);
        assertThat(ledger.get("cc", "b")).isEmpty();
        assertThat(ledger.transaction("t1")).contains(new TxStatus(1, 0, TxValidationCode.VALID));
    }

    @Test
    void duplicate_ofAnInvalidTx_isStillDuplicate() throws Exception {
        ledger.commit(List.of(valid("t0", rw().write("k", "1"))));
        ledger.commit(List.of(valid("t1", rw().read("k", version(9, 9)).write("k", "2"))));

        Block block =
                ledger.commit(List.of(valid("t1", rw().read("k", version(1, 0)).write("k", "2"))));

        assertThat(code(block, 0)).isEqualTo(TxValidationCode.DUPLICATE_TXID);
        assertThat(ledger.transaction("t1")).contains(new TxStatus(2, 0, TxValidationCode.MVCC_READ_CONFLICT));
    }

    // ---- range scans

    @Test
    void range_compositeKeysWithNulAndLimit() throws Exception {
        String a = "\u0000asset\u0000a\u0000";
        String b = "\u0000asset\u0000b\u0000";
        String c = "\u0000asset\u0000c\u0000";
        String owner = "\u0000owner\u0000a\u0000";
        ledger.commit(List.of(valid(
                "t0",
                rw().write(a, "A")
                        .write(b, "B")
                        .write(c, "C")
                        .write(owner, "O")
                        .write("plain", "P")
                        .ns("cc2")
                        .write(a, "other namespace"))));

        List<StateEntry> all = ledger.range("cc", "\u0000asset\u0000", "\u0000asset\u0001", 100);
        assertThat(all).extracting(StateEntry::key).containsExactly(a, b, c);
        assertThat(all.get(1).value()).isEqualTo(new VersionedValue("B".getBytes(StandardCharsets.UTF_8), 1, 0));

        List<StateEntry> page = ledger.range("cc", "\u0000asset\u0000", "\u0000asset\u0001", 2);
        assertThat(page).extracting(StateEntry::key).containsExactly(a, b);
        List<StateEntry> rest = ledger.range("cc", page.get(1).key() + "\u0000", "\u0000asset\u0001", 2);
        assertThat(rest).extracting(StateEntry::key).containsExactly(c);

        assertThat(ledger.range("cc", "", "", 100))
                .extracting(StateEntry::key)
                .containsExactly(a, b, c, owner, "plain");
        assertThat(ledger.range("cc", "\u0001", "", 100))
                .extracting(StateEntry::key)
                .containsExactly("plain");
        assertThat(ledger.range("cc2", "", "", 100)).extracting(StateEntry::key).containsExactly(a);
        assertThat(ledger.range("cc", "x", "a", 100)).isEmpty();
        assertThat(ledger.range("cc", "", "", 0)).isEmpty();
        assertThatThrownBy(() -> ledger.range("cc", "", "", -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void range_ordersByUtf8Bytes() throws Exception {
        String replacement = "\uFFFD"; // UTF-8 EF BF BD
        String emoji = "\uD83D\uDE00"; // U+1F600, UTF-8 F0 9F 98 80; sorts before U+FFFD in UTF-16
        ledger.commit(List.of(
                valid("t0", rw().write(emoji, "e").write(replacement, "r").write("z", "z"))));

        assertThat(ledger.range("cc", "", "", 10)).extracting(StateEntry::key).containsExactly("z", replacement, emoji);
    }

    @Test
    void namespaceWithNul_isRejected() {
        assertThatThrownBy(() -> ledger.get("c\u0000c", "k")).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- history

    @Test
    void history_newestFirstWithDeletes() throws Exception {
        String key = "\u0000asset\u0000a\u0000";
        Instant t1 = Instant.parse("2025-01-01T00:00:01Z");
        Instant t2 = Instant.parse("2025-01-01T00:00:02.5Z");
        Instant t3 = Instant.parse("2025-01-01T00:00:03Z");
        ledger.commit(List.of(valid("t1", rw().write(key, "v1").write("a", "prefix-sibling"), t1)));
        ledger.commit(
                List.of(valid("t2", rw().write(key, "v2"), t2), valid("t2b", rw().write(key + "x", "longer key"), t2)));
        ledger.commit(List.of(valid("t3", rw().delete(key), t3)));

        List<HistoryEntry> history = ledger.history("cc", key);

        assertThat(history).extracting(HistoryEntry::txId).containsExactly("t3", "t2", "t1");
        assertThat(history).extracting(HistoryEntry::delete).containsExactly(true, false, false);
        assertThat(history).extracting(HistoryEntry::timestamp).containsExactly(t3, t2, t1);
        assertThat(new String(history.get(1).value(), StandardCharsets.UTF_8)).isEqualTo("v2");
        assertThat(history.get(0).value()).isEmpty();
        assertThat(ledger.history("cc", "a")).extracting(HistoryEntry::txId).containsExactly("t1");
        assertThat(ledger.history("cc", "missing")).isEmpty();
        assertThat(ledger.history("other", key)).isEmpty();
    }

    // ---- durability and lifecycle

    @Test
    void reopen_keepsEverything() throws Exception {
        Block block = ledger.commit(List.of(valid("t0", rw().write("k", "v"))));
        ledger.close();

        ledger = Ledger.open(dir);

        assertThat(ledger.height()).isEqualTo(2);
        assertThat(ledger.block(1)).contains(block);
        assertThat(value("cc", "k")).isEqualTo("v");
        assertThat(ledger.transaction("t0")).contains(new TxStatus(1, 0, TxValidationCode.VALID));
        assertThat(ledger.history("cc", "k")).hasSize(1);
        Block next =
                ledger.commit(List.of(valid("t1", rw().read("k", version(1, 0)).write("k", "w"))));
        assertThat(next.getHeader().getPreviousHash().toByteArray())
                .isEqualTo(BlockHashes.headerHash(block.getHeader()));
        assertThat(code(next, 0)).isEqualTo(TxValidationCode.VALID);
    }

    @Test
    void storeProperty_readsRocksDbIntegerProperties_ofTheLedgersFamilies() throws Exception {
        ledger.commit(List.of(valid("t0", rw().write("k", "v"))));

        assertThat(ledger.storeProperty("state", "rocksdb.estimate-num-keys")).isPositive();
        assertThat(ledger.storeProperty("blocks", "rocksdb.cur-size-all-mem-tables"))
                .isPositive();
        assertThat(ledger.storeProperty("blocks", "rocksdb.estimate-pending-compaction-bytes"))
                .isNotNegative();
        assertThatThrownBy(() -> ledger.storeProperty("nosuch", "rocksdb.estimate-num-keys"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ledger.storeProperty("state", "rocksdb.no-such-property"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void readsAfterClose_throw() {
        ledger.close();
        ledger.close();

        assertThatThrownBy(() -> ledger.get("cc", "k")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ledger.storeProperty("state", "rocksdb.estimate-num-keys"))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ledger.block(0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ledger.commit(List.of(valid("t", rw().write("k", "v")))))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void open_secondTimeWhileOpen_throwsLedgerException() {
        assertThatThrownBy(() -> Ledger.open(dir))
                .isInstanceOf(LedgerException.class)
                .hasMessageContaining(dir.toString());
    }

    @Test
    void concurrentReaders_seeWholeBlocks() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        AtomicBoolean done = new AtomicBoolean();
        CountDownLatch reading = new CountDownLatch(3); // the commits start once every reader has read once
        try {
            List<Future<Integer>> readers = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                readers.add(pool.submit(() -> {
                    int checks = 0;
                    while (!done.get()) {
                        long height = ledger.height();
                        assertThat(ledger.block(height - 1)).isPresent();
                        // every block writes x and y together: a range scan never sees them differ
                        List<StateEntry> xy = ledger.range("cc", "x", "z", 10);
                        if (!xy.isEmpty()) {
                            assertThat(xy).hasSize(2);
                            assertThat(xy.get(0).value().value())
                                    .isEqualTo(xy.get(1).value().value());
                        }
                        if (++checks == 1) {
                            reading.countDown();
                        }
                    }
                    return checks;
                }));
            }
            assertThat(reading.await(30, TimeUnit.SECONDS))
                    .as("every reader started")
                    .isTrue();
            for (int i = 0; i < 30; i++) {
                ledger.commit(List.of(valid("t" + i, rw().write("x", "" + i).write("y", "" + i))));
            }
            done.set(true);
            for (Future<Integer> reader : readers) {
                reader.get(10, TimeUnit.SECONDS); // a reader's failed check fails the test here
            }
        } finally {
            done.set(true);
            pool.shutdownNow();
        }
        assertThat(ledger.height()).isEqualTo(31);
        assertThat(Optional.of(value("cc", "x"))).contains("29");
    }
}
