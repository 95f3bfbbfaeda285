package dev.dossier.node.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.dossier.node.ledger.BlockHashes;
import dev.dossier.node.ledger.Envelopes;
import dev.dossier.node.ordering.BlockSignatures;
import dev.dossier.node.ordering.RaftPosition;
import java.security.SignatureException;
import java.util.HexFormat;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;

/**
 * Fuzzes what a node derives from a block it reads (from its own store, from another node, or in an audit): the
 * commitment-log leaves ({@link LogLeaves#anchored}), each envelope's read-write set ({@link Envelopes}), the header
 * and data hashes ({@link BlockHashes}), the Raft position and the block signatures. Whatever the bytes, these
 * return or fail with {@link InvalidProtocolBufferException}, {@link IllegalArgumentException} or (signatures)
 * {@link SignatureException}; every leaf starts with the 32 bytes of a commitment. Seeds, in {@code
 * src/test/resources/dev/dossier/node/log/BlockFuzzTestInputs/block/}, are blocks that anchor commitments and the
 * inputs of findings ({@code no-metadata}: a block without a transactions filter made {@code anchored} fail with an
 * {@link IndexOutOfBoundsException}; {@code raft-cut-time-overflow}: a Raft cut time of Long.MAX_VALUE seconds and
 * more than a second of nanoseconds made {@code RaftPosition.of} throw {@link ArithmeticException}).
 */
class BlockFuzzTest {
    private static final String NAMESPACE = "notary";

    @FuzzTest
    void block(byte[] data) {
        Block block;
        try {
            block = Block.parseFrom(data);
        } catch (InvalidProtocolBufferException e) {
            return;
        }
        assertThat(BlockHashes.headerHash(block.getHeader())).hasSize(32);
        assertThat(BlockHashes.dataHash(block.getData())).hasSize(32);
        try {
            List<byte[]> leaves = LogLeaves.anchored(block, NAMESPACE);
            for (byte[] leaf : leaves) {
                assertThat(leaf.length).isGreaterThan(LogLeaves.COMMITMENT_BYTES);
                assertThat(dev.dossier.node.ledger.NamespaceWrites.isCommitmentKey(
                                HexFormat.of().formatHex(leaf, 0, LogLeaves.COMMITMENT_BYTES)))
                        .isTrue();
            }
            assertThat(leaves.size()).isLessThanOrEqualTo(writes(block));
        } catch (IllegalArgumentException e) {
            assertThat(e).hasMessageStartingWith("block " + block.getHeader().getNumber());
        }
        for (int i = 0; i < block.getData().getDataCount(); i++) {
            try {
                Envelopes.readWriteSet(Envelope.parseFrom(block.getData().getData(i)));
            } catch (InvalidProtocolBufferException e) {
                // not a transaction envelope: refused as such
            }
        }
        try {
            RaftPosition.of(block);
        } catch (IllegalArgumentException e) {
            assertThat(e).hasMessageStartingWith("block " + block.getHeader().getNumber());
        }
        try {
            BlockSignatures.verify(block, creator -> null);
            throw new AssertionError("a block verified without a known signer");
        } catch (SignatureException | IllegalArgumentException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    /** @return an upper bound of the leaves: the number of writes in the block's decodable envelopes */
    private static int writes(Block block) {
        int count = 0;
        for (int i = 0; i < block.getData().getDataCount(); i++) {
            try {
                for (NsReadWriteSet ns : Envelopes.readWriteSet(
                                Envelope.parseFrom(block.getData().getData(i)))
                        .getNsRwsetList()) {
                    count += KVRWSet.parseFrom(ns.getRwset()).getWritesCount();
                }
            } catch (InvalidProtocolBufferException e) {
                // counted as none
            }
        }
        return count;
    }
}
