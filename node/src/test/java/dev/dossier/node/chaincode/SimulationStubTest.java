package dev.dossier.node.chaincode;

import static dev.dossier.node.chaincode.InMemoryState.kv;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.dossier.node.ledger.KeyWrite;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.RangeQueryInfo;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.Version;
import org.hyperledger.fabric.shim.ledger.CompositeKey;
import org.hyperledger.fabric.shim.ledger.KeyModification;
import org.hyperledger.fabric.shim.ledger.KeyValue;
import org.hyperledger.fabric.shim.ledger.QueryResultsIterator;
import org.hyperledger.fabric.shim.ledger.QueryResultsIteratorWithMetadata;
import org.junit.jupiter.api.Test;

class SimulationStubTest {
    private static final String NS = "cc";

    private final InMemoryState state = new InMemoryState();

    private SimulationStub stub() {
        return new SimulationStub(NS, state, TestIdentities.invocation(TestIdentities.ORG1, "tx1", "fn", "a", "b"));
    }

    private static KVRead read(String key, long block, long tx) {
        return KVRead.newBuilder()
                .setKey(key)
                .setVersion(Version.newBuilder().setBlockNum(block).setTxNum(tx))
                .build();
    }

    private static List<String> keys(QueryResultsIterator<KeyValue> it) {
        List<String> keys = new ArrayList<>();
        it.forEach(kv -> keys.add(kv.getKey()));
        return keys;
    }

    @Test
    void args_functionAndParameters_fromInvocation() {
        SimulationStub stub = stub();

        assertThat(stub.getFunction()).isEqualTo("fn");
        assertThat(stub.getParameters()).containsExactly("a", "b");
        assertThat(stub.getStringArgs()).containsExactly("fn", "a", "b");
        assertThat(stub.getArgs()).hasSize(3);
        assertThat(stub.getTxId()).isEqualTo("tx1");
        assertThat(stub.getChannelId()).isEqualTo(TestIdentities.CHANNEL);
        assertThat(stub.getMspId()).isEqualTo("Org1MSP");
        assertThat(stub.getTxTimestamp()).isEqualTo(TestIdentities.NOW);
        assertThat(stub.getCreator()).isEqualTo(TestIdentities.ORG1.toByteArray());
    }

    @Test
    void transientAndBinding_copies() {
        Invocation invocation = new Invocation(
                "ch",
                "tx",
                List.of(),
                Map.of("k", ByteString.copyFromUtf8("v")),
                TestIdentities.ORG1,
                "Org1MSP",
                Instant.EPOCH,
                null,
                new byte[] {1, 2});
        SimulationStub stub = new SimulationStub(NS, state, invocation);

        stub.getTransient().get("k")[0] = 'x';
        stub.getBinding()[0] = 9;

        assertThat(stub.getTransient().get("k")).isEqualTo("v".getBytes(UTF_8));
        assertThat(stub.getBinding()).containsExactly(1, 2);
        assertThat(stub.getFunction()).isNull();
        assertThat(stub.getParameters()).isEmpty();
    }

    @Test
    void getState_present_recordsCommittedVersion() {
        state.put(NS, "k", "v", 7, 3);
        SimulationStub stub = stub();

        assertThat(stub.getState("k")).isEqualTo("v".getBytes(UTF_8));

        assertThat(kv(stub.readWriteSet()).getReadsList()).containsExactly(read("k", 7, 3));
    }

    @Test
    void getState_absent_emptyArrayAndReadWithoutVersion() {
        SimulationStub stub = stub();

        assertThat(stub.getState("missing")).isEmpty();

        KVRead r = kv(stub.readWriteSet()).getReads(0);
        assertThat(r.getKey()).isEqualTo("missing");
        assertThat(r.hasVersion()).isFalse();
    }

    @Test
    void keysReadAbsent_areThoseReadWithoutAValue_notThoseFoundOrOnlyWritten() {
        state.put(NS, "present", "v", 1, 0);
        SimulationStub stub = stub();

        stub.getState("present");
        stub.getState("missing");
        stub.putState("missing", "now".getBytes(UTF_8));
        stub.putState("unread", "x".getBytes(UTF_8));

        assertThat(stub.keysReadAbsent()).containsExactly("missing");
    }

    @Test
    void getState_afterOwnWrite_returnsCommittedValueAsFabric() {
        state.put(NS, "k", "old", 1, 0);
        SimulationStub stub = stub();

        stub.putState("k", "new".getBytes(UTF_8));

        assertThat(stub.getState("k")).isEqualTo("old".getBytes(UTF_8));
    }

    @Test
    void writes_lastWinsSortedByUtf8Bytes_emptyValueIsDelete() {
        SimulationStub stub = stub();
        stub.putState("b", "1".getBytes(UTF_8));
        stub.putState("\ud83d\ude00", "emoji".getBytes(UTF_8)); // U+1F600 sorts after U+FFFD in UTF-8
        stub.putState("\ufffd", "replacement".getBytes(UTF_8));
        stub.putState("a", "first".getBytes(UTF_8));
        stub.putState("a", "second".getBytes(UTF_8));
        stub.delState("b");
        stub.putState("c", new byte[0]);

        KVRWSet rw = kv(stub.readWriteSet());

        assertThat(rw.getWritesList())
                .extracting(KVWrite::getKey)
                .containsExactly("a", "b", "c", "\ufffd", "\ud83d\ude00");
        assertThat(rw.getWrites(0).getValue().toStringUtf8()).isEqualTo("second");
        assertThat(rw.getWrites(1).getIsDelete()).isTrue();
        assertThat(rw.getWrites(2).getIsDelete()).isTrue();
        assertThat(rw.getWrites(2).getValue()).isEmpty();
        assertThat(rw.getWrites(3).getIsDelete()).isFalse();
    }

    @Test
    void readWriteSet_oneNamespaceNamedAfterChaincode() {
        var rwset = stub().readWriteSet();

        assertThat(rwset.getNsRwsetList()).hasSize(1);
        assertThat(rwset.getNsRwset(0).getNamespace()).isEqualTo(NS);
    }

    @Test
    void keys_emptyNullOrInvalidUtf8_rejected() {
        SimulationStub stub = stub();

        assertThatThrownBy(() -> stub.putState("", new byte[] {1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> stub.getState("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> stub.delState("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> stub.putState(null, new byte[] {1})).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> stub.putState("k", null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("value");
        assertThatThrownBy(() -> stub.putState("a\ud800", new byte[] {1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("UTF-8");
        assertThatThrownBy(() -> stub.getStateByRange("a", "b\udc00")).isInstanceOf(IllegalArgumentException.class);
        assertThat(kv(stub.readWriteSet()).getWritesCount()).isZero();
    }

    @Test
    void getStateByRange_fullScan_exhaustedWithRawReadsAndQueryEndKey() {
        state.put(NS, "a", "1", 1, 0)
                .put(NS, "b", "2", 1, 1)
                .put(NS, "c", "3", 2, 0)
                .put(NS, "d", "4", 2, 1);
        SimulationStub stub = stub();

        try (QueryResultsIterator<KeyValue> it = stub.getStateByRange("b", "d")) {
            assertThat(keys(it)).containsExactly("b", "c");
        }

        RangeQueryInfo info = kv(stub.readWriteSet()).getRangeQueriesInfo(0);
        assertThat(info.getStartKey()).isEqualTo("b");
        assertThat(info.getEndKey()).isEqualTo("d");
        assertThat(info.getItrExhausted()).isTrue();
        assertThat(info.getRawReads().getKvReadsList()).containsExactly(read("b", 1, 1), read("c", 2, 0));
        assertThat(kv(stub.readWriteSet()).getReadsList()).isEmpty();
    }

    @Test
    void getStateByRange_stoppedEarly_endKeyIsLastSeenAndPagesFetchedLazily() {
        for (int i = 0; i < 250; i++) {
            state.put(NS, String.format("k%03d", i), "v", 1, i);
        }
        SimulationStub stub = stub();

        Iterator<KeyValue> it = stub.getStateByRange("k000", "").iterator();
        for (int i = 0; i < 5; i++) {
            it.next();
        }
        assertThat(it.hasNext()).isTrue(); // k005 is now known to exist

        RangeQueryInfo info = kv(stub.readWriteSet()).getRangeQueriesInfo(0);
        assertThat(state.rangeCalls.get()).isEqualTo(1);
        assertThat(info.getItrExhausted()).isFalse();
        assertThat(info.getEndKey()).isEqualTo("k005");
        assertThat(info.getRawReads().getKvReadsCount()).isEqualTo(6);
    }

    @Test
    void getStateByRange_manyPages_allKeysInOrder() {
        for (int i = 0; i < 250; i++) {
            state.put(NS, String.format("k%03d", i), "v", 1, i);
        }
        SimulationStub stub = stub();

        List<String> keys = keys(stub.getStateByRange("", ""));

        assertThat(keys).hasSize(250).isSorted();
        assertThat(state.rangeCalls.get()).isEqualTo(3);
        RangeQueryInfo info = kv(stub.readWriteSet()).getRangeQueriesInfo(0);
        assertThat(info.getStartKey()).isEqualTo("\u0001");
        assertThat(info.getEndKey()).isEmpty();
        assertThat(info.getItrExhausted()).isTrue();
        assertThat(info.getRawReads().getKvReadsCount()).isEqualTo(250);
    }

    @Test
    void getStateByRange_neverIterated_recordsNothing_repeatsRecordedOnce() {
        state.put(NS, "a", "1", 1, 0);
        SimulationStub stub = stub();

        stub.getStateByRange("a", "z").close();
        keys(stub.getStateByRange("a", "z"));
        keys(stub.getStateByRange("a", "z"));

        assertThat(kv(stub.readWriteSet()).getRangeQueriesInfoList()).hasSize(1);
    }

    @Test
    void getStateByRange_unboundedExcludesCompositeKeys_compositeBoundsRejected() {
        SimulationStub stub = stub();
        String composite = stub.createCompositeKey("asset", "1").toString();
        state.put(NS, composite, "c", 1, 0).put(NS, "plain", "p", 1, 1);

        assertThat(keys(stub.getStateByRange("", ""))).containsExactly("plain");
        assertThatThrownBy(() -> stub.getStateByRange(composite, "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void getStateByPartialCompositeKey_threeOverloads_sameKeysAndRecordedRange() {
        SimulationStub stub = stub();
        String a1 = stub.createCompositeKey("owner", "alice", "1").toString();
        String a2 = stub.createCompositeKey("owner", "alice", "2").toString();
        String b1 = stub.createCompositeKey("owner", "bob", "1").toString();
        state.put(NS, a1, "x", 1, 0)
                .put(NS, a2, "y", 1, 1)
                .put(NS, b1, "z", 1, 2)
                .put(NS, "owner", "plain", 1, 3);

        assertThat(keys(stub.getStateByPartialCompositeKey("owner", "alice"))).containsExactly(a1, a2);
        assertThat(keys(stub.getStateByPartialCompositeKey(new CompositeKey("owner", "alice"))))
                .containsExactly(a1, a2);
        assertThat(keys(stub.getStateByPartialCompositeKey(new CompositeKey("owner", "alice").toString())))
                .containsExactly(a1, a2);
        assertThat(keys(stub.getStateByPartialCompositeKey("owner"))).containsExactly(a1, a2, b1);

        CompositeKey split = stub.splitCompositeKey(a2);
        assertThat(split.getObjectType()).isEqualTo("owner");
        assertThat(split.getAttributes()).containsExactly("alice", "2");

        List<RangeQueryInfo> infos = kv(stub.readWriteSet()).getRangeQueriesInfoList();
        assertThat(infos).hasSize(2); // the three identical alice queries are recorded once
        assertThat(infos.get(0).getStartKey()).isEqualTo("\u0000owner\u0000alice\u0000");
        assertThat(infos.get(0).getEndKey()).isEqualTo("\u0000owner\u0000alice\u0000\udbff\udfff");
        assertThat(infos.get(0).getRawReads().getKvReadsList()).containsExactly(read(a1, 1, 0), read(a2, 1, 1));
    }

    @Test
    void getStateByRangeWithPagination_pagesWithBookmarks() {
        for (int i = 0; i < 5; i++) {
            state.put(NS, "k" + i, "v", 1, i);
        }
        SimulationStub stub = stub();

        QueryResultsIteratorWithMetadata<KeyValue> first = stub.getStateByRangeWithPagination("k0", "", 2, "");
        List<String> page1 = new ArrayList<>();
        first.forEach(kv -> page1.add(kv.getKey()));
        QueryResultsIteratorWithMetadata<KeyValue> last = stub.getStateByRangeWithPagination("k0", "", 2, "k4");
        List<String> page3 = new ArrayList<>();
        last.forEach(kv -> page3.add(kv.getKey()));

        assertThat(page1).containsExactly("k0", "k1");
        assertThat(first.getMetadata().getFetchedRecordsCount()).isEqualTo(2);
        assertThat(first.getMetadata().getBookmark()).isEqualTo("k2");
        assertThat(page3).containsExactly("k4");
        assertThat(last.getMetadata().getBookmark()).isEmpty();
        List<RangeQueryInfo> infos = kv(stub.readWriteSet()).getRangeQueriesInfoList();
        assertThat(infos.get(0).getItrExhausted()).isFalse();
        assertThat(infos.get(0).getEndKey()).isEqualTo("k1");
        assertThat(infos.get(1).getItrExhausted()).isTrue();
    }

    @Test
    void pagination_andWrites_notInOneTransaction() {
        SimulationStub reader = stub();
        reader.getStateByRangeWithPagination("a", "z", 10, "");
        assertThatThrownBy(() -> reader.putState("k", new byte[] {1}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("paginated");

        SimulationStub writer = stub();
        writer.delState("k");
        assertThatThrownBy(() -> writer.getStateByPartialCompositeKeyWithPagination(new CompositeKey("t"), 10, ""))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("paginated");
    }

    @Test
    void getHistoryForKey_newestFirst_notRecorded() {
        state.put(NS, "k", "v1".getBytes(UTF_8), 1, 0, "t1", Instant.parse("2025-01-01T00:00:00Z"));
        state.put(NS, "k", "v2".getBytes(UTF_8), 2, 0, "t2", Instant.parse("2025-01-02T00:00:00Z"));
        state.delete(NS, "k", 3, "t3", Instant.parse("2025-01-03T00:00:00Z"));
        SimulationStub stub = stub();

        List<KeyModification> history = new ArrayList<>();
        try (QueryResultsIterator<KeyModification> it = stub.getHistoryForKey("k")) {
            it.forEach(history::add);
        }

        assertThat(history).extracting(KeyModification::getTxId).containsExactly("t3", "t2", "t1");
        assertThat(history.get(0).isDeleted()).isTrue();
        assertThat(history.get(0).getValue()).isEmpty();
        assertThat(history.get(1).getStringValue()).isEqualTo("v2");
        assertThat(history.get(2).getTimestamp()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
        KVRWSet rw = kv(stub.readWriteSet());
        assertThat(rw.getReadsCount() + rw.getRangeQueriesInfoCount()).isZero();
    }

    @Test
    void setEvent_lastWins_withChaincodeAndTxId() {
        SimulationStub stub = stub();

        stub.setEvent("First", "1".getBytes(UTF_8));
        stub.setEvent("Second", null);

        assertThat(stub.getEvent().getEventName()).isEqualTo("Second");
        assertThat(stub.getEvent().getPayload()).isEmpty();
        assertThat(stub.getEvent().getChaincodeId()).isEqualTo(NS);
        assertThat(stub.getEvent().getTxId()).isEqualTo("tx1");
        assertThatThrownBy(() -> stub.setEvent(" ", null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unsupportedFeatures_throwNamingTheFunction() {
        SimulationStub stub = stub();

        assertThatThrownBy(() -> stub.getQueryResult("{}"))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageStartingWith("getQueryResult:");
        assertThatThrownBy(() -> stub.getPrivateData("c", "k"))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageStartingWith("getPrivateData:");
        assertThatThrownBy(() -> stub.invokeChaincode("other", List.of()))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageStartingWith("invokeChaincode:");
    }

    @Test
    void validationParameter_readFromCommittedMetadata_writtenAsAMetadataWrite() {
        state.put(NS, "k", "v", 7, 3);
        state.validationParameter(NS, "k", new byte[] {1, 2});
        SimulationStub stub = stub();

        assertThat(stub.getStateValidationParameter("k")).containsExactly(1, 2);
        assertThat(stub.getStateValidationParameter("absent")).isEmpty();
        stub.setStateValidationParameter("new", new byte[] {9});
        stub.setStateValidationParameter("k", new byte[0]);

        KVRWSet rw = kv(stub.readWriteSet());
        assertThat(rw.getReadsList()).as("reading a policy reads the key").contains(read("k", 7, 3));
        assertThat(rw.getMetadataWritesList()).hasSize(2);
        assertThat(rw.getMetadataWrites(0).getKey()).isEqualTo("k");
        assertThat(rw.getMetadataWrites(0).getEntriesList())
                .as("an empty policy removes it")
                .isEmpty();
        assertThat(rw.getMetadataWrites(1).getKey()).isEqualTo("new");
        assertThat(rw.getMetadataWrites(1).getEntries(0).getName()).isEqualTo("VALIDATION_PARAMETER");
        assertThat(rw.getMetadataWrites(1).getEntries(0).getValue().toByteArray())
                .containsExactly(9);
    }

    @Test
    void readsAndWritesOfManyKeys_sortedByUtf8Bytes_keyWritesAsTheLedgerReadsThem() {
        state.put(NS, "m", "v", 2, 0);
        SimulationStub stub = stub();
        List<String> keys = new ArrayList<>(List.of("\ud83d\ude00", "\ufffd", "\u0000subject\u0000a\u0000", "m", "z"));
        for (int i = 0; i < 200; i++) {
            keys.add(Integer.toHexString(i * 7919));
        }
        for (String key : keys) {
            stub.getState(key);
            stub.putState(key, key.getBytes(UTF_8));
            stub.setStateValidationParameter(key, new byte[] {1});
        }
        stub.delState("z");
        stub.setStateValidationParameter("policy only", new byte[] {2});

        var rwset = stub.readWriteSet();
        KVRWSet rw = kv(rwset);

        List<String> byBytes = keys.stream()
                .sorted((x, y) -> Arrays.compareUnsigned(x.getBytes(UTF_8), y.getBytes(UTF_8)))
                .toList();
        assertThat(rw.getReadsList()).extracting(KVRead::getKey).containsExactlyElementsOf(byBytes);
        assertThat(rw.getWritesList()).extracting(KVWrite::getKey).containsExactlyElementsOf(byBytes);
        assertThat(rw.getReads(byBytes.indexOf("m"))).isEqualTo(read("m", 2, 0));
        List<KeyWrite> expected = KeyWrite.of(rwset);
        List<KeyWrite> recorded = stub.keyWrites();
        assertThat(recorded).hasSize(keys.size() + 1);
        assertThat(recorded.get(recorded.size() - 1).key()).isEqualTo("policy only");
        assertThat(recorded.get(recorded.size() - 1).change()).isEqualTo(KeyWrite.Change.UNCHANGED);
        assertThat(recorded.get(byBytes.indexOf("z")).change()).isEqualTo(KeyWrite.Change.DELETE);
        assertThat(recorded).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            KeyWrite want = expected.get(i);
            KeyWrite got = recorded.get(i);
            assertThat(got.namespace()).isEqualTo(want.namespace());
            assertThat(got.key()).isEqualTo(want.key());
            assertThat(got.change()).isEqualTo(want.change());
            assertThat(got.value()).isEqualTo(want.value());
            assertThat(got.metadata()).isEqualTo(want.metadata());
        }
    }

    @Test
    void ledgerFailure_rememberedAndRethrown() {
        RuntimeException boom = new IllegalStateException("disk on fire");
        state.failure = boom;
        SimulationStub stub = stub();

        assertThatThrownBy(() -> stub.getState("k")).isSameAs(boom);
        assertThat(stub.ledgerFailure()).isSameAs(boom);
    }
}
