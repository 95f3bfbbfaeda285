package dev.dossier.node.ordering;

import dev.dossier.common.file.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import org.apache.ratis.proto.RaftProtos.RequestVoteRequestProto;
import org.apache.ratis.proto.grpc.RaftServerProtocolServiceGrpc;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.thirdparty.io.grpc.ForwardingServerCallListener;
import org.apache.ratis.thirdparty.io.grpc.Metadata;
import org.apache.ratis.thirdparty.io.grpc.ServerCall;
import org.apache.ratis.thirdparty.io.grpc.ServerCallHandler;
import org.apache.ratis.thirdparty.io.grpc.ServerInterceptor;
import org.apache.ratis.thirdparty.io.grpc.Status;

/**
 * The Raft entries a node may have acknowledged and then lost (a torn log tail, a log deleted because the ledger lost
 * blocks: {@link RaftLogFiles}; a log that failed on a full disk: {@link RaftOrderer}), kept in {@code
 * <group>/lost-entries} until the node's log holds an entry at least as recent again.
 *
 * <p><b>Why.</b> Raft's safety rests on every acknowledged entry staying on the disk of the node that acknowledged it:
 * a leader counts it towards a majority, and any later leader needs a vote from that majority, whose members refuse a
 * candidate whose log is less recent than theirs. A node that lost an entry it acknowledged would vote for a candidate
 * that lacks it, or stand itself, and with another node that never had the entry (it was down) elect a leader that
 * overwrites a committed entry: the node that holds the committed entry then refuses that leader's entries for good
 * (seen in {@code FaultIT}: a node with a torn tail and a node just restarted elected one of them, and the third node
 * answered every append "inconsistent" from then on). So while the record stands, this node:
 *
 * <ul>
 *   <li>refuses its vote (and pre-vote) to a candidate whose last entry is less recent than the lost position, as it
 *       would have with its log intact ({@link #interceptor});
 *   <li>does not stand for election: its elections are paused once its Raft server starts ({@link RaftOrderer}), and
 *       its first election timeout is long enough for that;
 *   <li>ends its term at each start ({@link RaftLogFiles}), so that a leader that counts the lost entries as held
 *       steps down and the next one probes this node's log from its real end.
 * </ul>
 *
 * Once this node's log holds an entry at least as recent as the lost position, a leader that had the lost entries (or
 * a later one) wrote it there, the record is deleted and the node votes and stands as any other.
 *
 * <p>The lost position is the index of the last entry lost and the term this node was in when it found the loss: the
 * lost entry's own term is unknown (its bytes are gone) and at most that. A candidate whose last entry's term lies
 * between the two is refused although it holds the entries; the others' votes elect it (with three nodes, the third
 * node's). The price of the record is availability, never safety: with the other holders of the lost entries down, no
 * leader is elected until one is back.
 */
final class LostEntries {
    private static final Logger LOG = Logger.getLogger(LostEntries.class.getName());
    static final String FILE = "lost-entries";
    private static final String REQUEST_VOTE =
            RaftServerProtocolServiceGrpc.getRequestVoteMethod().getFullMethodName();

    private final Path file;
    private volatile TermIndex lost; // null while no loss is recorded
    private final AtomicLong refusals = new AtomicLong();

    /** @param group the Raft group's storage directory ({@code raft/<group id>}) */
    LostEntries(Path group) {
        this.file = group.resolve(FILE);
    }

    /**
     * Records that this node may have lost acknowledged entries up to {@code index}, found while in {@code term}; keeps
     * the more recent of that and a position recorded before. Written atomically and synced.
     */
    static void record(Path group, long term, long index) throws IOException {
        TermIndex position = TermIndex.valueOf(term, index);
        Optional<TermIndex> before = read(group.resolve(FILE));
        if (before.isPresent() && before.get().compareTo(position) >= 0) {
            return;
        }
        AtomicFile.write(group.resolve(FILE), term + " " + index + "\n");
    }

    /** Records that this node may have lost acknowledged entries: {@link #record(Path, long, long)} for its group. */
    void record(long term, long index) throws IOException {
        Path group = file.getParent();
        record(group, term, index);
        LOG.warning(() -> "this node's Raft log failed: it may have acknowledged entries up to index " + index
                + " (term " + term + ") that it no longer holds; recorded in " + file);
    }

    /** @return true if {@code group} has lost entries not yet recovered */
    static boolean recorded(Path group) throws IOException {
        return read(group.resolve(FILE)).isPresent();
    }

    private static Optional<TermIndex> read(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file).trim();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        String[] parts = text.split(" ");
        try {
            if (parts.length == 2) {
                return Optional.of(TermIndex.valueOf(Long.parseLong(parts[0]), Long.parseLong(parts[1])));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IOException(file + " does not hold '<term> <index>' but '" + text + "'; it records Raft entries this"
                + " node lost: restore this node's data directory from a backup or from another node");
    }

    /** Reads the record again: at each start of the Raft server, after {@link RaftLogFiles#recover}. */
    void load() throws IOException {
        lost = read(file).orElse(null);
        if (lost != null) {
            LOG.warning(() -> "this node lost Raft entries it may have acknowledged, up to index " + lost.getIndex()
                    + " (found in term " + lost.getTerm() + "): until its log holds them again it neither stands"
                    + " for election nor votes for a node whose log is less recent");
        }
    }

    /** @return the lost position while it stands */
    Optional<TermIndex> position() {
        return Optional.ofNullable(lost);
    }

    /** @return true if this node may vote for a candidate whose last log entry is {@code candidateLast} */
    boolean allowsVoteFor(TermIndex candidateLast) {
        TermIndex position = lost;
        return position == null || candidateLast.compareTo(position) >= 0;
    }

    /** @return true if this node's last log entry {@code last} is at least as recent as the lost position */
    boolean heldBy(TermIndex last) {
        TermIndex position = lost;
        return position != null && last != null && last.compareTo(position) >= 0;
    }

    /** Deletes the record: this node's log holds an entry at least as recent as the lost position ({@link #heldBy}). */
    void clear(TermIndex last) throws IOException {
        TermIndex position = lost;
        Files.deleteIfExists(file);
        lost = null;
        LOG.info(() -> "this node's Raft log holds entry " + last + ", past the entries it had lost (up to index "
                + position.getIndex() + "): it votes and stands for election again");
    }

    /**
     * @return an interceptor for this node's Raft server that refuses, with {@code FAILED_PRECONDITION}, a vote or
     *     pre-vote request from a candidate whose log is less recent than the lost position; the candidate counts it
     *     as no vote
     */
    ServerInterceptor interceptor() {
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(
                    ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                ServerCall.Listener<Q> listener = next.startCall(call, headers);
                if (!call.getMethodDescriptor().getFullMethodName().equals(REQUEST_VOTE)) {
                    return listener;
                }
                return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
                    private boolean refused;

                    @Override
                    public void onMessage(Q message) {
                        RequestVoteRequestProto request = (RequestVoteRequestProto) message;
                        TermIndex candidate = TermIndex.valueOf(request.getCandidateLastEntry());
                        if (allowsVoteFor(candidate)) {
                            super.onMessage(message);
                            return;
                        }
                        refused = true;
                        String why = "this node lost Raft entries up to " + lost + " and votes only for a candidate"
                                + " whose log is at least as recent; the candidate's ends at " + candidate;
                        if (Long.bitCount(refusals.incrementAndGet()) == 1) {
                            LOG.warning(() -> "vote refused to "
                                    + request.getServerRequest()
                                            .getRequestorId()
                                            .toStringUtf8() + " (" + refusals.get()
                                    + " refusal(s) so far): " + why);
                        }
                        call.close(Status.FAILED_PRECONDITION.withDescription(why), new Metadata());
                    }

                    @Override
                    public void onHalfClose() {
                        if (!refused) {
                            super.onHalfClose();
                        }
                    }
                };
            }
        };
    }
}
