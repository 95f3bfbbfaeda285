package dev.dossier.node.ledger;

import static dev.dossier.node.ledger.TestTxs.rw;
import static dev.dossier.node.ledger.TestTxs.valid;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/** A key's metadata (its key-level endorsement policy), stored with its value: writes, deletes, migration. */
class KeyMetadataTest {
    private static final String VP = "VALIDATION_PARAMETER";

    @TempDir
    Path dir;

    @Test
    void metadata_staysWithTheKeyAcrossWrites_changesAloneKeepTheVersion_goesWithADelete() throws Exception {
        try (Ledger ledger = TestTxs.openWithGenesis(dir)) {
            ledger.commit(List.of(
                    valid("a", rw().write("k", "v1").metadata("k", VP, "org1")), valid("b", rw().write("j", "x"))));
            assertThat(ledger.metadata("cc", "k")).isEqualTo(Map.of(VP, utf8("org1")));
            assertThat(ledger.metadata("cc", "j")).isEmpty();

            ledger.commit(List.of(valid("c", rw().write("k", "v2"))));
            assertThat(ledger.get("cc", "k")).contains(new VersionedValue(bytes("v2"), 2, 0));
            assertThat(ledger.metadata("cc", "k")).isEqualTo(Map.of(VP, utf8("org1")));

            ledger.commit(List.of(valid("d", rw().metadata("k", VP, "org2"))));
            assertThat(ledger.get("cc", "k")).contains(new VersionedValue(bytes("v2"), 2, 0));
            assertThat(ledger.metadata("cc", "k")).isEqualTo(Map.of(VP, utf8("org2")));

            ledger.commit(List.of(valid("e", rw().delete("k"))));
            assertThat(ledger.get("cc", "k")).isEmpty();
            assertThat(ledger.metadata("cc", "k")).isEmpty();
            ledger.commit(List.of(valid("f", rw().write("k", "v3"))));
            assertThat(ledger.metadata("cc", "k"))
                    .as("not brought back by a new value")
                    .isEmpty();
        }
        assertThat(LedgerAudit.audit(dir).problem()).isEmpty();
    }

    @Test
    void metadataChangeOfAKeyWithoutAValue_isIgnored_asFabricIgnoresIt() throws Exception {
        try (Ledger ledger = TestTxs.openWithGenesis(dir)) {
            ledger.commit(List.of(valid("a", rw().metadata("ghost", VP, "org2"))));

            assertThat(ledger.get("cc", "ghost")).isEmpty();
            assertThat(ledger.metadata("cc", "ghost")).isEmpty();
            ledger.commit(List.of(valid("b", rw().write("ghost", "now"))));
            assertThat(ledger.metadata("cc", "ghost"))
                    .as("no policy squatted before the key existed")
                    .isEmpty();
        }
        assertThat(LedgerAudit.audit(dir).problem()).isEmpty();
    }

    @Test
    void metadataChangeOfAKeyWithoutAValue_inTheBlockOfItsFirstValue_isIgnored_yetCountsAsAChangeInTheBlock()
            throws Exception {
        List<Boolean> changed = new ArrayList<>();
        WriteCheck recordChange = (writes, state) -> {
            changed.add(state.metadataChangedInBlock("cc", "k"));
            return Optional.empty();
        };
        try (Ledger ledger = TestTxs.openWithGenesis(dir)) {
            ledger.commit(List.of(
                    checked("a", rw().metadata("k", VP, "org2"), recordChange),
                    checked("b", rw().write("k", "v1"), recordChange)));

            assertThat(ledger.get("cc", "k")).contains(new VersionedValue(bytes("v1"), 1, 1));
            assertThat(ledger.metadata("cc", "k")).isEmpty();
        }
        assertThat(changed).containsExactly(false, true);
        assertThat(LedgerAudit.audit(dir).problem()).isEmpty();
    }

    @Test
    void metadataWrittenEarlierInTheBlock_isWhatALaterTransactionsCheckReads() throws Exception {
        List<Map<String, ByteString>> seen = new ArrayList<>();
        WriteCheck recordMetadata = (writes, state) -> {
            seen.add(state.metadata("cc", "k"));
            return Optional.empty();
        };
        try (Ledger ledger = TestTxs.openWithGenesis(dir)) {
            ledger.commit(List.of(valid("a", rw().write("k", "v1").metadata("k", VP, "org1"))));
            ledger.commit(List.of(
                    checked("b", rw().write("k", "v2"), recordMetadata),
                    valid("c", rw().metadata("k", VP, "org2")),
                    checked("d", rw().write("k", "v3"), recordMetadata)));
        }
        assertThat(seen).containsExactly(Map.of(VP, utf8("org1")), Map.of(VP, utf8("org2")));
    }

    @Test
    void format3Ledger_isMigratedAtOpen_answersUnchanged_orphanMetadataDropped() throws Exception {
        List<Object> before = buildLedger();
        // orphans between two keys (b, c) and after the last, which the migration reads past in key order
        byte[] policy = Encoding.metadataValue(Map.of(VP, utf8("org2")));
        OlderFormats.rewriteAsFormat3(
                dir,
                Map.of(
                        Encoding.stateKey(bytes("cc"), bytes("bb")), policy,
                        Encoding.stateKey(bytes("cc"), bytes("ghost")), policy));
        assertThat(LedgerAudit.audit(dir).problem()).contains("format 3").contains("start the node on it once");

        assertThat(answers()).isEqualTo(before);
        assertThat(families()).doesNotContain(Store.KEY_METADATA);
        try (Ledger ledger = Ledger.open(dir)) {
            assertThat(ledger.metadata("cc", "ghost")).isEmpty();
            assertThat(ledger.metadata("cc", "bb")).isEmpty();
        }
        assertThat(LedgerAudit.audit(dir).problem()).isEmpty();
    }

    @Test
    void interruptedMigration_goesOnAfterTheLastKeyItRewrote() throws Exception {
        List<Object> before = buildLedger();
        OlderFormats.rewriteAsFormat3(dir, Map.of());
        List<String> families = new ArrayList<>(Store.LEDGER_FAMILIES);
        families.add(Store.KEY_METADATA);
        try (Store store = Store.open(dir, Store.Mode.READ_WRITE, families);
                WriteBatch batch = new WriteBatch();
                WriteOptions options = new WriteOptions()) {
            // what the first batch of an interrupted migration left: key "a" rewritten, and its progress
            byte[] first = Encoding.stateKey(bytes("cc"), bytes("a"));
            batch.put(
                    store.handle(Store.STATE),
                    first,
                    Encoding.format3StateValue(
                            store.db.get(store.handle(Store.STATE), first),
                            store.db.get(store.handle(Store.KEY_METADATA), first)));
            batch.put(store.handle(Store.META), Encoding.META_MIGRATED_UP_TO, first);
            store.db.write(options, batch);
        }

        assertThat(answers()).isEqualTo(before);
        assertThat(LedgerAudit.audit(dir).problem()).isEmpty();
    }

    private static PendingTx checked(String txId, TestTxs.RwSet rwset, WriteCheck check) {
        org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet set = rwset.build();
        return new PendingTx(txId, TestTxs.endorserEnvelope(txId, set), TxValidationCode.VALID, set, check);
    }

    @Test
    void keyMetadataFamilyLeftBesideAFormat4Ledger_isDroppedAtOpen() throws Exception {
        List<Object> before = buildLedger();
        List<String> families = new ArrayList<>(Store.LEDGER_FAMILIES);
        families.add(Store.KEY_METADATA);
        try (Store store = Store.open(dir, Store.Mode.READ_WRITE, families)) {
            store.db.put(store.handle(Store.KEY_METADATA), new byte[] {1}, new byte[] {2});
        }
        assertThat(families()).contains(Store.KEY_METADATA);

        assertThat(answers()).isEqualTo(before);
        assertThat(families()).doesNotContain(Store.KEY_METADATA);
    }

    /** Keys a, b, c (b without metadata, c changed by a later block), and what the ledger answers of them. */
    private List<Object> buildLedger() throws Exception {
        try (Ledger ledger = TestTxs.openWithGenesis(dir)) {
            ledger.commit(List.of(
                    valid("t1", rw().write("a", "va").metadata("a", VP, "org1").write("b", "vb"))));
            ledger.commit(List.of(
                    valid("t2", rw().write("c", "vc").metadata("c", VP, "org1")), valid("t3", rw().write("a", "va2"))));
            ledger.commit(List.of(valid("t4", rw().metadata("c", VP, "org3"))));
        }
        return answers();
    }

    private List<Object> answers() throws Exception {
        List<Object> out = new ArrayList<>();
        try (Ledger ledger = Ledger.open(dir)) {
            for (String key : List.of("a", "b", "c")) {
                out.add(ledger.get("cc", key).orElseThrow());
                out.add(ledger.metadata("cc", key));
            }
            out.add(ledger.range("cc", "", "", 10).size());
        }
        return out;
    }

    private List<String> families() throws Exception {
        List<String> out = new ArrayList<>();
        try (Options options = new Options()) {
            for (byte[] name : RocksDB.listColumnFamilies(options, dir.toString())) {
                out.add(new String(name, StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static ByteString utf8(String s) {
        return ByteString.copyFromUtf8(s);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
