package dev.dossier.node.ordering;

import dev.dossier.node.ledger.Ledger;
import dev.dossier.node.ledger.LedgerException;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.ratis.proto.RaftProtos;
import org.apache.ratis.protocol.Message;
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
 *   <li><b>Apply.</b> Each log entry is an {@link OrderedBatch}; applying it commits the next block through
 *       {@link BatchCommitter}, deterministically, and stores the entry's term and index in the block
 *       ({@link RaftPosition}) in the same RocksDB write. An entry at or below the ledger's position was applied
 *       before a restart and is skipped. A ledger failure is fatal: applying throws, and Ratis stops the server rather
 *       than let this node skip a block.
 *   <li><b>Snapshots.</b> The ledger is the snapshot: it is durable after every entry, so taking a snapshot writes
 *       nothing and reports the position of the last block, up to which Ratis may purge its log.
 *   <li><b>Catch-up.</b> A follower that needs entries the leader has purged is told so by Ratis (leader-sent
 *       snapshots are disabled); it then fetches the missing blocks from the leader ({@link BlockSource}), rebuilds each
 *       one from its transactions at its recorded position and cut time, and keeps it only if it is identical to the
 *       leader's (header, transactions filter, consenter metadata).
 * </ul>
 */
final class LedgerStateMachine extends BaseStateMachine {
    private static final Logger LOG = Logger.getLogger(LedgerStateMachine.class.getName());

    private final BatchCommitter committer;
    private final Ledger ledger;
    private final BlockSource blocks;
    private final ExecutorService catchUp;
    private volatile TermIndex ledgerPosition = TermIndex.INITIAL_VALUE;
    private volatile RaftPeerId leader;
    private final java.util.concurrent.atomic.AtomicLong blocksFetched = new java.util.concurrent.atomic.AtomicLong();

    LedgerStateMachine(BatchCommitter committer, BlockSource blocks) {
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

    private void loadPosition() {
        long height = ledger.height();
        TermIndex position = TermIndex.INITIAL_VALUE;
        if (height > 1) {
            position = RaftPosition.of(ledger.block(height - 1).orElseThrow())
                    .map(p -> TermIndex.valueOf(p.term(), p.index()))
                    .orElse(TermIndex.INITIAL_VALUE);
        }
        ledgerPosition = position;
        setLastAppliedTermIndex(position);
    }

    /** @return the Raft position of the ledger's last block, or (0, -1) if it has none */
    TermIndex ledgerPosition() {
        return ledgerPosition;
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

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        RaftProtos.LogEntryProto entry = trx.getLogEntry();
        TermIndex termIndex = TermIndex.valueOf(entry);
        synchronized (this) {
            if (termIndex.getIndex() > ledgerPosition.getIndex()) {
                OrderedBatch batch;
                try {
                    batch = OrderedBatch.decode(com.google.protobuf.ByteString.copyFrom(
                            entry.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer()));
                } catch (IllegalArgumentException e) {
                    LOG.warning(
                            () -> "Raft entry " + termIndex + " is not an ordered batch, no block: " + e.getMessage());
                    batch = null;
                }
                if (batch != null) {
                    RaftPosition position = new RaftPosition(termIndex.getTerm(), termIndex.getIndex(), batch.cutAt());
                    try {
                        committer.commit(batch, position, null);
                    } catch (LedgerException | RuntimeException e) {
                        LOG.log(
                                Level.SEVERE,
                                "cannot commit the block of Raft entry " + termIndex + "; stopping Raft on this node",
                                e);
                        throw new IllegalStateException("block commit failed at Raft entry " + termIndex, e);
                    }
                    ledgerPosition = termIndex;
                }
            }
            if (termIndex.compareTo(getLastAppliedTermIndex()) > 0) {
                updateLastAppliedTermIndex(termIndex);
            }
        }
        return CompletableFuture.completedFuture(Message.EMPTY);
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
                        synchronized (this) {
                            blocks.fetch(from, ledger.height(), this::replay);
                            LOG.info(() -> "caught up from " + from + " to block " + (ledger.height() - 1) + " at "
                                    + ledgerPosition);
                            return ledgerPosition;
                        }
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
            } catch (com.google.protobuf.InvalidProtocolBufferException | IllegalArgumentException e) {
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
        } catch (IllegalArgumentException e) {
            throw new LedgerException("peer sent a block without a valid Raft position: " + e.getMessage(), e);
        }
        committer.commit(new OrderedBatch(position.cutAt(), block.getData().getDataList()), position, block);
        ledgerPosition = TermIndex.valueOf(position.term(), position.index());
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
