package dev.dossier.node.ledger;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * What the VALID endorser transactions of a committed block read and wrote in one chaincode's namespace, read from
 * the block alone (its transactions filter and envelopes): the input of the state derived from blocks, the commitment
 * log and the revocation list. Also the block's time.
 */
public final class NamespaceWrites {
    /** Told of each VALID endorser transaction's read-write set in the namespace, in block order. */
    @FunctionalInterface
    public interface Visitor {
        void visit(int txNumber, KVRWSet readWriteSet);
    }

    private NamespaceWrites() {}

    /** One VALID transaction's read-write set in the namespace. */
    private record Visit(int txNumber, KVRWSet readWriteSet) {}

    /** The write sets of the block decoded last, and its namespace. */
    private record Decoded(Block block, String namespace, List<Visit> visits) {}

    /**
     * The last block decoded: the commitment log and the revocation index each read the same block just committed,
     * which is then decoded once. Holds one block's write sets (the block's size, bounded by the ordering's limits)
     * until the next block.
     */
    private static volatile Decoded last;

    /**
     * @throws IllegalArgumentException if the block has no transactions filter or a VALID transaction of the block
     *     cannot be decoded
     */
    public static void forEach(Block block, String namespace, Visitor visitor) {
        Decoded decoded = last;
        if (decoded == null || decoded.block() != block || !decoded.namespace().equals(namespace)) {
            decoded = new Decoded(block, namespace, decode(block, namespace));
            last = decoded;
        }
        for (Visit visit : decoded.visits()) {
            visitor.visit(visit.txNumber(), visit.readWriteSet());
        }
    }

    private static List<Visit> decode(Block block, String namespace) {
        long number = block.getHeader().getNumber();
        if (block.getMetadata().getMetadataCount() <= BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE) {
            throw new IllegalArgumentException("block " + number + " has no transactions filter");
        }
        ByteString filter = block.getMetadata().getMetadata(BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE);
        List<Visit> visits = new ArrayList<>();
        for (int i = 0; i < block.getData().getDataCount(); i++) {
            if (i >= filter.size() || (filter.byteAt(i) & 0xFF) != TxValidationCode.VALID_VALUE) {
                continue;
            }
            TxReadWriteSet rwset;
            try {
                Envelope envelope = Envelope.parseFrom(block.getData().getData(i));
                if (Envelopes.channelHeader(envelope).getType() != HeaderType.ENDORSER_TRANSACTION_VALUE) {
                    continue; // configuration transactions write no chaincode state
                }
                rwset = Envelopes.readWriteSet(envelope);
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalArgumentException("block " + number + " transaction " + i + " cannot be decoded", e);
            }
            for (NsReadWriteSet ns : rwset.getNsRwsetList()) {
                if (ns.getNamespace().equals(namespace)) {
                    try {
                        visits.add(new Visit(i, KVRWSet.parseFrom(ns.getRwset())));
                    } catch (InvalidProtocolBufferException e) {
                        throw new IllegalArgumentException(
                                "block " + number + " transaction " + i + ": malformed write set", e);
                    }
                }
            }
        }
        return List.copyOf(visits);
    }

    /**
     * @return the block's time: the latest channel-header timestamp of its transactions, in seconds since the Unix
     *     epoch (0 for a block without a readable one)
     */
    public static long time(Block block) {
        long latest = 0;
        for (ByteString data : block.getData().getDataList()) {
            try {
                ChannelHeader header = Envelopes.channelHeader(Envelope.parseFrom(data));
                latest = Math.max(latest, header.getTimestamp().getSeconds());
            } catch (InvalidProtocolBufferException e) {
                // a transaction that does not decode was refused at commit; it tells no time
            }
        }
        return latest;
    }

    /** @return whether a state key is a commitment: 64 lowercase hex digits */
    public static boolean isCommitmentKey(String key) {
        if (key.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = key.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }
}
