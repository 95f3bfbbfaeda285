package dev.dossier.node.ordering;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The rules every node applies, alike, to each Raft log entry before it becomes a block, and to each block a peer
 * sends for catch-up. An entry may come from any holder of a node certificate (every node is a Raft client), or from a
 * dishonest leader, so its bytes are untrusted: these rules decide from the entry and this node's ledger alone
 * (never the node's clock, configuration or caches), and never throw anything but {@link RejectedEntryException}.
 *
 * <p><b>An entry becomes a block only if</b>
 *
 * <ol>
 *   <li>it decodes as a version-1 {@link OrderedBatch} with at least one envelope (what each envelope holds is judged
 *       per transaction, and a bad one is marked invalid in the block);
 *   <li>its cut time lies between {@link #EARLIEST} and {@link #LATEST} (certificate validity is judged at it, and
 *       beyond these it cannot be compared with a certificate's dates);
 *   <li>its cut time is not earlier than the previous block's by more than {@link #CLOCK_SKEW}.
 * </ol>
 *
 * The block's cut time is then the later of the entry's and the previous block's, so cut times never go backwards: a
 * node whose clock lags a little still orders (its batch takes the previous block's time), and nobody can have a
 * transaction judged at a time before the last block (the 2000-01-01 batch of issue 11 is refused). An entry that
 * breaks a rule makes <b>no block</b>: it is skipped on every node, logged, counted, and its submitter is told. Not
 * cutting a block (rather than a block of transactions marked invalid) keeps garbage out of the chain, needs no
 * envelope to build a block from when the entry does not decode, and keeps restarts and catch-up simple: a restarted
 * node re-applies the entries after its last block and skips the same ones (the previous block is the same), and a
 * node catching up from a peer's blocks never sees the skipped entries, only blocks that must follow the same rules
 * ({@link #checkReplayed}).
 *
 * <p><b>What these rules cannot stop.</b> Raft is crash-fault tolerant, not Byzantine: a node with a valid node
 * certificate can order a batch with a cut time in the future (up to {@link #LATEST}); later blocks then judge
 * certificates at that time (and expired certificates make their transactions invalid) until real time passes it.
 * Such a block is visible to every node and auditor (the cut time is in its consenter metadata, and the metric
 * {@code dossier_raft_cut_time_seconds} shows it); no deterministic rule can bound a cut time from above without a
 * clock every node agrees on.
 *
 * <p><b>Upgrades.</b> These rules are part of what every node computes from the log: all nodes of a network must apply
 * the same rules. Upgrade a network by stopping every node, upgrading, and starting them again (entries a node had not
 * yet applied are then judged by the new rules on every node alike); blocks cut before this version may have cut times
 * a few milliseconds apart in either order, so a node that must catch up from such blocks refuses them.
 */
final class OrderingRules {
    /** The earliest cut time a block may have. */
    static final Instant EARLIEST = Instant.EPOCH;
    /** The latest cut time a block may have: the end of year 9999, within {@link java.util.Date}'s range. */
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");
    /** How much earlier than the previous block's an entry's cut time may be and still make a block (at that time). */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

    private OrderingRules() {}

    /**
     * Judges a Raft entry.
     *
     * @param entry the entry's bytes, as anyone may have written them
     * @param previousCut the cut time of the ledger's last block, empty if it has none (only the genesis block, or
     *     blocks of a single-node orderer)
     * @return the batch to commit, with its block's cut time (never before {@code previousCut})
     * @throws RejectedEntryException if the entry must not become a block, with the reason
     */
    static OrderedBatch admit(ByteString entry, Optional<Instant> previousCut) throws RejectedEntryException {
        requireNonNull(entry, "entry");
        requireNonNull(previousCut, "previousCut");
        OrderedBatch batch;
        try {
            batch = OrderedBatch.decode(entry);
        } catch (IllegalArgumentException e) {
            throw new RejectedEntryException("not an ordered batch: " + e.getMessage());
        }
        Instant cutAt = batch.cutAt();
        checkRange(cutAt);
        if (previousCut.isEmpty() || !cutAt.isBefore(previousCut.get())) {
            return batch;
        }
        Instant previous = previousCut.get();
        if (cutAt.isBefore(previous.minus(CLOCK_SKEW))) {
            throw new RejectedEntryException("cut time " + cutAt + " is earlier than the previous block's (" + previous
                    + ") by more than " + CLOCK_SKEW.toSeconds() + " s");
        }
        return new OrderedBatch(previous, batch.envelopes());
    }

    /**
     * Checks a block fetched from a peer to catch up against the same rules: its Raft position follows the previous
     * block's, its cut time is in range and not before the previous block's (a block records the time it was judged
     * at, after {@link #admit}), and it holds at least one transaction.
     *
     * @param previous the Raft position of this ledger's last block, empty if it has none
     * @throws RejectedEntryException if no node applying the rules could have made this block
     */
    static void checkReplayed(RaftPosition position, int transactions, Optional<RaftPosition> previous)
            throws RejectedEntryException {
        requireNonNull(position, "position");
        requireNonNull(previous, "previous");
        if (transactions < 1) {
            throw new RejectedEntryException("a block holds at least one transaction");
        }
        checkRange(position.cutAt());
        if (previous.isPresent()) {
            RaftPosition last = previous.get();
            if (position.index() <= last.index() || position.term() < last.term()) {
                throw new RejectedEntryException("Raft position (term " + position.term() + ", index "
                        + position.index() + ") does not follow the previous block's (term " + last.term()
                        + ", index " + last.index() + ")");
            }
            if (position.cutAt().isBefore(last.cutAt())) {
                throw new RejectedEntryException("cut time " + position.cutAt() + " is earlier than the previous "
                        + "block's (" + last.cutAt() + ")");
            }
        }
    }

    private static void checkRange(Instant cutAt) throws RejectedEntryException {
        if (cutAt.isBefore(EARLIEST) || cutAt.isAfter(LATEST)) {
            throw new RejectedEntryException("cut time " + cutAt + " is outside " + EARLIEST + " to " + LATEST);
        }
    }

    /** An entry or block that the ordering rules refuse; the message says which rule. */
    static final class RejectedEntryException extends Exception {
        private static final long serialVersionUID = 1L;

        RejectedEntryException(String reason) {
            super(reason);
        }
    }
}
