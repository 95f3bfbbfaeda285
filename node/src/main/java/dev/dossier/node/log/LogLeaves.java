package dev.dossier.node.log;

import com.google.protobuf.ByteString;
import dev.dossier.node.ledger.NamespaceWrites;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;

/**
 * Which commitments a block anchors, read from the block alone. A commitment is anchored by a VALID transaction that
 * creates the state key equal to the commitment's 64-character lowercase hex in the notary chaincode's namespace: the
 * transaction read the key and found it absent (a read without version), then wrote a non-empty value. Later writes
 * of the same key (revocation, supersession) are not new leaves. Leaves come in block order, then transaction order,
 * then key order within a transaction's write set (which Fabric sorts).
 *
 * <p>Leaf data (the RFC 9162 leaf input, format v2) is the 32 commitment bytes followed by the {@link PublicEntry} of
 * the value the creating transaction wrote for the key: its public members as canonical JSON, without the issuing
 * person's DN or the subject pseudonym. A receipt therefore authenticates the entry as it was anchored (organisation,
 * kind, anchoring time, validity), not only the commitment, and two receipts of one worker share nothing that links
 * them. (Format v1, before, appended the value exactly as written.)
 */
final class LogLeaves {
    /** Length of a commitment, the first bytes of every leaf. */
    static final int COMMITMENT_BYTES = 32;

    private static final HexFormat HEX = HexFormat.of();

    private LogLeaves() {}

    /**
     * @return the leaf data of the commitments the block anchors (commitment || public entry), in log order
     * @throws IllegalArgumentException if the block has no transactions filter or a VALID transaction of the block
     *     cannot be decoded
     */
    static List<byte[]> anchored(Block block, String namespace) {
        List<byte[]> leaves = new ArrayList<>();
        NamespaceWrites.forEach(block, namespace, (txNumber, kv) -> addCreated(kv, leaves));
        return leaves;
    }

    private static void addCreated(KVRWSet kv, List<byte[]> leaves) {
        Set<String> readAbsent = new HashSet<>();
        for (KVRead read : kv.getReadsList()) {
            if (!read.hasVersion()) {
                readAbsent.add(read.getKey());
            }
        }
        for (KVWrite write : kv.getWritesList()) {
            String key = write.getKey();
            if (!write.getIsDelete()
                    && !write.getValue().isEmpty()
                    && NamespaceWrites.isCommitmentKey(key)
                    && readAbsent.contains(key)) {
                leaves.add(leafData(HEX.parseHex(key), write.getValue()));
            }
        }
    }

    /** @return the v2 leaf data: the 32 commitment bytes, then the public entry of the value written */
    static byte[] leafData(byte[] commitment, ByteString written) {
        byte[] entry = PublicEntry.of(written.toByteArray());
        byte[] data = new byte[COMMITMENT_BYTES + entry.length];
        System.arraycopy(commitment, 0, data, 0, COMMITMENT_BYTES);
        System.arraycopy(entry, 0, data, COMMITMENT_BYTES, entry.length);
        return data;
    }
}
