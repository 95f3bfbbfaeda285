package dev.dossier.node.chaincode;

import static dev.dossier.node.chaincode.InMemoryState.kv;
import static dev.dossier.node.chaincode.TestIdentities.ORG1;
import static dev.dossier.node.chaincode.TestIdentities.ORG2;
import static dev.dossier.node.chaincode.TestIdentities.invocation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dossier.node.ledger.StateReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.RangeQueryInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ChaincodeRuntimeTest {
    private static final String CC = "dossier";
    private static final String HEX = "ab".repeat(32);
    /** The role policy's key, which every notary transaction reads. */
    private static final String POLICY_KEY = "\u0000policy\u0000";

    private static ChaincodeRuntime runtime;

    private final InMemoryState state = new InMemoryState();
    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeAll
    static void load() throws ChaincodeLoadException {
        runtime = ChaincodeRuntime.load(CC, null);
    }

    @BeforeEach
    void captureLogs() {
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void stopCapturingLogs() {
        Logger.getLogger("").removeHandler(capture);
    }

    private static String hex(int i) {
        return HexFormat.of().toHexDigits(i) + "00".repeat(28);
    }

    private Simulation anchor(StateReader reader, String creatorTx, String commitment) {
        return runtime.simulate(reader, invocation(ORG1, creatorTx, "anchor", commitment, "record"));
    }

    private static String entry(String commitment, String mspId) {
        return "{\"anchoredAt\":\"2025-03-01T09:30:00.123Z\",\"commitment\":\"" + commitment
                + "\",\"issuerId\":\"O=Org1MSP,CN=alice\",\"kind\":\"record\",\"mspId\":\"" + mspId
                + "\",\"schemaVersion\":1,\"status\":\"active\"}";
    }

    @Test
    void name_isTheChaincodeName() {
        assertThat(runtime.name()).isEqualTo(CC);
        assertThat(runtime.toString()).contains("notary", "probe");
    }

    @Test
    void load_invalidName_throws() {
        assertThatThrownBy(() -> ChaincodeRuntime.load("bad name", null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anchor_writesEntryReadsAbsentKeyAndEmitsEvent() {
        Simulation s = runtime.simulate(state, invocation(ORG1, "tx-anchor", "anchor", HEX.toUpperCase(), "record"));

        assertThat(s.succeeded()).isTrue();
        assertThat(s.response().getStatus()).isEqualTo(200);
        assertThat(s.response().getPayload().toStringUtf8()).isEqualTo(entry(HEX, "Org1MSP"));
        KVRWSet rw = kv(s.readWriteSet());
        assertThat(s.readWriteSet().getNsRwset(0).getNamespace()).isEqualTo(CC);
        assertThat(rw.getReadsList())
                .containsExactly(
                        KVRead.newBuilder().setKey(POLICY_KEY).build(),
                        KVRead.newBuilder().setKey(HEX).build());
        assertThat(rw.getWritesList())
                .containsExactly(KVWrite.newBuilder()
                        .setKey(HEX)
                        .setValue(s.response().getPayload())
                        .build());
        assertThat(s.event().getEventName()).isEqualTo("Anchored");
        assertThat(s.event().getPayload().toStringUtf8()).isEqualTo(HEX);
        assertThat(s.event().getChaincodeId()).isEqualTo(CC);
        assertThat(s.event().getTxId()).isEqualTo("tx-anchor");
    }

    @Test
    void status_afterCommit_returnsEntryAndReadsItsVersion() {
        state.commit(anchor(state, "t1", HEX), 5, 2, "t1", TestIdentities.NOW);

        Simulation s = runtime.simulate(state, invocation("status", HEX));

        assertThat(s.response().getStatus()).isEqualTo(200);
        assertThat(s.response().getPayload().toStringUtf8()).isEqualTo(entry(HEX, "Org1MSP"));
        KVRWSet rw = kv(s.readWriteSet());
        assertThat(rw.getReads(1).getKey()).isEqualTo(HEX);
        assertThat(rw.getReads(1).getVersion().getBlockNum()).isEqualTo(5);
        assertThat(rw.getReads(1).getVersion().getTxNum()).isEqualTo(2);
        assertThat(rw.getWritesList()).isEmpty();
        assertThat(s.event()).isNull();
    }

    @Test
    void status_missing_500WithNotFoundCodeAndNothingRecorded() {
        Simulation s = runtime.simulate(state, invocation("status", HEX));

        assertThat(s.succeeded()).isFalse();
        assertThat(s.response().getStatus()).isEqualTo(500);
        assertThat(s.response().getMessage()).isEqualTo("commitment " + HEX + " is not anchored");
        assertThat(s.response().getPayload().toStringUtf8()).isEqualTo("NOT_FOUND");
        assertThat(s.readWriteSet().getNsRwsetList()).isEmpty();
        assertThat(logged).as("business errors are not logged").isEmpty();
    }

    @Test
    void anchor_malformedCommitmentOrKind_invalidArgument() {
        Simulation shortHex = runtime.simulate(state, invocation("anchor", "abc", "record"));
        Simulation notHex = runtime.simulate(state, invocation("anchor", "zz".repeat(32), "record"));
        Simulation freeText = runtime.simulate(state, invocation("anchor", HEX, "Mario Rossi"));

        for (Simulation s : List.of(shortHex, notHex, freeText)) {
            assertThat(s.response().getStatus()).isEqualTo(500);
            assertThat(s.response().getPayload().toStringUtf8()).isEqualTo("INVALID_ARGUMENT");
        }
        assertThat(shortHex.response().getMessage()).contains("64 hexadecimal digits");
        assertThat(freeText.response().getMessage()).contains("kind");
    }

    @Test
    void anchor_again_sameMspIsNoOp_otherMspRefused() {
        state.commit(anchor(state, "t1", HEX), 3, 0, "t1", TestIdentities.NOW);

        Simulation same = runtime.simulate(state, invocation(ORG1, "t2", "anchor", HEX, "record"));
        Simulation other = runtime.simulate(state, invocation(ORG2, "t3", "anchor", HEX, "record"));

        assertThat(same.response().getStatus()).isEqualTo(200);
        assertThat(same.response().getPayload().toStringUtf8()).isEqualTo(entry(HEX, "Org1MSP"));
        assertThat(kv(same.readWriteSet()).getWritesList()).isEmpty();
        assertThat(kv(same.readWriteSet()).getReads(1).getVersion().getBlockNum())
                .isEqualTo(3);
        assertThat(same.event()).isNull();
        assertThat(other.response().getStatus()).isEqualTo(500);
        assertThat(other.response().getPayload().toStringUtf8()).isEqualTo("ALREADY_ANCHORED");
        assertThat(other.response().getMessage()).contains("Org1MSP");
    }

    @Test
    void history_listsCommittedChangesAsJson() {
        state.commit(anchor(state, "t1", HEX), 3, 0, "t1", Instant.parse("2025-03-02T10:00:00Z"));

        Simulation s = runtime.simulate(state, invocation("history", HEX));
        Simulation none = runtime.simulate(state, invocation("history", "cd".repeat(32)));

        assertThat(s.response().getPayload().toStringUtf8())
                .isEqualTo("[{\"delete\":false,\"timestamp\":\"2025-03-02T10:00:00Z\",\"txId\":\"t1\",\"value\":"
                        + entry(HEX, "Org1MSP") + "}]");
        assertThat(none.response().getPayload().toStringUtf8()).isEqualTo("[]");
    }

    @Test
    void getMetadata_namesTheContracts() {
        Simulation s = runtime.simulate(state, invocation("org.hyperledger.fabric:GetMetadata"));

        assertThat(s.response().getStatus()).isEqualTo(200);
        assertThat(s.response().getPayload().toStringUtf8())
                .contains("\"name\":\"notary\"", "\"name\":\"anchor\"", "\"name\":\"probe\"");
    }

    @Test
    void contractError_500WithMessageAndCode() {
        Simulation s = runtime.simulate(state, invocation("probe:fail", "no can do"));

        assertThat(s.response().getStatus()).isEqualTo(500);
        assertThat(s.response().getMessage()).isEqualTo("no can do");
        assertThat(s.response().getPayload().toStringUtf8()).isEqualTo("PROBE_FAILED");
    }

    @Test
    void failedInvocation_discardsWritesAndEvent() {
        Simulation s = runtime.simulate(state, invocation("probe:putThenFail", "k"));

        assertThat(s.response().getStatus()).isEqualTo(500);
        assertThat(s.readWriteSet().getNsRwsetList()).isEmpty();
        assertThat(s.event()).isNull();
    }

    @Test
    void unexpectedError_500GenericMessageAndCauseLoggedWithTxId() {
        Simulation s = runtime.simulate(state, invocation(ORG1, "tx-boom", "probe:boom"));

        assertThat(s.response().getStatus()).isEqualTo(500);
        assertThat(s.response().getMessage()).isEqualTo("Error during contract method execution");
        assertThat(s.response().getPayload()).isEmpty();
        assertThat(logged).anySatisfy(r -> assertThat(r.getMessage()).contains("tx-boom", "probe exploded"));
    }

    @Test
    void stubRuleViolation_isAnUnexpectedError() {
        Simulation s = runtime.simulate(state, invocation("probe:badKey"));

        assertThat(s.response().getStatus()).isEqualTo(500);
        assertThat(s.response().getMessage()).isEqualTo("Error during contract method execution");
        assertThat(logged).anySatisfy(r -> assertThat(r.getMessage()).contains("not a valid UTF-8"));
    }

    @Test
    void wrongArgumentCount_500UnexpectedError() {
        Simulation s = runtime.simulate(state, invocation("probe:put", "only-the-key"));

        assertThat(s.response().getStatus()).isEqualTo(500);
        assertThat(s.response().getMessage()).isEqualTo("Unexpected error");
    }

    @Test
    void wrongArgumentCount_ofTheNotary_namesTheFunctionAndItsCount() {
        Simulation s = runtime.simulate(state, invocation("status"));

        assertThat(s.response().getStatus()).isEqualTo(500);
        assertThat(s.response().getMessage()).isEqualTo("status takes 1 argument, got 0");
        assertThat(s.response().getPayload().toStringUtf8()).isEqualTo("INVALID_ARGUMENT");
    }

    @Test
    void unknownFunction_500() {
        Simulation s = runtime.simulate(state, invocation("nosuch"));

        assertThat(s.response().getStatus()).isEqualTo(500);
        assertThat(s.response().getMessage()).isEqualTo("Undefined contract method called");
    }

    @Test
    void noArgs_successWithoutPayload() {
        Simulation s = runtime.simulate(state, invocation());

        assertThat(s.response().getStatus()).isEqualTo(200);
        assertThat(s.response().getPayload()).isEmpty();
    }

    @Test
    void context_clientIdentityIsCreatorMspIdIsNodes() {
        Simulation s = runtime.simulate(state, invocation(ORG2, "tx-who", "probe:whoami"));

        assertThat(s.response().getPayload().toStringUtf8()).isEqualTo("Org2MSP|Org1MSP|dossier|tx-who");
    }

    @Test
    void rangeQuery_throughContract_recordsRangeQueryInfo() {
        for (String k : List.of("a", "b", "c", "d")) {
            state.put(CC, k, k, 1, k.charAt(0) - 'a');
        }

        Simulation partial = runtime.simulate(state, invocation("probe:scan", "a", "", "2"));
        Simulation full = runtime.simulate(state, invocation("probe:scan", "b", "d", "10"));

        assertThat(partial.response().getPayload().toStringUtf8()).isEqualTo("a,b");
        RangeQueryInfo p = kv(partial.readWriteSet()).getRangeQueriesInfo(0);
        assertThat(p.getItrExhausted()).isFalse();
        assertThat(p.getEndKey()).isEqualTo("b");
        assertThat(full.response().getPayload().toStringUtf8()).isEqualTo("b,c");
        RangeQueryInfo f = kv(full.readWriteSet()).getRangeQueriesInfo(0);
        assertThat(f.getItrExhausted()).isTrue();
        assertThat(f.getEndKey()).isEqualTo("d");
        assertThat(f.getRawReads().getKvReadsList()).extracting(KVRead::getKey).containsExactly("b", "c");
    }

    @Test
    void compositeKeys_throughContract() {
        long tx = 0;
        for (String[] own :
                List.of(new String[] {"alice", "car"}, new String[] {"alice", "bike"}, new String[] {"bob", "boat"})) {
            state.commit(
                    runtime.simulate(state, invocation("probe:own", own[0], own[1])),
                    1,
                    tx,
                    "o" + tx,
                    TestIdentities.NOW);
            tx++;
        }

        Simulation s = runtime.simulate(state, invocation("probe:owned", "alice"));

        assertThat(s.response().getPayload().toStringUtf8()).isEqualTo("bike,car");
        RangeQueryInfo info = kv(s.readWriteSet()).getRangeQueriesInfo(0);
        assertThat(info.getStartKey()).isEqualTo("\u0000owner\u0000alice\u0000");
        assertThat(info.getItrExhausted()).isTrue();
        assertThat(info.getRawReads().getKvReadsCount()).isEqualTo(2);
    }

    @Test
    void ledgerFailure_thrownNotReportedAsChaincodeError() {
        IllegalStateException failure = new IllegalStateException("rocksdb closed");
        state.failure = failure;

        assertThatThrownBy(() -> runtime.simulate(state, invocation("status", HEX)))
                .isSameAs(failure);
    }

    @Test
    void concurrentSimulations_independentReadWriteSets() throws Exception {
        int threads = 4;
        int perThread = 150;
        for (int i = 0; i < threads * perThread; i += 2) {
            state.commit(anchor(state, "seed" + i, hex(i)), 1 + i, 0, "seed" + i, TestIdentities.NOW);
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t * perThread;
                done.add(pool.submit((Callable<Void>) () -> {
                    for (int i = first; i < first + perThread; i++) {
                        String commitment = hex(i);
                        String txId = "c" + i;
                        if (i % 2 == 0) {
                            Simulation s = runtime.simulate(state, invocation(ORG1, txId, "status", commitment));
                            assertThat(s.response().getPayload().toStringUtf8())
                                    .isEqualTo(entry(commitment, "Org1MSP"));
                            KVRWSet rw = kv(s.readWriteSet());
                            assertThat(rw.getReadsList()).hasSize(2);
                            assertThat(rw.getReads(1).getKey()).isEqualTo(commitment);
                            assertThat(rw.getReads(1).getVersion().getBlockNum())
                                    .isEqualTo(1 + i);
                            assertThat(rw.getWritesList()).isEmpty();
                        } else {
                            Simulation s = anchor(state, txId, commitment);
                            KVRWSet rw = kv(s.readWriteSet());
                            assertThat(rw.getReadsList())
                                    .extracting(KVRead::getKey)
                                    .containsExactly(POLICY_KEY, commitment);
                            assertThat(rw.getWritesList())
                                    .extracting(KVWrite::getKey)
                                    .containsExactly(commitment);
                            assertThat(rw.getWrites(0).getValue().toStringUtf8())
                                    .isEqualTo(entry(commitment, "Org1MSP"));
                            assertThat(s.event().getTxId()).isEqualTo(txId);
                            assertThat(s.event().getPayload().toStringUtf8()).isEqualTo(commitment);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
