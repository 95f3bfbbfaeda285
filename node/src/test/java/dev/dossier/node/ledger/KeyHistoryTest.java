package dev.dossier.node.ledger;

import static dev.dossier.node.ledger.TestTxs.rw;
import static dev.dossier.node.ledger.TestTxs.valid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigValue;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksIterator;

/** The key history as pointers into the blocks: what it answers, the genesis state, migration and damage. */
class KeyHistoryTest {
    private static final Instant T1 = Instant.parse("2026-03-01T10:00:00.000000001Z");
    private static final Instant T2 = Instant.parse("2026-03-01T10:00:01.5Z");
    private static final Instant T3 = Instant.parse("2026-03-01T10:00:02Z");

    @TempDir
    Path dir;

    @Test
    void severalWritesOfOneKeyInOneBlock_eachAnEntry_withItsTxTimeAndValue() throws Exception {
        try (Ledger ledger = TestTxs.openWithGenesis(dir)) {
            ledger.commit(List.of(
                    valid("a", rw().write("k", "v1").write("other", "o"), T1),
                    valid("b", rw().write("k", "v2"), T2),
                    valid("c", rw().delete("k"), T3),
                    valid("d", rw().write("k", "v4"), T3)));

            List<HistoryEntry> history = ledger.history("cc", "k");

            assertThat(history).extracting(HistoryEntry::txId).containsExactly("d", "c", "b", "a");
            assertThat(history).extracting(HistoryEntry::timestamp).containsExactly(T3, T3, T2, T1);
            assertThat(history).extracting(HistoryEntry::delete).containsExactly(false, true, false, false);
            assertThat(history)
                    .extracting(h -> new String(h.value(), StandardCharsets.UTF_8))
                    .containsExactly("v4", "", "v2", "v1");
            assertThat(ledger.history("cc", "other"))
                    .extracting(HistoryEntry::txId)
                    .containsExactly("a");
        }
    }

    @Test
    void oneTransactionWritingAKeyTwice_deleteWins_elseTheLastPut_asInTheState() throws Exception {
        try (Ledger ledger = TestTxs.openWithGenesis(dir)) {
            ledger.commit(List.of(valid(
                    "t",
                    rw().write("gone", "x")
                            .delete("gone")
                            .write("gone", "y")
                            .write("twice", "p")
                            .write("twice", "q"))));

            HistoryEntry gone = ledger.history("cc", "gone").get(0);
            HistoryEntry twice = ledger.history("cc", "twice").get(0);

            assertThat(gone.delete()).isTrue();
            assertThat(gone.value()).isEmpty();
            assertThat(ledger.get("cc", "gone")).isEmpty();
            assertThat(twice.delete()).isFalse();
            assertThat(new String(twice.value(), StandardCharsets.UTF_8)).isEqualTo("q");
            assertThat(ledger.get("cc", "twice").orElseThrow().value()).isEqualTo("q".getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void keysInSeveralNamespaces_eachReadFromItsOwn() throws Exception {
        try (Ledger ledger = TestTxs.openWithGenesis(dir)) {
            ledger.commit(
                    List.of(valid("t", rw().write("k", "in cc").ns("other").write("k", "in other"))));

            assertThat(new String(ledger.history("cc", "k").get(0).value(), StandardCharsets.UTF_8))
                    .isEqualTo("in cc");
            assertThat(new String(ledger.history("other", "k").get(0).value(), StandardCharsets.UTF_8))
                    .isEqualTo("in other");
        }
    }

    @Test
    void genesisInitialState_isInTheHistory_atTheEpoch_withTheConfigTxId() throws Exception {
        try (Ledger ledger = Ledger.open(dir)) {
            ledger.commitGenesis(configWithInitialState("genesis-tx", rw().write("policy", "p0")));
            ledger.commit(List.of(valid("t1", rw().write("policy", "p1"), T1)));

            List<HistoryEntry> history = ledger.history("cc", "policy");

            assertThat(history).extracting(HistoryEntry::txId).containsExactly("t1", "genesis-tx");
            assertThat(history).extracting(HistoryEntry::timestamp).containsExactly(T1, Instant.EPOCH);
            assertThat(new String(history.get(1).value(), StandardCharsets.UTF_8))
                    .isEqualTo("p0");
        }
        assertThat(LedgerAudit.audit(dir).problem()).isEmpty();
    }

    @Test
    void format2Ledger_isMigratedAtOpen_answersUnchanged_valuesDropped() throws Exception {
        try (Ledger ledger = TestTxs.openWithGenesis(dir)) {
            ledger.commit(List.of(valid("a", rw().write("k", "v1"), T1)));
            ledger.commit(List.of(valid("b", rw().delete("k"), T2), valid("c", rw().write("k", "v3"), T3)));
        }
        rewriteAsFormat2(dir);
        assertThat(LedgerAudit.audit(dir).problem()).contains("format 2").contains("start the node on it once");

        try (Ledger ledger = Ledger.open(dir)) {
            List<HistoryEntry> history = ledger.history("cc", "k");
            assertThat(history).extracting(HistoryEntry::txId).containsExactly("c", "b", "a");
            assertThat(history).extracting(HistoryEntry::timestamp).containsExactly(T3, T2, T1);
            assertThat(history).extracting(HistoryEntry::delete).containsExactly(false, true, false);
            assertThat(new String(history.get(0).value(), StandardCharsets.UTF_8))
                    .isEqualTo("v3");
        }
        try (Store store = Store.open(dir, Store.Mode.READ_ONLY, Store.LEDGER_FAMILIES)) {
            assertThat(store.db.get(store.handle(Store.META), Encoding.META_FORMAT))
                    .containsExactly(Encoding.FORMAT_VERSION);
            assertThat(historyValues(store))
                    .hasSize(3)
                    .allSatisfy(v -> assertThat(v).isEmpty());
        }
        assertThat(LedgerAudit.audit(dir).problem()).isEmpty();
    }

    @Test
    void historyEntryPointingAtATransactionThatDidNotWriteTheKey_isReportedCorrupt() throws Exception {
        try (Ledger ledger = TestTxs.openWithGenesis(dir)) {
            ledger.commit(List.of(valid("a", rw().write("k", "v1")), valid("b", rw().write("z", "z"))));
        }
        try (Store store = Store.open(dir, Store.Mode.READ_WRITE, Store.LEDGER_FAMILIES)) {
            byte[] forged = Encoding.historyKey(Encoding.historyPrefix(Encoding.utf8("cc"), Encoding.utf8("k")), 1, 1);
            store.db.put(store.handle(Store.HISTORY), forged, Encoding.HISTORY_VALUE);
        }

        try (Ledger ledger = Ledger.open(dir)) {
            assertThatThrownBy(() -> ledger.history("cc", "k"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("corrupt entry")
                    .hasMessageContaining("block 1 tx 1")
                    .hasMessageContaining("does not write the key");
        }
        assertThat(LedgerAudit.audit(dir).problem()).contains("history has cc/k @1:1");
    }

    /**
     * Puts back what format 2 stored: the state and key metadata of format 3, and in each history value the tx id,
     * timestamp, delete flag and value.
     */
    private static void rewriteAsFormat2(Path dir) throws Exception {
        List<byte[]> keys = new ArrayList<>();
        try (Store store = Store.open(dir, Store.Mode.READ_ONLY, Store.LEDGER_FAMILIES);
                RocksIterator it = store.db.newIterator(store.handle(Store.HISTORY))) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                keys.add(it.key());
            }
        }
        List<byte[]> values = new ArrayList<>();
        try (Ledger ledger = Ledger.open(dir)) {
            for (byte[] key : keys) {
                HistoryEntry entry = ledger.history("cc", "k").stream()
                        .filter(h -> h.txId().equals(txAt(ledger, Encoding.historyPointer(key))))
                        .findFirst()
                        .orElseThrow();
                byte[] id = entry.txId().getBytes(StandardCharsets.UTF_8);
                values.add(ByteBuffer.allocate(4 + id.length + 13 + entry.value().length)
                        .putInt(id.length)
                        .put(id)
                        .putLong(entry.timestamp().getEpochSecond())
                        .putInt(entry.timestamp().getNano())
                        .put((byte) (entry.delete() ? 1 : 0))
                        .put(entry.value())
                        .array());
            }
        }
        OlderFormats.rewriteAsFormat3(dir, java.util.Map.of());
        try (Store store = Store.open(dir, Store.Mode.READ_WRITE, Store.LEDGER_FAMILIES)) {
            for (int i = 0; i < keys.size(); i++) {
                store.db.put(store.handle(Store.HISTORY), keys.get(i), values.get(i));
            }
            store.db.put(store.handle(Store.META), Encoding.META_FORMAT, new byte[] {2});
        }
    }

    private static String txAt(Ledger ledger, long[] pointer) {
        try {
            return Envelopes.channelHeader(Envelope.parseFrom(
                            ledger.block(pointer[0]).orElseThrow().getData().getData((int) pointer[1])))
                    .getTxId();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static List<byte[]> historyValues(Store store) {
        List<byte[]> values = new ArrayList<>();
        try (RocksIterator it = store.db.newIterator(store.handle(Store.HISTORY))) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                values.add(it.value());
            }
        }
        return values;
    }

    private static Envelope configWithInitialState(String txId, TestTxs.RwSet initial) {
        ConfigGroup application = ConfigGroup.newBuilder()
                .putValues(
                        Envelopes.INITIAL_STATE,
                        ConfigValue.newBuilder()
                                .setValue(initial.build().toByteString())
                                .build())
                .build();
        ConfigEnvelope config = ConfigEnvelope.newBuilder()
                .setConfig(Config.newBuilder()
                        .setChannelGroup(ConfigGroup.newBuilder().putGroups("Application", application)))
                .build();
        ChannelHeader header = ChannelHeader.newBuilder()
                .setType(HeaderType.CONFIG_VALUE)
                .setChannelId(TestTxs.CHANNEL)
                .setTxId(txId)
                .setTimestamp(Timestamp.newBuilder().setSeconds(T1.getEpochSecond()))
                .build();
        return Envelope.newBuilder()
                .setPayload(Payload.newBuilder()
                        .setHeader(Header.newBuilder().setChannelHeader(header.toByteString()))
                        .setData(config.toByteString())
                        .build()
                        .toByteString())
                .setSignature(ByteString.copyFromUtf8("signature"))
                .build();
    }
}
