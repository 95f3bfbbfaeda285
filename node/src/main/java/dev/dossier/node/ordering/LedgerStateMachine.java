package dev.dossier.node.ordering;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.dossier.node.ledger.Ledger;
import dev.dossier.node.ledger.LedgerException;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.ratis.proto.RaftProtos;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.util.LifeCycle;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;

/**
 * The Ratis state machine of a node: the ledger itself.
 *
 * <ul>
 *   <li><b>Apply.</b> Each log entry should be an {@link OrderedBatch}; {@link OrderingRules} judge it, from its bytes
 *       and the previous block only, and applying an admitted entry commits the next block through {@link
 *       BatchCommitter}, deterministically, storing the entry's term and index and the block's cut time in the block
 *       ({@link RaftPosition}) in the same RocksDB write. A refused entry makes no block on any node. An entry at or
 *       below the ledger's position was applied before a restart and is skipped. Nothing in an entry's content stops
 *       the state machine; only a ledger failure does: applying throws, Ratis stops the server rather than let this
 *       node skip a block, and {@link #failure()} reports it (the node's health then says so). A Raft log that cannot
 *       be written is reported too ({@link #logFailed()}).
 *   <li><b>Snapshots.</b> The ledger is the snapshot: it is durable after every entry, so taking a snapshot writes
 *       nothing and reports the position of the last block, up to which Ratis may purge its log.
 *   <li><b>Catch-up.</b> A follower that needs entries the leader has purged is told so by Ratis (leader-sent
 *       snapshots are disabled); it then fetches the missing blocks from the leader ({@link BlockSource}), rebuilds each
 *       one from its transactions at its recorded position and cut time, and keeps it only if it follows the ordering
 *       rules ({@link OrderingRules#checkReplayed}) and is identical to the leader's (header, transactions filter,
 *       consenter metadata).
 * </ul>
 */
final class LedgerStateMachine extends BaseStateMachine {
    private static final Logger LOG = Logger.getLogger(LedgerStateMachine.class.getName());

    private final BatchCommitter committer;
    private final Ledger ledger;
    private final BlockSource blocks;
    private final ExecutorService catchUp;
    private final int maxEntryBytes;
    private volatile TermIndex ledgerPosition = TermIndex.INITIAL_VALUE;
    /** The Raft position and cut time of the ledger's last block; empty if it has none from Raft. */
    private volatile Optional<RaftPosition> lastBlock = Optional.empty();

    private volatile RaftPeerId leader;
    private volatile Throwable failure;
    private volatile boolean logFailed;
    private final AtomicLong blocksFetched = new AtomicLong();
    private final AtomicLong rejectedEntries = new AtomicLong();

    /** @param maxEntryBytes the largest entry the leader lets into the log */
    LedgerStateMachine(BatchCommitter committer, BlockSource blocks, int maxEntryBytes) {
        this.maxEntryBytes = maxEntryBytes;
        this.committer = Objects.requireNonNull(committer, "committer");
        this.ledger = committer.ledger();
        this.blocks = Objects.requireNonNull(blocks, "blocks");
        this.catchUp = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "raft-catch-up");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** An empty snapshot: the ledger holds the state up to this position. */
    private record LedgerSnapshot(TermIndex termIndex) implements SnapshotInfo {
        @Override
        public TermIndex getTermIndex() {
            return termIndex;
        }

        @Override
        public List<FileInfo> getFiles() {
            return List.of();
        }
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage storage) throws IOException {
        getLifeCycle().startAndTransition(() -> {
            super.initialize(server, groupId, storage);
            loadPosition();
        });
    }

    /** @return the Raft position of the ledger's last block, or empty if Raft did not order it */
    static Optional<RaftPosition> lastPosition(Ledger ledger) {
        long height = ledger.height();
        return height > 1 ? RaftPosition.of(ledger.block(height - 1).orElseThrow()) : Optional.empty();
    }

    private void loadPosition() {
        Optional<RaftPosition> last = lastPosition(ledger);
        TermIndex position =
                last.map(p -> TermIndex.valueOf(p.term(), p.index())).orElse(TermIndex.INITIAL_VALUE);
        lastBlock = last;
        ledgerPosition = position;
        setLastAppliedTermIndex(position);
    }

    /** @return the Raft position of the ledger's last block, or (0, -1) if it has none */
    TermIndex ledgerPosition() {
        return ledgerPosition;
    }

    /** @return the cut time of the ledger's last block, if it was ordered by Raft */
    Optional<Instant> lastCutAt() {
        return lastBlock.map(RaftPosition::cutAt);
    }

    /** @return how many Raft entries the ordering rules refused (no block) since this state machine started */
    long rejectedEntries() {
        return rejectedEntries.get();
    }

    /**
     * Ratis could not write its log (a full or failing disk): it fails every later write too, for as long as this
     * member runs, so the node restarts its Raft server ({@link StoppedMemberWatch}) and says so meanwhile.
     */
    @Override
    public void notifyLogFailed(Throwable cause, RaftProtos.LogEntryProto failedEntry) {
        if (!logFailed) {
            logFailed = true;
            LOG.log(
                    Level.SEVERE,
                    "cannot write the Raft log" + (failedEntry == null ? "" : " at entry " + failedEntry.getIndex())
                            + ": this node orders nothing until its Raft server restarts on a writable log",
                    cause);
        }
    }

    /** @return true once Ratis could not write this member's log */
    boolean logFailed() {
        return logFailed;
    }

    /** @return the failure that stopped this state machine (its ledger could not commit), if any */
    Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /** @return how many blocks this state machine took from peers to catch up */
    long blocksFetched() {
        return blocksFetched.get();
    }

    /** @return the current leader as last announced by Ratis, or null */
    RaftPeerId leader() {
        return leader;
    }

    @Override
    public SnapshotInfo getLatestSnapshot() {
        TermIndex position = ledgerPosition;
        return position.getIndex() < 0 ? null : new LedgerSnapshot(position);
    }

    @Override
    public long takeSnapshot() {
        return ledgerPosition.getIndex();
    }

    /**
     * On the leader, before an entry enters the log: refuses an entry larger than the Raft appender can ship. This is
     * a courtesy to honest submitters and a bound on what one request costs; it is not a guarantee (a dishonest leader
     * skips it), so what an entry holds is judged again, on every node, when it is applied.
     */
    @Override
    public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
        TransactionContext context = super.startTransaction(request);
        int size = request.getMessage().getContent().size();
        if (size > maxEntryBytes) {
            context.setException(
                    new IOException("Raft entry of " + size + " bytes refused: the limit is " + maxEntryBytes));
        }
        return context;
    }

    /**
     * Applies a committed entry: skips it if the ledger already holds its block; otherwise judges it by {@link
     * OrderingRules} and commits its block, or skips it (no block) if the rules refuse it. The reply to the entry's
     * submitter is empty when a block was cut, and the reason otherwise.
     *
     * @throws IllegalStateException (stopping Raft on this node) only if this node cannot commit a block: its ledger
     *     fails. Nothing in an entry's content can make it throw.
     */
    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        RaftProtos.LogEntryProto entry = trx.getLogEntry();
        TermIndex termIndex = TermIndex.valueOf(entry);
        Message reply = Message.EMPTY;
        synchronized (this) {
            if (termIndex.getIndex() > ledgerPosition.getIndex()) {
                try {
                    OrderedBatch batch = OrderingRules.admit(
                            ByteString.copyFrom(
                                    entry.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer()),
                            lastBlock.map(RaftPosition::cutAt));
                    commit(batch, termIndex);
                } catch (OrderingRules.RejectedEntryException e) {
                    rejectedEntries.incrementAndGet();
                    LOG.warning(() -> "Raft entry " + termIndex + " refused, no block: " + e.getMessage());
                    reply = Message.valueOf("refused: " + e.getMessage());
                }
            }
            if (termIndex.compareTo(getLastAppliedTermIndex()) > 0) {
                updateLastAppliedTermIndex(termIndex);
            }
        }
        return CompletableFuture.completedFuture(reply);
    }

    private void commit(OrderedBatch batch, TermIndex termIndex) {
        RaftPosition position = new RaftPosition(termIndex.getTerm(), termIndex.getIndex(), batch.cutAt());
        try {
            committer.commit(batch, position, null);
        } catch (LedgerException | RuntimeException e) {
            LOG.log(
                    Level.SEVERE,
                    "cannot commit the block of Raft entry " + termIndex + "; stopping Raft on this node",
                    e);
            IllegalStateException failure =
                    new IllegalStateException("block commit failed at Raft entry " + termIndex, e);
            this.failure = failure;
            throw failure;
        }
        ledgerPosition = termIndex;
        lastBlock = Optional.of(position);
    }

    @Override
    public CompletableFuture<TermIndex> notifyInstallSnapshotFromLeader(
            RaftProtos.RoleInfoProto roleInfo, TermIndex firstTermIndexInLog) {
        if (!roleInfo.getFollowerInfo().hasLeaderInfo()) {
            return CompletableFuture.failedFuture(new IOException("catch-up requested without a leader"));
        }
        String from = roleInfo.getFollowerInfo().getLeaderInfo().getId().getId().toStringUtf8();
        LOG.info(() -> "ledger at " + ledgerPosition + " is behind the leader's log (starts at " + firstTermIndexInLog
                + "): fetching blocks from " + from);
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return catchUpFrom(from);
                    } catch (IOException | LedgerException e) {
                        LOG.warning(() -> "catch-up from " + from + " failed: " + e.getMessage());
                        throw new CompletionException(e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new CompletionException(e);
                    }
                },
                catchUp);
    }

    /**
     * Fetches the blocks this node lacks from {@code from} and commits each one that is identical to the peer's once
     * rebuilt here; entries are not applied meanwhile.
     *
     * @return the Raft position of the ledger's last block afterwards
     */
    synchronized TermIndex catchUpFrom(String from) throws IOException, LedgerException, InterruptedException {
        blocks.fetch(from, ledger.height(), this::replay);
        LOG.info(() -> "caught up from " + from + " to block " + (ledger.height() - 1) + " at " + ledgerPosition);
        return ledgerPosition;
    }

    /** Rebuilds a block fetched from a peer and commits it if identical; block 0 must equal this node's genesis. */
    private void replay(Block block) throws LedgerException {
        long number = block.getHeader().getNumber();
        if (number != ledger.height()) {
            throw new LedgerException(
                    "peer sent block " + number + " but this ledger's next block is " + ledger.height());
        }
        if (number == 0) {
            Block genesis;
            try {
                genesis =
                        ledger.commitGenesis(Envelope.parseFrom(block.getData().getData(0)));
            } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
                throw new LedgerException("peer's genesis block does not decode", e);
            }
            if (!genesis.getHeader().equals(block.getHeader())) {
                throw new LedgerException("peer's genesis block differs from this node's");
            }
            return;
        }
        RaftPosition position;
        try {
            position = RaftPosition.of(block)
                    .orElseThrow(() -> new IllegalArgumentException("block " + number + " has no Raft position"));
            OrderingRules.checkReplayed(position, block.getData().getDataCount(), lastBlock);
        } catch (IllegalArgumentException | OrderingRules.RejectedEntryException e) {
            throw new LedgerException(
                    "peer sent block " + number + ", which breaks the ordering rules: " + e.getMessage(), e);
        }
        committer.commit(new OrderedBatch(position.cutAt(), block.getData().getDataList()), position, block);
        ledgerPosition = TermIndex.valueOf(position.term(), position.index());
        lastBlock = Optional.of(position);
        blocksFetched.incrementAndGet();
    }

    @Override
    public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
        leader = newLeaderId;
    }

    @Override
    public synchronized void pause() {
        getLifeCycle().transition(LifeCycle.State.PAUSING);
        getLifeCycle().transition(LifeCycle.State.PAUSED);
    }

    @Override
    public synchronized void reinitialize() {
        loadPosition();
        if (getLifeCycleState() == LifeCycle.State.PAUSED) {
            getLifeCycle().transition(LifeCycle.State.STARTING);
            getLifeCycle().transition(LifeCycle.State.RUNNING);
        }
    }

    @Override
    public void close() {
        catchUp.shutdownNow();
    }
}
