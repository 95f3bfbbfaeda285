package dev.dossier.node.ledger;

import static dev.dossier.node.ledger.TestTxs.read;
import static dev.dossier.node.ledger.TestTxs.rw;
import static dev.dossier.node.ledger.TestTxs.valid;
import static dev.dossier.node.ledger.TestTxs.version;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.QueryReads;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.QueryReadsMerkleSummary;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Range queries recorded as Fabric's Merkle summary, judged at commit against trees of more than one level. The
 * expected summaries are built here by hand from Fabric's rules ({@code rwsetutil.RangeQueryResultsHelper}, max
 * degree 2): a leaf is the SHA-256 of a serialized {@code QueryReads} of three results, a level of three hashes is
 * combined into the SHA-256 of their concatenation one level up, and at the end the last leaf is carried up alone.
 */
class RangeMerkleSummaryTest {
    @TempDir
    Path dir;

    private Ledger ledger;

    @BeforeEach
    void tenKeysInBlockOne() throws Exception {
        ledger = TestTxs.openWithGenesis(dir);
        TestTxs.RwSet keys = rw();
        for (int i = 0; i < 10; i++) {
            keys.write("k" + i, "v" + i);
        }
        ledger.commit(List.of(valid("keys", keys)));
    }

    @AfterEach
    void closeLedger() {
        ledger.close();
    }

    /** SHA-256 of the serialized reads of keys {@code k<from>..k<to>}, each at version 1:0. */
    private static byte[] leaf(int from, int to) throws NoSuchAlgorithmException {
        QueryReads.Builder reads = QueryReads.newBuilder();
        for (int i = from; i <= to; i++) {
            reads.addKvReads(read("k" + i, version(1, 0)));
        }
        return MessageDigest.getInstance("SHA-256").digest(reads.build().toByteArray());
    }

    private static byte[] combined(byte[]... hashes) throws NoSuchAlgorithmException {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        for (byte[] hash : hashes) {
            digest.update(hash);
        }
        return digest.digest();
    }

    private static QueryReadsMerkleSummary summary(int maxDegree, int maxLevel, byte[]... top) {
        QueryReadsMerkleSummary.Builder summary =
                QueryReadsMerkleSummary.newBuilder().setMaxDegree(maxDegree).setMaxLevel(maxLevel);
        for (byte[] hash : top) {
            summary.addMaxLevelHashes(ByteString.copyFrom(hash));
        }
        return summary.build();
    }

    /** Commits a transaction that scanned {@code [k, end)} and writes a key outside that range; @return its code */
    private TxValidationCode commitScan(String end, QueryReadsMerkleSummary summary) throws Exception {
        Block block = ledger.commit(List.of(valid(
                "scan-" + ledger.height(), rw().merkleRange("k", end, summary).write("a", "1"))));
        byte[] filter = block.getMetadata()
                .getMetadata(BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE)
                .toByteArray();
        return TxValidationCode.forNumber(filter[0] & 0xff);
    }

    @Test
    void levelTwoSummaries_ofTheRangesResults_areValid() throws Exception {
        // k0..k6: leaves {k0,k1,k2}, {k3,k4,k5}, {k6}; three hashes at level 1 are more than 2, so one hash at level 2
        QueryReadsMerkleSummary seven = summary(2, 2, combined(leaf(0, 2), leaf(3, 5), leaf(6, 6)));
        // k0..k9: leaves {k0..k2}, {k3..k5}, {k6..k8} combine into level 2; leaf {k9} alone is carried up to level 2
        QueryReadsMerkleSummary ten = summary(2, 2, combined(leaf(0, 2), leaf(3, 5), leaf(6, 8)), leaf(9, 9));

        assertThat(commitScan("k7", seven)).isEqualTo(TxValidationCode.VALID);
        assertThat(commitScan("", ten)).isEqualTo(TxValidationCode.VALID);
    }

    @Test
    void summaryOfOtherResults_orAtAnotherLevel_isAPhantomRead() throws Exception {
        byte[] sevenAtLevelTwo = combined(leaf(0, 2), leaf(3, 5), leaf(6, 6));

        // the summary of k0..k6 does not match a range that also holds k7, k8 and k9
        assertThat(commitScan("", summary(2, 2, sevenAtLevelTwo))).isEqualTo(TxValidationCode.PHANTOM_READ_CONFLICT);
        assertThat(commitScan("k7", summary(2, 1, sevenAtLevelTwo))).isEqualTo(TxValidationCode.PHANTOM_READ_CONFLICT);
    }

    @Test
    void summariesFabricNeverRecords_areAPhantomRead() throws Exception {
        // a max degree below 2 makes no tree
        assertThat(commitScan("k2", summary(1, 1, leaf(0, 1)))).isEqualTo(TxValidationCode.PHANTOM_READ_CONFLICT);
        // two results fit in one leaf's pending reads: Fabric records them as raw reads, never as a summary
        assertThat(commitScan("k2", summary(2, 1, leaf(0, 1)))).isEqualTo(TxValidationCode.PHANTOM_READ_CONFLICT);
    }
}
