package dev.dossier.node.ledger;

import static dev.dossier.node.ledger.TestTxs.read;
import static dev.dossier.node.ledger.TestTxs.rw;
import static dev.dossier.node.ledger.TestTxs.valid;
import static dev.dossier.node.ledger.TestTxs.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

class LedgerAuditTest {
    private static final String COMPOSITE = "\u0000asset\u0000a\u0000";

    @TempDir
    Path parent;

    private Path dir;

    /** Genesis, then three blocks with valid, conflicting, duplicate, prechecked, range and delete transactions. */
    @BeforeEach
    void buildLedger() throws Exception {
        dir = parent.resolve("ledger");
        try (Ledger ledger = Ledger.open(dir)) {
            ledger.commitGenesis(TestTxs.configEnvelope("genesis"));
            ledger.commit(List.of(
                    valid("t0", rw().write("k", "1").write(COMPOSITE, "c1").write("gone", "x")),
                    valid("t1", rw().ns("notes").write("k", "n1"))));
            ledger.commit(List.of(
                    valid("t2", rw().read("k", version(1, 0)).write("k", "2").delete("gone")),
                    valid("t3", rw().read("k", version(1, 0)).write("k", "3")),
                    TestTxs.prechecked("t4", rw().write("k", "4"), TxValidationCode.ENDORSEMENT_POLICY_FAILURE),
                    valid(
                            "t5",
                            rw().range("\u0000asset\u0000", "\u0000asset\u0001", true, read(COMPOSITE, version(1, 0)))
                                    .write("\u0000asset\u0000b\u0000", "c2"))));
            ledger.commit(List.of(
                    valid("t0", rw().write("k", "dup")),
                    valid("t6", rw().read("k", version(2, 0)).write("k", "6").write("", "empty key")),
                    valid("t6", rw().write("k", "dup again"))));
        }
    }

    @Test
    void audit_goodLedger_isClean() throws Exception {
        AuditReport report = LedgerAudit.audit(dir);

        assertThat(report.problem()).isEmpty();
        assertThat(report.clean()).isTrue();
        assertThat(report.blocksChecked()).isEqualTo(4);
        assertThat(report.transactions()).isEqualTo(1 + 2 + 4 + 3);
        assertThat(report.firstBadBlock()).isEmpty();
        try (Stream<Path> left = Files.list(parent)) {
            assertThat(left).extracting(p -> p.getFileName().toString()).containsExactly("ledger");
        }
    }

    @Test
    void audit_emptyLedger_isClean() throws Exception {
        Path empty = parent.resolve("empty");
        Ledger.open(empty).close();

        assertThat(LedgerAudit.audit(empty)).isEqualTo(new AuditReport(0, 0, OptionalLong.empty(), ""));
    }

    @Test
    void audit_noLedger_throws() {
        assertThatThrownBy(() -> LedgerAudit.audit(parent.resolve("nothing"))).isInstanceOf(LedgerException.class);
    }

    @Test
    void audit_flippedByteInBlock2_namesBlock2() throws Exception {
        byte[] original = get(Store.BLOCKS, Encoding.blockKey(2));
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            positions.add(i * original.length / 24);
        }
        positions.add(original.length - 1); // inside the metadata, at the end
        for (int position : positions) {
            put(Store.BLOCKS, Encoding.blockKey(2), bytes -> {
                bytes[position] ^= 0x01;
                return bytes;
            });

            AuditReport report = LedgerAudit.audit(dir);

            assertThat(report.firstBadBlock())
                    .as("flip at %d: %s", position, report.problem())
                    .hasValue(2);
            assertThat(report.problem()).startsWith("block 2: ");
            assertThat(report.blocksChecked()).isEqualTo(3);
            put(Store.BLOCKS, Encoding.blockKey(2), bytes -> original);
        }
        assertThat(LedgerAudit.audit(dir).clean()).isTrue();
    }

    @Test
    void audit_alteredDataWithRecomputedHashes_isCaughtByTheChain() throws Exception {
        // a forger who rewrites an envelope signature in block 2 and its data hash breaks block 3's previous hash
        put(Store.BLOCKS, Encoding.blockKey(2), bytes -> {
            Block block = parse(bytes);
            Envelope envelope = parseEnvelope(block.getData().getData(0).toByteArray());
            Block.Builder forged = block.toBuilder();
            forged.getDataBuilder()
                    .setData(
                            0,
                            envelope.toBuilder()
                                    .setSignature(ByteString.copyFromUtf8("forged"))
                                    .build()
                                    .toByteString());
            forged.getHeaderBuilder().setDataHash(ByteString.copyFrom(BlockHashes.dataHash(forged.getData())));
            return forged.build().toByteArray();
        });

        AuditReport report = LedgerAudit.audit(dir);

        assertThat(report.firstBadBlock()).hasValue(3);
        assertThat(report.problem()).startsWith("block 3: previous hash mismatch");
    }

    @Test
    void audit_tamperedStateValue_namesTheKey() throws Exception {
        put(Store.STATE, Encoding.stateKey(utf8("cc"), utf8(COMPOSITE)), bytes -> {
            bytes[bytes.length - 1] ^= 0x20;
            return bytes;
        });

        AuditReport report = LedgerAudit.audit(dir);

        assertThat(report.clean()).isFalse();
        assertThat(report.firstBadBlock()).isEmpty();
        assertThat(report.blocksChecked()).isEqualTo(4);
        assertThat(report.problem()).startsWith("state of cc/\\u0000asset\\u0000a\\u0000 differs");
    }

    @Test
    void audit_tamperedStateVersion_isReported() throws Exception {
        put(
                Store.STATE,
                Encoding.stateKey(utf8("notes"), utf8("k")),
                bytes -> Encoding.stateValue(2, 0, null, "n1".getBytes(StandardCharsets.UTF_8)));

        assertThat(LedgerAudit.audit(dir).problem())
                .contains("state of notes/k differs")
                .contains("version 2:0")
                .contains("version 1:1");
    }

    @Test
    void audit_keyMetadataGivenInTheState_isReported() throws Exception {
        put(
                Store.STATE,
                Encoding.stateKey(utf8("notes"), utf8("k")),
                bytes -> Encoding.withMetadata(
                        bytes,
                        Encoding.metadataValue(java.util.Map.of(
                                KeyWrite.VALIDATION_PARAMETER, com.google.protobuf.ByteString.copyFromUtf8("mine")))));

        assertThat(LedgerAudit.audit(dir).problem())
                .contains("state of notes/k differs")
                .contains("metadata 0x");
    }

    @Test
    void audit_extraAndMissingStateKeys_areReported() throws Exception {
        put(
                Store.STATE,
                Encoding.stateKey(utf8("cc"), utf8("planted")),
                bytes -> Encoding.stateValue(1, 0, null, new byte[1]));
        assertThat(LedgerAudit.audit(dir).problem())
                .isEqualTo("state has cc/planted (version 1:0, value 0x00) that no committed transaction wrote");
        put(Store.STATE, Encoding.stateKey(utf8("cc"), utf8("planted")), bytes -> null);

        put(Store.STATE, Encoding.stateKey(utf8("cc"), utf8("k")), bytes -> null);
        assertThat(LedgerAudit.audit(dir).problem()).startsWith("state is missing cc/k (version 3:1");
    }

    @Test
    void audit_removedHistoryEntry_isReported() throws Exception {
        byte[] key = Encoding.historyKey(Encoding.historyPrefix(utf8("cc"), utf8("gone")), 2, 0);
        put(Store.HISTORY, key, bytes -> null);

        assertThat(LedgerAudit.audit(dir).problem()).startsWith("history is missing cc/gone @2:0");
    }

    @Test
    void audit_tamperedTxIndex_namesTheBlock() throws Exception {
        put(Store.TX_INDEX, utf8("t3"), bytes -> Encoding.txIndexValue(2, 1, TxValidationCode.VALID));

        AuditReport report = LedgerAudit.audit(dir);

        assertThat(report.firstBadBlock()).hasValue(2);
        assertThat(report.problem())
                .isEqualTo("block 2: tx 1 (t3): tx index says block 2 tx 1 VALID, "
                        + "the block says block 2 tx 1 MVCC_READ_CONFLICT");
    }

    @Test
    void audit_conflictingTxForgedValid_failsRevalidation() throws Exception {
        // flip t3 to VALID in both the filter and the index: only re-validation can tell
        put(Store.BLOCKS, Encoding.blockKey(2), bytes -> {
            Block block = parse(bytes);
            byte[] filter = block.getMetadata()
                    .getMetadata(BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE)
                    .toByteArray();
            filter[1] = (byte) TxValidationCode.VALID_VALUE;
            Block.Builder forged = block.toBuilder();
            forged.getMetadataBuilder()
                    .setMetadata(BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE, ByteString.copyFrom(filter));
            return forged.build().toByteArray();
        });
        put(Store.TX_INDEX, utf8("t3"), bytes -> Encoding.txIndexValue(2, 1, TxValidationCode.VALID));

        AuditReport report = LedgerAudit.audit(dir);

        assertThat(report.firstBadBlock()).hasValue(2);
        assertThat(report.problem())
                .isEqualTo("block 2: tx 1 (t3): marked VALID but re-validation gives MVCC_READ_CONFLICT");
    }

    @Test
    void audit_blockBeyondHeight_isReported() throws Exception {
        byte[] block3 = get(Store.BLOCKS, Encoding.blockKey(3));
        put(Store.BLOCKS, Encoding.blockKey(7), bytes -> block3);

        AuditReport report = LedgerAudit.audit(dir);

        assertThat(report.firstBadBlock()).hasValue(7);
        assertThat(report.problem()).isEqualTo("block 7: stored beyond the ledger height 4");
    }

    @Test
    void audit_missingBlock_isReported() throws Exception {
        put(Store.BLOCKS, Encoding.blockKey(1), bytes -> null);

        AuditReport report = LedgerAudit.audit(dir);

        assertThat(report.firstBadBlock()).hasValue(1);
        assertThat(report.problem()).isEqualTo("block 1: missing");
    }

    // ---- raw access to the database, bypassing the ledger

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Block parse(byte[] bytes) {
        try {
            return Block.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static Envelope parseEnvelope(byte[] bytes) {
        try {
            return Envelope.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private byte[] get(String family, byte[] key) throws RocksDBException {
        byte[][] out = new byte[1][];
        withRawDb((db, handle) -> out[0] = db.get(handle.apply(family), key));
        return out[0];
    }

    /** Replaces the value under {@code key}; the function gets a copy of the current value, null deletes. */
    private void put(String family, byte[] key, UnaryOperator<byte[]> change) throws RocksDBException {
        withRawDb((db, handle) -> {
            byte[] current = db.get(handle.apply(family), key);
            byte[] next = change.apply(current == null ? null : current.clone());
            if (next == null) {
                db.delete(handle.apply(family), key);
            } else {
                db.put(handle.apply(family), key, next);
            }
        });
    }

    private interface RawOp {
        void run(RocksDB db, Function<String, ColumnFamilyHandle> handle) throws RocksDBException;
    }

    private void withRawDb(RawOp op) throws RocksDBException {
        List<byte[]> names;
        try (Options options = new Options()) {
            names = RocksDB.listColumnFamilies(options, dir.toString());
        }
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        for (byte[] name : names) {
            descriptors.add(new ColumnFamilyDescriptor(name));
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (RocksDB db = RocksDB.open(dir.toString(), descriptors, handles)) {
            op.run(db, family -> {
                for (int i = 0; i < names.size(); i++) {
                    if (new String(names.get(i), StandardCharsets.UTF_8).equals(family)) {
                        return handles.get(i);
                    }
                }
                throw new IllegalArgumentException(family);
            });
        } finally {
            handles.forEach(ColumnFamilyHandle::close);
        }
    }
}
