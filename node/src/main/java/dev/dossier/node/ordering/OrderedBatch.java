package dev.dossier.node.ordering;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteBuffer;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.List;
import org.hyperledger.fabric.protos.common.BlockData;

/**
 * The content of one Raft log entry: a batch of serialized transaction envelopes, cut by {@link BlockLimits}, and the
 * time it was cut. Every node turns the same entry into the same block; the cut time is the time at which every node
 * checks certificate validity, so that the outcome does not depend on each node's clock.
 *
 * <p>Encoding, version 1: {@code 0x01 ‖ epoch seconds (8, big-endian) ‖ nanoseconds (4) ‖ common.BlockData} with the
 * envelopes as its data entries, in order. Immutable.
 *
 * @param cutAt when the batch was cut
 * @param envelopes serialized {@code common.Envelope}s, at least one
 */
public record OrderedBatch(Instant cutAt, List<ByteString> envelopes) {
    private static final byte VERSION = 1;
    private static final int PREFIX = 1 + 8 + 4;
    private static final int NANOS_PER_SECOND = 1_000_000_000;

    /**
     * @throws NullPointerException if an argument or element is null
     * @throws IllegalArgumentException if there is no envelope
     */
    public OrderedBatch {
        requireNonNull(cutAt, "cutAt");
        envelopes = List.copyOf(envelopes);
        if (envelopes.isEmpty()) {
            throw new IllegalArgumentException("a batch holds at least one envelope");
        }
    }

    /** @return the version-1 encoding */
    public ByteString encode() {
        ByteBuffer prefix = ByteBuffer.allocate(PREFIX)
                .put(VERSION)
                .putLong(cutAt.getEpochSecond())
                .putInt(cutAt.getNano());
        return ByteString.copyFrom(prefix.array())
                .concat(BlockData.newBuilder().addAllData(envelopes).build().toByteString());
    }

    /**
     * Decodes an entry's bytes, which may come from anyone who could write to the Raft log: every malformation is an
     * {@link IllegalArgumentException}, never another exception. Whether the batch may become a block is decided by
     * {@link OrderingRules}.
     *
     * @return the batch encoded in {@code bytes}
     * @throws IllegalArgumentException if the bytes are not a version-1 batch: too short, another version, nanoseconds
     *     outside 0 to 999,999,999, seconds beyond {@link Instant}'s range, data that is not a {@code BlockData}, or no
     *     envelope
     */
    public static OrderedBatch decode(ByteString bytes) {
        requireNonNull(bytes, "bytes");
        if (bytes.size() < PREFIX || bytes.byteAt(0) != VERSION) {
            throw new IllegalArgumentException("not a version-1 ordered batch (" + bytes.size() + " bytes)");
        }
        ByteBuffer prefix = bytes.substring(1, PREFIX).asReadOnlyByteBuffer();
        long seconds = prefix.getLong();
        int nanos = prefix.getInt();
        if (nanos < 0 || nanos >= NANOS_PER_SECOND) {
            // Instant.ofEpochSecond would carry them into the seconds (and overflow): one encoding per time only
            throw new IllegalArgumentException("ordered batch: nanoseconds out of range: " + nanos);
        }
        try {
            Instant cutAt = Instant.ofEpochSecond(seconds, nanos);
            return new OrderedBatch(
                    cutAt, BlockData.parseFrom(bytes.substring(PREFIX)).getDataList());
        } catch (InvalidProtocolBufferException | DateTimeException e) {
            throw new IllegalArgumentException("ordered batch does not decode: " + e.getMessage(), e);
        }
    }
}
