package dev.dossier.node.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.dossier.common.merkle.Proofs;
import dev.dossier.common.merkle.Rfc9162;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.common.BlockMetadata;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.Version;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeEndorsedAction;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TransactionAction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

class CommitmentLogTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final String NS = "notary";

    @TempDir
    Path directory;

    private final Random random = new Random(42);

    private byte[] commitment() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return bytes;
    }

    /** The entry a test transaction writes for a commitment: JSON naming it (so every leaf differs). */
    static byte[] entry(byte[] commitment) {
        return ("{\"commitment\":\"" + HEX.formatHex(commitment) + "\",\"status\":\"active\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The leaf data of a test commitment: the commitment, then its entry bytes (the test entry is already a public
     * entry: canonical, public members only).
     */
    static byte[] leafData(byte[] commitment) {
        byte[] entry = entry(commitment);
        byte[] data = Arrays.copyOf(commitment, 32 + entry.length);
        System.arraycopy(entry, 0, data, 32, entry.length);
        return data;
    }

    /** A transaction that creates the given commitment keys (read absent, then write), in namespace {@code ns}. */
    private static KVRWSet creates(List<byte[]> commitments) {
        KVRWSet.Builder kv = KVRWSet.newBuilder();
        for (byte[] c : commitments) {
            kv.addReads(KVRead.newBuilder().setKey(HEX.formatHex(c)));
            kv.addWrites(KVWrite.newBuilder().setKey(HEX.formatHex(c)).setValue(ByteString.copyFrom(entry(c))));
        }
        return kv.build();
    }

    private static ByteString envelope(String ns, KVRWSet kv) {
        TxReadWriteSet rwset = TxReadWriteSet.newBuilder()
                .addNsRwset(NsReadWriteSet.newBuilder().setNamespace(ns).setRwset(kv.toByteString()))
                .build();
        ChaincodeAction action =
                ChaincodeAction.newBuilder().setResults(rwset.toByteString()).build();
        ByteString prp = ProposalResponsePayload.newBuilder()
                .setExtension(action.toByteString())
                .build()
                .toByteString();
        ChaincodeActionPayload cap = ChaincodeActionPayload.newBuilder()
                .setAction(ChaincodeEndorsedAction.newBuilder().setProposalResponsePayload(prp))
                .build();
        Transaction tx = Transaction.newBuilder()
                .addActions(TransactionAction.newBuilder().setPayload(cap.toByteString()))
                .build();
        return envelope(HeaderType.ENDORSER_TRANSACTION, tx.toByteString());
    }

    private static ByteString envelope(HeaderType type, ByteString data) {
        ChannelHeader header =
                ChannelHeader.newBuilder().setType(type.getNumber()).build();
        return Envelope.newBuilder()
                .setPayload(Payload.newBuilder()
                        .setHeader(Header.newBuilder().setChannelHeader(header.toByteString()))
                        .setData(data)
                        .build()
                        .toByteString())
                .build()
                .toByteString();
    }

    private static Block block(long number, List<ByteString> envelopes, List<TxValidationCode> codes) {
        byte[] filter = new byte[codes.size()];
        for (int i = 0; i < filter.length; i++) {
            filter[i] = (byte) codes.get(i).getNumber();
        }
        BlockMetadata.Builder metadata = BlockMetadata.newBuilder();
        for (int i = 0; i < 5; i++) {
            metadata.addMetadata(i == 2 ? ByteString.copyFrom(filter) : ByteString.EMPTY);
        }
        return Block.newBuilder()
                .setHeader(BlockHeader.newBuilder().setNumber(number))
                .setData(BlockData.newBuilder().addAllData(envelopes))
                .setMetadata(metadata)
                .build();
    }

    private static Block genesis() {
        return block(
                0,
                List.of(envelope(HeaderType.CONFIG, ByteString.copyFromUtf8("config"))),
                List.of(TxValidationCode.VALID));
    }

    /** A log in {@code directory} holding the genesis block and one block anchoring {@code commitments}. */
    static CommitmentLog logWith(Path directory, byte[]... commitments) throws Exception {
        CommitmentLog log = CommitmentLog.open(directory, NS);
        log.apply(genesis());
        log.apply(block(1, List.of(envelope(NS, creates(List.of(commitments)))), List.of(TxValidationCode.VALID)));
        return log;
    }

    @Test
    void leaves_areOnlyNewCommitmentKeysOfValidTransactionsInTheNamespace() {
        byte[] created = commitment();
        byte[] invalid = commitment();
        byte[] elsewhere = commitment();
        KVRWSet update = KVRWSet.newBuilder()
                .addReads(KVRead.newBuilder()
                        .setKey(HEX.formatHex(created))
                        .setVersion(Version.newBuilder().setBlockNum(1)))
                .addWrites(KVWrite.newBuilder()
                        .setKey(HEX.formatHex(created))
                        .setValue(ByteString.copyFromUtf8("revoked")))
                .build();
        KVRWSet index = KVRWSet.newBuilder()
                .addReads(KVRead.newBuilder().setKey("\u0000subject\u0000x\u0000"))
                .addWrites(KVWrite.newBuilder()
                        .setKey("\u0000subject\u0000x\u0000")
                        .setValue(ByteString.copyFromUtf8("1")))
                .build();
        Block block = block(
                1,
                List.of(
                        envelope(NS, creates(List.of(created))),
                        envelope(NS, creates(List.of(invalid))),
                        envelope("other", creates(List.of(elsewhere))),
                        envelope(NS, update),
                        envelope(NS, index)),
                List.of(
                        TxValidationCode.VALID,
                        TxValidationCode.MVCC_READ_CONFLICT,
                        TxValidationCode.VALID,
                        TxValidationCode.VALID,
                        TxValidationCode.VALID));

        assertThat(LogLeaves.anchored(block, NS)).containsExactly(leafData(created));
    }

    @Test
    void rootsAndProofs_matchRfc9162_forEverySizeAndIndex() throws Exception {
        List<byte[]> leafHashes = new ArrayList<>();
        List<byte[]> commitments = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        try (CommitmentLog log = CommitmentLog.open(directory, NS)) {
            log.apply(genesis());
            for (int b = 1; b <= 12; b++) {
                List<ByteString> txs = new ArrayList<>();
                List<TxValidationCode> codes = new ArrayList<>();
                for (int t = 0; t < b % 4; t++) {
                    List<byte[]> batch = new ArrayList<>();
                    for (int i = 0; i <= t; i++) {
                        byte[] c = commitment();
                        batch.add(c);
                        commitments.add(c);
                        leafHashes.add(Rfc9162.leafHash(leafData(c)));
                    }
                    batch.sort((x, y) -> HEX.formatHex(x).compareTo(HEX.formatHex(y)));
                    commitments
                            .subList(commitments.size() - batch.size(), commitments.size())
                            .clear();
                    commitments.addAll(batch);
                    leafHashes
                            .subList(leafHashes.size() - batch.size(), leafHashes.size())
                            .clear();
                    batch.forEach(c -> leafHashes.add(Rfc9162.leafHash(leafData(c))));
                    txs.add(envelope(NS, creates(batch)));
                    codes.add(TxValidationCode.VALID);
                }
                if (txs.isEmpty()) {
                    txs.add(envelope(NS, KVRWSet.getDefaultInstance()));
                    codes.add(TxValidationCode.VALID);
                }
                log.apply(block(b, txs, codes));
                sizes.add(log.size());
            }
            assertThat(log.size()).isEqualTo(leafHashes.size()).isGreaterThan(20);
            assertThat(log.appliedHeight()).isEqualTo(13);
            for (long n = 1; n <= log.size(); n++) {
                byte[] root = log.root(n);
                assertThat(root).isEqualTo(Rfc9162.root(leafHashes.subList(0, (int) n)));
                for (long m = 0; m < n; m++) {
                    Proofs.verifyInclusion(m, n, leafHashes.get((int) m), log.inclusionProof(m, n), root);
                    if (m > 0) {
                        Proofs.verifyConsistency(m, n, log.root(m), root, log.consistencyProof(m, n));
                    }
                }
            }
            assertThat(log.indexOf(commitments.get(5))).hasValue(5);
            assertThat(log.indexOf(commitment())).isEmpty();
            for (int i = 0; i < commitments.size(); i++) {
                assertThat(log.leafData(i)).isEqualTo(leafData(commitments.get(i)));
            }
        }
    }

    @Test
    void leafData_isTheCommitmentThenThePublicEntryOfWhatItsTransactionWrote_afterReopening() throws Exception {
        byte[] commitment = commitment();
        String key = HEX.formatHex(commitment);
        // not canonical JSON, with the issuing person's DN and a subject pseudonym: the leaf keeps neither
        byte[] written = ("{ \"status\":\"active\", \"issuerId\":\"CN=Società \\u00e8 \\\"ok\\\"\",\"commitment\":\""
                        + key + "\", \"subject\":\"" + "ab".repeat(32) + "\", \"kind\":\"r\\u00e8cord\" }\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] entry = ("{\"commitment\":\"" + key + "\",\"kind\":\"rècord\",\"status\":\"active\"}")
                .getBytes(StandardCharsets.UTF_8);
        KVRWSet kv = KVRWSet.newBuilder()
                .addReads(KVRead.newBuilder().setKey(key))
                .addWrites(KVWrite.newBuilder().setKey(key).setValue(ByteString.copyFrom(written)))
                .build();
        try (CommitmentLog log = CommitmentLog.open(directory, NS)) {
            log.apply(genesis());
            log.apply(block(1, List.of(envelope(NS, kv)), List.of(TxValidationCode.VALID)));
        }
        try (CommitmentLog log = CommitmentLog.open(directory, NS)) {
            byte[] leaf = log.leafData(0);
            assertThat(Arrays.copyOfRange(leaf, 0, 32)).isEqualTo(commitment);
            assertThat(Arrays.copyOfRange(leaf, 32, leaf.length)).isEqualTo(entry);
            assertThat(log.root(1)).isEqualTo(Rfc9162.leafHash(leaf));
            leaf[40] ^= 1;
            assertThat(log.leafData(0)).as("a copy is returned").isNotEqualTo(leaf);
            assertThatThrownBy(() -> log.leafData(1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("leaf 1 is not in the log of 1 leaves");
            assertThatThrownBy(() -> log.leafData(-1)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void logOfAnEarlierFormat_isEmptiedOnOpening_soThatItIsRebuiltFromTheBlocks() throws Exception {
        try (Options options = new Options().setCreateIfMissing(true);
                RocksDB db = RocksDB.open(options, directory.toString())) {
            // a log of leaf format v1 (the entry as written, DN and pseudonym included): size, height, format 1
            db.put(new byte[] {'m', 'v'}, ByteBuffer.allocate(8).putLong(1).array());
            db.put(new byte[] {'m', 's'}, ByteBuffer.allocate(8).putLong(3).array());
            db.put(new byte[] {'m', 'h'}, ByteBuffer.allocate(8).putLong(2).array());
        }
        byte[] commitment = commitment();
        try (CommitmentLog log = CommitmentLog.open(directory, NS)) {
            assertThat(log.size()).isZero();
            assertThat(log.appliedHeight()).isZero();
            log.apply(genesis());
            log.apply(block(1, List.of(envelope(NS, creates(List.of(commitment)))), List.of(TxValidationCode.VALID)));
        }
        try (CommitmentLog log = CommitmentLog.open(directory, NS)) {
            assertThat(log.size()).as("a current log is kept").isEqualTo(1);
            assertThat(log.leafData(0)).isEqualTo(leafData(commitment));
        }
    }

    @Test
    void reopened_keepsSizeHeightAndRoot_andRefusesAnOutOfOrderBlock() throws Exception {
        byte[] root;
        try (CommitmentLog log = CommitmentLog.open(directory, NS)) {
            log.apply(genesis());
            log.apply(block(
                    1,
                    List.of(envelope(NS, creates(List.of(commitment(), commitment())))),
                    List.of(TxValidationCode.VALID)));
            root = log.root(log.size());
        }
        try (CommitmentLog log = CommitmentLog.open(directory, NS)) {
            assertThat(log.size()).isEqualTo(2);
            assertThat(log.appliedHeight()).isEqualTo(2);
            assertThat(log.root(2)).isEqualTo(root);
            assertThatThrownBy(() -> log.apply(block(5, List.of(), List.of())))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not the next block 2");
            assertThatThrownBy(() -> log.root(3)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void sizeAfter_eachBlock_countsTheLeavesOfThatBlockAndBefore_afterReopening() throws Exception {
        byte[] again = commitment();
        try (CommitmentLog log = CommitmentLog.open(directory, NS)) {
            log.apply(genesis());
            log.apply(block(
                    1, List.of(envelope(NS, creates(List.of(again, commitment())))), List.of(TxValidationCode.VALID)));
            log.apply(block(2, List.of(), List.of()));
            // one new commitment and one already in the log: one leaf
            log.apply(block(
                    3, List.of(envelope(NS, creates(List.of(commitment(), again)))), List.of(TxValidationCode.VALID)));
            assertThat(log.sizeAfter(3)).hasValue(3);
        }
        try (CommitmentLog log = CommitmentLog.open(directory, NS)) {
            assertThat(log.sizeAfter(0)).hasValue(0);
            assertThat(log.sizeAfter(1)).hasValue(2);
            assertThat(log.sizeAfter(2)).hasValue(2);
            assertThat(log.sizeAfter(3)).hasValue(3);
            assertThat(log.sizeAfter(4)).as("not applied yet").isEmpty();
            assertThat(log.sizeAfter(-1)).isEmpty();
        }
    }

    @Test
    void emptyLog_hasTheEmptyRoot() throws Exception {
        try (CommitmentLog log = CommitmentLog.open(directory, NS)) {
            assertThat(HEX.formatHex(log.root(0)))
                    .isEqualTo(HEX.formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest("".getBytes(StandardCharsets.UTF_8))));
        }
    }
}
