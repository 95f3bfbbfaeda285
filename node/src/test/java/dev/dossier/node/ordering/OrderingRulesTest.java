package dev.dossier.node.ordering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.dossier.node.ordering.OrderingRules.RejectedEntryException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.hyperledger.fabric.protos.common.BlockData;
import org.junit.jupiter.api.Test;

class OrderingRulesTest {
    private static final Instant PREVIOUS = Instant.parse("2026-12-06T10:00:00Z");
    private static final List<ByteString> ENVELOPES = List.of(ByteString.copyFromUtf8("an envelope"));

    private static ByteString batch(Instant cutAt) {
        return new OrderedBatch(cutAt, ENVELOPES).encode();
    }

    /** A version-1 entry with any seconds and nanoseconds, which {@link OrderedBatch#encode} cannot write. */
    private static ByteString raw(long seconds, int nanos, List<ByteString> envelopes) {
        ByteBuffer prefix =
                ByteBuffer.allocate(13).put((byte) 1).putLong(seconds).putInt(nanos);
        return ByteString.copyFrom(prefix.array())
                .concat(BlockData.newBuilder().addAllData(envelopes).build().toByteString());
    }

    @Test
    void admit_batchAfterThePreviousBlock_keepsItsCutTime() throws Exception {
        Instant later = PREVIOUS.plusMillis(5);

        OrderedBatch admitted = OrderingRules.admit(batch(later), Optional.of(PREVIOUS));

        assertThat(admitted).isEqualTo(new OrderedBatch(later, ENVELOPES));
    }

    @Test
    void admit_firstBlock_hasNoLowerBoundButTheRange() throws Exception {
        Instant early = Instant.parse("2000-01-01T00:00:00Z");

        assertThat(OrderingRules.admit(batch(early), Optional.empty()).cutAt()).isEqualTo(early);
    }

    @Test
    void admit_cutTimeBehindByLessThanTheSkew_takesThePreviousBlocksTime() throws Exception {
        OrderedBatch admitted =
                OrderingRules.admit(batch(PREVIOUS.minus(OrderingRules.CLOCK_SKEW)), Optional.of(PREVIOUS));

        assertThat(admitted.cutAt()).isEqualTo(PREVIOUS);
        assertThat(admitted.envelopes()).isEqualTo(ENVELOPES);
    }

    @Test
    void admit_cutTimeBehindByMoreThanTheSkew_refused() {
        Instant behind = PREVIOUS.minus(OrderingRules.CLOCK_SKEW).minusNanos(1);

        assertThatThrownBy(() -> OrderingRules.admit(batch(behind), Optional.of(PREVIOUS)))
                .isInstanceOf(RejectedEntryException.class)
                .hasMessageContaining("earlier than the previous block's");
    }

    @Test
    void admit_year2000BatchOnALedgerWithBlocks_refused() {
        assertThatThrownBy(
                        () -> OrderingRules.admit(batch(Instant.parse("2000-01-01T00:00:00Z")), Optional.of(PREVIOUS)))
                .isInstanceOf(RejectedEntryException.class);
    }

    @Test
    void admit_undecodableBytes_refused() {
        for (ByteString entry : List.of(
                ByteString.EMPTY,
                ByteString.copyFromUtf8("not an ordered batch at all"),
                ByteString.copyFrom(new byte[] {2}).concat(batch(PREVIOUS).substring(1)),
                batch(PREVIOUS).substring(0, 12),
                batch(PREVIOUS).concat(ByteString.copyFrom(new byte[] {(byte) 0xff})))) {
            assertThatThrownBy(() -> OrderingRules.admit(entry, Optional.of(PREVIOUS)))
                    .as("entry %s", entry)
                    .isInstanceOf(RejectedEntryException.class)
                    .hasMessageStartingWith("not an ordered batch");
        }
    }

    @Test
    void admit_nanosecondsThatOverflowTheSeconds_refused() {
        // Instant.ofEpochSecond(Long.MAX_VALUE, 1.5e9) throws ArithmeticException: it stopped every node once
        ByteString overflow = raw(Long.MAX_VALUE, 1_500_000_000, ENVELOPES);

        assertThatThrownBy(() -> OrderingRules.admit(overflow, Optional.of(PREVIOUS)))
                .isInstanceOf(RejectedEntryException.class)
                .hasMessageContaining("nanoseconds out of range");
        assertThatThrownBy(() -> OrderingRules.admit(raw(PREVIOUS.getEpochSecond(), -1, ENVELOPES), Optional.empty()))
                .isInstanceOf(RejectedEntryException.class);
    }

    @Test
    void admit_secondsBeyondInstantOrTheRange_refused() {
        for (long seconds : new long[] {
            Long.MAX_VALUE, Long.MIN_VALUE, Instant.MAX.getEpochSecond(), OrderingRules.LATEST.getEpochSecond() + 1, -1
        }) {
            assertThatThrownBy(() -> OrderingRules.admit(raw(seconds, 0, ENVELOPES), Optional.empty()))
                    .as("seconds %d", seconds)
                    .isInstanceOf(RejectedEntryException.class);
        }
    }

    @Test
    void admit_batchWithoutEnvelopes_refused() {
        assertThatThrownBy(() -> OrderingRules.admit(raw(PREVIOUS.getEpochSecond(), 0, List.of()), Optional.empty()))
                .isInstanceOf(RejectedEntryException.class)
                .hasMessageContaining("at least one envelope");
    }

    @Test
    void admit_randomBytes_neverThrowAnythingElse() {
        Random random = new Random(11);
        ByteString valid = batch(PREVIOUS);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes;
            if (i % 2 == 0) {
                bytes = new byte[random.nextInt(64)];
                random.nextBytes(bytes);
            } else {
                // a valid entry with a few bytes changed
                bytes = valid.toByteArray();
                for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                    bytes[random.nextInt(bytes.length)] ^= (byte) (1 + random.nextInt(255));
                }
            }
            ByteString entry = ByteString.copyFrom(bytes);
            try {
                OrderedBatch admitted = OrderingRules.admit(entry, Optional.of(PREVIOUS));
                assertThat(admitted.cutAt()).isBetween(PREVIOUS, OrderingRules.LATEST);
                assertThat(admitted.envelopes()).isNotEmpty();
            } catch (RejectedEntryException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
    }

    @Test
    void admit_isDeterministic_sameEntrySameOutcome() throws Exception {
        ByteString entry = batch(PREVIOUS.minusSeconds(10));

        assertThat(OrderingRules.admit(entry, Optional.of(PREVIOUS)))
                .isEqualTo(OrderingRules.admit(entry, Optional.of(PREVIOUS)));
    }

    @Test
    void checkReplayed_blockFollowingThePreviousOne_passes() throws Exception {
        OrderingRules.checkReplayed(
                new RaftPosition(2, 11, PREVIOUS), 1, Optional.of(new RaftPosition(2, 10, PREVIOUS)));
        OrderingRules.checkReplayed(new RaftPosition(1, 1, PREVIOUS), 3, Optional.empty());
    }

    @Test
    void checkReplayed_blocksNoNodeCouldHaveMade_refused() {
        Optional<RaftPosition> previous = Optional.of(new RaftPosition(2, 10, PREVIOUS));

        assertThatThrownBy(() -> OrderingRules.checkReplayed(new RaftPosition(2, 10, PREVIOUS), 1, previous))
                .as("same index")
                .isInstanceOf(RejectedEntryException.class);
        assertThatThrownBy(() -> OrderingRules.checkReplayed(new RaftPosition(1, 11, PREVIOUS), 1, previous))
                .as("earlier term")
                .isInstanceOf(RejectedEntryException.class);
        assertThatThrownBy(() -> OrderingRules.checkReplayed(
                        new RaftPosition(2, 11, PREVIOUS.minus(Duration.ofNanos(1))), 1, previous))
                .as("cut time going backwards, even within the skew: a block records its time after the rules")
                .isInstanceOf(RejectedEntryException.class);
        assertThatThrownBy(() -> OrderingRules.checkReplayed(new RaftPosition(2, 11, PREVIOUS), 0, previous))
                .as("no transaction")
                .isInstanceOf(RejectedEntryException.class);
        assertThatThrownBy(() -> OrderingRules.checkReplayed(
                        new RaftPosition(2, 11, OrderingRules.LATEST.plusNanos(1)), 1, previous))
                .as("beyond the range")
                .isInstanceOf(RejectedEntryException.class);
    }
}
