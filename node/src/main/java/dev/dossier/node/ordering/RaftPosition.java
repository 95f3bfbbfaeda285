package dev.dossier.node.ordering;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.dossier.node.ledger.BlockSeal;
import java.nio.ByteBuffer;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Metadata;

/**
 * Where a block came from in the Raft log: the term and index of the entry it was made from, and the entry's cut
 * time. Stored in the block as its consenter metadata (in the SIGNATURES entry, written in the same RocksDB write as
 * the block and its state), as Fabric's etcdraft orderer keeps its Raft index there, so a restarted node knows the last
 * entry it applied and a node replaying blocks fetched from a peer can re-validate them at the same time.
 *
 * <p>Encoding: the consenter metadata is a serialized {@code common.Metadata} (as Fabric wraps consenter metadata)
 * whose value is, version 1: {@code 0x01 ‖ term (8, big-endian) ‖ index (8) ‖ cut time epoch seconds (8) ‖
 * nanoseconds (4)}.
 */
public record RaftPosition(long term, long index, Instant cutAt) {
    private static final byte VERSION = 1;
    private static final int SIZE = 1 + 8 + 8 + 8 + 4;

    public RaftPosition {
        requireNonNull(cutAt, "cutAt");
        if (term < 0 || index < 0) {
            throw new IllegalArgumentException("negative term or index: " + term + ", " + index);
        }
    }

    /** @return the consenter metadata bytes for a {@link BlockSeal} */
    public ByteString consenterMetadata() {
        ByteBuffer value = ByteBuffer.allocate(SIZE)
                .put(VERSION)
                .putLong(term)
                .putLong(index)
                .putLong(cutAt.getEpochSecond())
                .putInt(cutAt.getNano());
        return Metadata.newBuilder()
                .setValue(ByteString.copyFrom(value.array()))
                .build()
                .toByteString();
    }

    /**
     * @return the position recorded in the block, or empty for a block with no consenter metadata (the genesis block,
     *     blocks of a single-node orderer)
     * @throws IllegalArgumentException if the block's consenter metadata is not a version-1 position
     */
    public static Optional<RaftPosition> of(Block block) {
        ByteString consenter = BlockSeal.consenterMetadata(block);
        if (consenter.isEmpty()) {
            return Optional.empty();
        }
        ByteString value;
        try {
            value = Metadata.parseFrom(consenter).getValue();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(
                    "block " + block.getHeader().getNumber() + ": consenter metadata does not decode", e);
        }
        if (value.size() != SIZE || value.byteAt(0) != VERSION) {
            throw new IllegalArgumentException(
                    "block " + block.getHeader().getNumber() + ": consenter metadata is not a version-1 Raft position");
        }
        ByteBuffer in = value.asReadOnlyByteBuffer();
        in.get();
        try {
            return Optional.of(
                    new RaftPosition(in.getLong(), in.getLong(), Instant.ofEpochSecond(in.getLong(), in.getInt())));
        } catch (DateTimeException | ArithmeticException e) {
            // beyond Instant's range; ArithmeticException when the nanoseconds carry past Long.MAX_VALUE seconds
            throw new IllegalArgumentException("block " + block.getHeader().getNumber() + ": bad cut time", e);
        }
    }
}
