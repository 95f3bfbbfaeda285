package dev.dossier.node.ordering;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import dev.dossier.node.clock.NodeClock;
import dev.dossier.node.identity.Signer;
import dev.dossier.node.ledger.Ledger;
import dev.dossier.node.ledger.LedgerException;
import dev.dossier.node.ledger.PendingTx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.proto.RaftProtos.CommitInfoProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.LifeCycle;

/**
 * Ordering among several nodes with Apache Ratis (Raft), over Ratis' gRPC transport.
 *
 * <p>The node that receives a transaction cuts it into a batch by {@link BlockLimits}, as a single node would, and
 * sends the batch through its Ratis client, which delivers it to the current leader (following leader changes and
 * retrying); the leader appends it to the Raft log as one entry ({@link OrderedBatch}). Once the entry is committed
 * (held by a majority), every node applies it through {@link LedgerStateMachine}: the same entry gives the same block
 * on every node, in log order. {@code CommitStatus} is answered on any node by its own commit of the block.
 *
 * <p>At most a few batches are on their way to the leader at once; while they are, the next batch fills up. A batch
 * that no leader accepts within {@link #ORDERING_TIMEOUT} (no leader for a long while, a starved or unreachable
 * group), or that the ordering rules refuse, is reported to the listener as dropped; the gateway then tells the
 * callers waiting for its commit status, instead of leaving them to their own deadline.
 *
 * <p><b>Security.</b> The Raft server (with its admin and client services) listens on the node's own host from the
 * consortium, never on every interface. With TLS, every Raft connection, in and out, is mutual TLS that accepts the
 * TLS certificates of the consortium's nodes in force only ({@link dev.dossier.node.identity.TlsTrust#nodes}): users
 * of the consortium, whose TLS certificates the same CAs issue, cannot reach the log. Without TLS anyone who reaches
 * the Raft port writes to the log, so a node of several runs that way only when told {@code --insecure}. Whatever
 * reaches the log, from an outsider on an insecure network or from a dishonest node, is judged by {@link
 * OrderingRules} on every node alike and cannot stop a node.
 */
public final class RaftOrderer implements Orderer {
    private static final Logger LOG = Logger.getLogger(RaftOrderer.class.getName());
    /** Ratis reports every election and log roll at INFO; keep its warnings and errors only. */
    private static final Logger RATIS_LOG = Logger.getLogger("org.apache.ratis");
    /** Ratis' client reports a request redirected to the leader as an error; this class reports failed batches. */
    private static final Logger RATIS_CLIENT_LOG = Logger.getLogger("org.apache.ratis.client.impl.OrderedAsync");

    static {
        RATIS_LOG.setLevel(Level.WARNING);
        RATIS_CLIENT_LOG.setLevel(Level.OFF);
    }

    private static final int IN_FLIGHT_BATCHES = 2;
    /**
     * How long the Raft client tries to get a batch into the log before it gives up: with {@link #IN_FLIGHT_BATCHES}
     * batches ahead of it, a transaction is committed or reported dropped within about three times this, under the
     * two minutes a client waits for a commit status.
     */
    static final Duration ORDERING_TIMEOUT = Duration.ofSeconds(30);
    /** Raft entries stay well below Ratis' appender buffer, whatever the block byte limit says. */
    private static final long MAX_ENTRY_BYTES = 8L << 20;
    /** The largest entry the leader lets into the log: what fits the appender's buffer. */
    static final int MAX_LOG_ENTRY_BYTES = (int) (2 * MAX_ENTRY_BYTES);

    /** Starts a Raft server (with a new state machine) on this node's storage. */
    @FunctionalInterface
    private interface ServerStarter {
        LedgerStateMachine start() throws IOException;
    }

    private final ServerStarter starter;
    private final LeaderClient client;
    private final BlockListener listener;
    private final BlockCutter cutter;
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT_BATCHES);
    private final RaftPeerId self;
    private final RaftGroupId groupId;
    private final Object serverLock = new Object();
    private RaftServer server; // guarded by serverLock; null while this node is out of the group
    private volatile LedgerStateMachine stateMachine;
    private StoppedMemberWatch watch;
    private String restarting; // guarded by serverLock: why the watch stopped the Raft server, until it runs again
    private volatile long lastTerm; // the term this node was at before the watch stopped its Raft server
    private final LostEntries lostEntries;
    private final IoAction resumeElections;
    private final Path raftDirectory;
    private final FollowerStall stall = new FollowerStall(); // read and written by the watch's thread only

    @FunctionalInterface
    private interface IoAction {
        void run() throws IOException;
    }

    private RaftOrderer(
            ServerStarter starter,
            LeaderClient client,
            BlockListener listener,
            BlockLimits limits,
            int queueCapacity,
            RaftPeerId self,
            RaftGroupId groupId,
            LostEntries lostEntries,
            IoAction resumeElections,
            Path raftDirectory) {
        this.starter = starter;
        this.raftDirectory = raftDirectory;
        this.lostEntries = lostEntries;
        this.resumeElections = resumeElections;
        this.groupId = groupId;
        this.client = client;
        this.listener = listener;
        this.self = self;
        BlockLimits entryLimits = new BlockLimits(
                limits.maxTransactions(), Math.min(limits.maxBytes(), MAX_ENTRY_BYTES), limits.timeout());
        this.cutter = new BlockCutter("raft-batcher", entryLimits, queueCapacity, inFlight::acquire, this::send);
    }

    /**
     * Starts this node's Raft server (recovering its log, or creating it empty) and client.
     *
     * @param checker checks each ordered transaction at apply time (signatures, endorsement policy)
     * @param signer signs the blocks this node commits
     * @param listener hears of every committed block
     * @param blocks where a far-behind node fetches blocks from
     * @throws IOException if the Raft storage cannot be opened or the port cannot be bound
     */
    public static RaftOrderer start(
            RaftSettings settings,
            String channel,
            Ledger ledger,
            TxChecker checker,
            Signer signer,
            BlockListener listener,
            BlockSource blocks,
            BlockLimits limits,
            int queueCapacity)
            throws IOException {
        requireNonNull(settings, "settings");
        RaftGroup group = RatisConfig.group(channel, settings.members());
        RaftSettings.Member me = settings.members().stream()
                .filter(m -> m.name().equals(settings.self()))
                .findFirst()
                .orElseThrow();
        RaftProperties properties = RatisConfig.properties(settings, me);
        Files.createDirectories(settings.directory());
        BatchCommitter committer = new BatchCommitter(ledger, checker, signer, listener);
        RaftPeerId self = RaftPeerId.valueOf(settings.self());
        Parameters parameters = RatisConfig.tlsParameters(settings.tls(), settings.members());
        LostEntries lostEntries = new LostEntries(
                settings.directory().resolve(group.getGroupId().getUuid().toString()));
        RatisConfig.guardVotes(parameters, lostEntries);
        LeaderClient client = new LeaderClient(() -> RaftClient.newBuilder()
                .setProperties(properties)
                .setParameters(parameters)
                .setRaftGroup(group)
                .setRetryPolicy(RatisConfig.retryPolicy())
                .build());
        RaftOrderer[] orderer = new RaftOrderer[1];
        ServerStarter starter = () -> {
            // a torn last entry (a crash while appending) is dropped, and a log that cannot continue the ledger; other
            // damage stops the node here, naming the file
            Optional<RaftPosition> last = LedgerStateMachine.lastPosition(ledger);
            // first: ending the term below reads the metadata a full disk may have emptied
            LostRaftState.repairEmptied(settings.directory(), group.getGroupId(), orderer[0].lastTerm, last);
            RaftLogFiles.recover(
                    settings.directory(), last.map(RaftPosition::index).orElse(-1L));
            lostEntries.load();
            boolean paused = lostEntries.position().isPresent();
            RatisConfig.firstElection(properties, settings, paused);
            LedgerStateMachine stateMachine = new LedgerStateMachine(committer, blocks, MAX_LOG_ENTRY_BYTES);
            RaftServer server = RaftServer.newBuilder()
                    .setServerId(self)
                    .setGroup(settings.joining() ? RaftGroup.valueOf(group.getGroupId()) : group)
                    .setProperties(properties)
                    .setParameters(parameters)
                    .setStateMachine(stateMachine)
                    .setOption(RaftStorage.StartupOption.RECOVER)
                    .build();
            try {
                server.start();
                if (paused) {
                    electionsPaused(properties, parameters, group, self, true);
                }
            } catch (IOException | RuntimeException e) {
                server.close(); // its port free for the next start
                throw e;
            }
            orderer[0].server = server;
            return stateMachine;
        };
        orderer[0] = new RaftOrderer(
                starter,
                client,
                listener,
                limits,
                queueCapacity,
                self,
                group.getGroupId(),
                lostEntries,
                () -> electionsPaused(properties, parameters, group, self, false),
                settings.directory());
        try {
            synchronized (orderer[0].serverLock) {
                orderer[0].stateMachine = starter.start();
            }
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e;
        }
        orderer[0].cutter.start();
        orderer[0].watch = new StoppedMemberWatch(settings.self(), orderer[0]::restartIfStopped);
        LOG.info(() -> "Raft member " + self + " of " + group.getPeers().size() + " on " + me.address()
                + (settings.tls() == null ? " (plaintext)" : " (mutual TLS, the consortium's nodes only)")
                + ", ledger at " + orderer[0].stateMachine.ledgerPosition());
        return orderer[0];
    }

    /** Pauses or resumes this node's own elections, through its Raft server's admin service. */
    private static void electionsPaused(
            RaftProperties properties, Parameters parameters, RaftGroup group, RaftPeerId self, boolean pause)
            throws IOException {
        try (RaftClient admin = RatisConfig.adminClient(properties, parameters, group)) {
            RaftClientReply reply = pause
                    ? admin.getLeaderElectionManagementApi(self).pause()
                    : admin.getLeaderElectionManagementApi(self).resume();
            if (!reply.isSuccess()) {
                throw new IOException(
                        "this node's Raft server did not " + (pause ? "pause" : "resume") + " its elections",
                        reply.getException());
            }
        }
        LOG.info(() ->
                pause ? "elections paused: this node lost Raft entries it may have acknowledged" : "elections resumed");
    }

    /**
     * Once this node's log holds an entry as recent as the ones it lost, resumes its elections and deletes the record
     * ({@link LostEntries}). Called with serverLock held.
     */
    private void resumeElectionsIfHeld() throws IOException {
        if (lostEntries.position().isEmpty()) {
            return;
        }
        TermIndex last =
                division().map(d -> d.getRaftLog().getLastEntryTermIndex()).orElse(null);
        if (lostEntries.heldBy(last)) {
            resumeElections.run();
            lostEntries.clear(last);
        }
    }

    @Override
    public void order(PendingTx tx) throws InterruptedException {
        cutter.add(tx);
    }

    /** Sends a batch to the leader; the cutter took one of the {@link #inFlight} permits for it before cutting it. */
    private void send(List<PendingTx> batch) {
        List<String> txIds = new ArrayList<>(batch.size());
        for (PendingTx tx : batch) {
            txIds.add(tx.txId());
        }
        try {
            List<ByteString> envelopes = new ArrayList<>(batch.size());
            for (PendingTx tx : batch) {
                envelopes.add(tx.envelope().toByteString());
            }
            // never before the last block's cut time: a clock a little behind the others' must not get the batch
            // refused
            Instant now = NodeClock.now();
            Instant cutAt = stateMachine.lastCutAt().filter(now::isBefore).orElse(now);
            ByteString entry = new OrderedBatch(cutAt, envelopes).encode();
            client.send(Message.valueOf(UnsafeByteOperations.unsafeWrap(entry.asReadOnlyByteBuffer())))
                    .whenComplete((reply, error) -> {
                        inFlight.release();
                        if (error != null || !reply.isSuccess()) {
                            Throwable why = error != null ? error : reply.getException();
                            LOG.log(Level.WARNING, "a batch of " + txIds.size() + " transactions was not ordered", why);
                            listener.dropped(txIds);
                        } else if (!reply.getMessage().getContent().isEmpty()) {
                            LOG.warning(() -> "a batch of " + txIds.size() + " transactions made no block: "
                                    + reply.getMessage().getContent().toStringUtf8());
                            listener.dropped(txIds);
                        }
                    });
        } catch (RuntimeException e) {
            inFlight.release();
            listener.dropped(txIds);
            throw e;
        }
    }

    /**
     * @return true while this node can commit blocks: its cutter runs, its Raft server and its group's division are
     *     alive and can write their log, and its state machine has not stopped
     */
    @Override
    public boolean healthy() {
        synchronized (serverLock) {
            return cutter.healthy()
                    && server != null
                    && server.getLifeCycleState() == LifeCycle.State.RUNNING
                    && divisionAlive()
                    && !stateMachine.logFailed()
                    && stateMachine.failure().isEmpty();
        }
    }

    /**
     * @return true once ordering stopped after a failure: the cutter failed, the Raft server stopped with an error,
     *     or the state machine could not commit a block (Ratis then closes the group's division; the server itself
     *     still runs)
     */
    @Override
    public boolean failed() {
        synchronized (serverLock) {
            return cutter.failed()
                    || stateMachine.failure().isPresent()
                    || server != null && server.getLifeCycleState() == LifeCycle.State.EXCEPTION;
        }
    }

    /** Called under serverLock with a server. */
    private boolean divisionAlive() {
        try {
            return server.getDivision(groupId).getInfo().isAlive();
        } catch (IOException e) {
            return false; // no such group on this server (yet)
        }
    }

    /** @return how many Raft entries the ordering rules refused (no block) since this node's Raft server started */
    public long rejectedEntries() {
        return stateMachine.rejectedEntries();
    }

    /** @return the cut time of the ledger's last block, if Raft ordered it */
    public Optional<Instant> lastCutAt() {
        return stateMachine.lastCutAt();
    }

    /** @return this node's term, role and log indices in its Raft group; empty while its Raft server is stopped */
    public Optional<RaftStatus> status() {
        return division().map(RaftStatus::of);
    }

    /** @return this node's division of its Raft group; empty while its Raft server is stopped */
    private Optional<RaftServer.Division> division() {
        synchronized (serverLock) {
            if (server == null) {
                return Optional.empty();
            }
            try {
                return Optional.of(server.getDivision(groupId));
            } catch (IOException e) {
                return Optional.empty(); // no such group on this server (yet)
            }
        }
    }

    /** @return the names of the members of this node's Raft group as its current configuration says; empty if stopped */
    public Optional<Set<String>> groupMembers() {
        return division()
                .map(d -> d.getRaftConf().getCurrentPeers().stream()
                        .map(peer -> peer.getId().toString())
                        .collect(Collectors.toUnmodifiableSet()));
    }

    @Override
    public int queuedTransactions() {
        return cutter.queued();
    }

    @Override
    public int batchesInFlight() {
        return IN_FLIGHT_BATCHES - inFlight.availablePermits();
    }

    /**
     * Restarts the Raft server if Ratis closed its member or cannot write its log ({@link StoppedMemberWatch}), or if
     * this node stopped following its leader ({@link FollowerStall}: it first fetches the blocks it lacks, and restarts
     * on a log after them); and resumes the elections of a node that lost entries once it holds them again.
     */
    private String restartIfStopped() throws IOException {
        String stalledOn = stalledLeader();
        // outside serverLock: a long fetch must not hold up the node's health
        if (stalledOn != null && !caughtUpFrom(stalledOn)) {
            stalledOn = null; // the other reasons to restart still apply
        }
        synchronized (serverLock) {
            if (server != null) {
                resumeElectionsIfHeld();
            }
            String why = restarting != null || server == null || failed()
                    ? restarting
                    : StoppedMemberWatch.why(divisionAlive(), stateMachine.logFailed());
            if (why == null && stalledOn != null) {
                why = "it had stopped following its leader " + stalledOn + " (a Ratis leader that cannot send the"
                        + " next entry asks again and again for a snapshot this node already has); it fetched the"
                        + " blocks it lacked and follows again from its ledger";
            }
            if (why != null) {
                restarting = why; // until a restart succeeds: a full disk may make a few fail
                lastTerm = Math.max(lastTerm, status().map(RaftStatus::term).orElse(0L));
                if (why.equals(StoppedMemberWatch.LOG_FAILED)) {
                    recordLogFailure();
                }
                leave();
                if (stalledOn != null) {
                    RaftLogFiles.dropIfBehind(
                            raftDirectory, stateMachine.ledgerPosition().getIndex());
                }
                rejoin();
                restarting = null;
                stall.reset();
            }
            return why;
        }
    }

    /**
     * Records, before the Raft server whose log failed is stopped, that this node may have acknowledged entries its log
     * does not hold ({@link LostEntries}): up to the last entry its log took in, in the term it is in. A log that failed
     * on a full disk may have acknowledged entries whose writes then failed with the rest of the log; seen in the
     * adversity suite: the leader counted an entry as held that the node's restarted log ended right before, and sent
     * it nothing but heartbeats from then on. The record makes the next start end the term ({@link RaftLogFiles}), so
     * that leader steps down, and keeps this node from helping elect a leader without the entries. Called with
     * serverLock held; does nothing once the server is stopped (a restart that failed: the record is written).
     *
     * @throws IOException if the record cannot be written (the disk still full): the server is then left as it is and
     *     the restart tried again
     */
    private void recordLogFailure() throws IOException {
        Optional<RaftServer.Division> division = division();
        if (division.isEmpty()) {
            return;
        }
        long index;
        try {
            TermIndex last = division.get().getRaftLog().getLastEntryTermIndex();
            index = last == null ? 0 : last.getIndex();
        } catch (IllegalStateException e) {
            index = Long.MAX_VALUE; // its log closed: every entry of its term counts as lost
        }
        lostEntries.record(lastTerm, index);
    }

    /** @return the leader this node has stopped following ({@link FollowerStall}), or null */
    private String stalledLeader() {
        Optional<RaftServer.Division> division = division();
        DivisionInfo info = division.map(RaftServer.Division::getInfo).orElse(null);
        RaftPeerId leader = info != null && info.isAlive() && info.isFollower() ? info.getLeaderId() : null;
        if (leader == null) {
            stall.reset(); // a member its group shut down has a closed log: the watch restarts it
            return null;
        }
        long leaderCommit = -1;
        for (CommitInfoProto commit : division.get().getCommitInfos()) {
            if (leader.equals(RaftPeerId.valueOf(commit.getServer().getId()))) {
                leaderCommit = commit.getCommitIndex();
            }
        }
        TermIndex last;
        try {
            last = division.get().getRaftLog().getLastEntryTermIndex();
        } catch (IllegalStateException e) {
            stall.reset(); // closed since: the watch restarts it
            return null;
        }
        boolean stalled = stall.stalled(
                System.nanoTime(),
                leaderCommit,
                last == null ? -1 : last.getIndex(),
                stateMachine.ledgerPosition().getIndex());
        return stalled ? leader.toString() : null;
    }

    /**
     * Fetches the blocks this node lacks from {@code leader} into its ledger.
     *
     * @return true if it did; false if the fetch failed (reported; tried again once the stall is seen again)
     */
    private boolean caughtUpFrom(String leader) {
        LOG.warning(() -> "this node has not followed its leader " + leader + " for " + FollowerStall.LIMIT.toSeconds()
                + " s although the leader is ahead: fetching the blocks it lacks from it");
        try {
            stateMachine.catchUpFrom(leader);
            return true;
        } catch (IOException | LedgerException e) {
            LOG.log(Level.WARNING, "catching up from " + leader + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stall.reset();
        return false;
    }

    /** @return true if this node is the Raft leader now */
    public boolean isLeader() {
        return self.equals(stateMachine.leader()) && healthy();
    }

    /**
     * Stops this node's Raft server, as if the node were cut off from the others, while its gateway keeps serving
     * reads and forwarding batches. Committed blocks stay; {@link #rejoin} brings the node back.
     */
    public void leave() throws IOException {
        synchronized (serverLock) {
            if (server != null) {
                server.close();
                server = null;
            }
        }
    }

    /** Restarts this node's Raft server on its storage after {@link #leave}; it then catches up with the others. */
    public void rejoin() throws IOException {
        synchronized (serverLock) {
            if (server == null) {
                stateMachine = starter.start();
            }
        }
    }

    /** @return the name of the node this node last heard is the leader, or null */
    public String leader() {
        RaftPeerId leader = stateMachine.leader();
        return leader == null ? null : leader.toString();
    }

    /** @return how many blocks this node fetched from other nodes to catch up since its Raft server (re)started */
    public long blocksFetched() {
        return stateMachine.blocksFetched();
    }

    /** @return the Raft log index of the entry of the ledger's last block, or -1 */
    public long appliedIndex() {
        return stateMachine.ledgerPosition().getIndex();
    }

    /** Stops batching, waits briefly for batches on their way to the leader, stops the Raft client and server. */
    @Override
    public void close() throws InterruptedException {
        try {
            closeAll();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "closing the Raft server", e);
        }
    }

    private void closeAll() throws InterruptedException, IOException {
        watch.close();
        cutter.close();
        if (inFlight.tryAcquire(IN_FLIGHT_BATCHES, 10, TimeUnit.SECONDS)) {
            inFlight.release(IN_FLIGHT_BATCHES);
        }
        client.close();
        leave();
    }
}
