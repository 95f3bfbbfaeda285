package dev.dossier.node.ordering;

import dev.dossier.common.file.AtomicFile;
import dev.dossier.node.ledger.Ledger;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.function.LongSupplier;
import java.util.logging.Logger;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.storage.RaftStorage;

/**
 * A node whose ledger holds blocks ordered by Raft but whose Raft storage is gone: restored from a backup ({@code
 * dossier restore} copies the ledger, never the Raft log), or its {@code raft/} directory lost. Such a node has
 * forgotten two things Raft relies on:
 *
 * <ul>
 *   <li><b>Its votes.</b> A Raft member must never vote twice in one term. The node starts its new storage at a term
 *       above the highest term any other node reports ({@code /healthz}) and above its last block's, so every vote it
 *       casts from now on is in a term it cannot have voted in before: a term the group had not reached when the node
 *       was lost is above the terms its lost votes were cast in, as far as the nodes that answer know (they must hold
 *       the term of any election the lost node helped to win, since a majority voted in it).
 *   <li><b>What it acknowledged.</b> The leader still counts the entries the lost node held (its match index) and,
 *       within its term, never lowers that count; the restored node lacks them and would be refused for as long as
 *       that leader stays (see {@link RaftLogFiles}). Its higher term makes that leader step down at its first answer;
 *       the next leader probes the node's log from its ledger's position and sends what it misses, or has it fetch the
 *       blocks from a peer when the log no longer holds them ({@link LedgerStateMachine}). And the entries it
 *       acknowledged may have been committed with its help and held by one other node only: it must not help elect a
 *       leader without them. Which they were is unknown, so the loss is recorded at its new term ({@link
 *       LostEntries}): it votes for no candidate and does not stand until a leader elected after it started has
 *       written to its log, the others elect that leader.
 * </ul>
 *
 * That costs one election, as a node whose log lost its tail costs one.
 */
public final class LostRaftState {
    private static final Logger LOG = Logger.getLogger(LostRaftState.class.getName());
    private static final String METADATA = "raft-meta";

    private LostRaftState() {}

    /**
     * Gives a node whose ledger holds Raft-ordered blocks and whose Raft storage for the channel's group has no
     * metadata a new storage at a term above every term it may have voted in (see the class comment); does nothing
     * for a node with Raft storage, or whose ledger has no block from Raft (a new or joining node).
     *
     * @param peersTerm the highest Raft term the other nodes report, or a negative number if none answered
     * @return the term the new storage starts at, or empty if nothing was lost
     * @throws IOException if the storage cannot be written
     */
    public static OptionalLong recover(RaftSettings settings, String channel, Ledger ledger, LongSupplier peersTerm)
            throws IOException {
        Optional<RaftPosition> last = LedgerStateMachine.lastPosition(ledger);
        Path group = settings.directory()
                .resolve(RatisConfig.group(channel, settings.members())
                        .getGroupId()
                        .getUuid()
                        .toString());
        if (last.isPresent() && unreadable(group)) {
            long peers = peersTerm.getAsLong();
            long term = Math.max(peers, last.get().term()) + 1;
            repairMetadata(group, term, peers < 0 ? "no other node answered" : "the others report term " + peers);
            return OptionalLong.of(term);
        }
        if (last.isEmpty() || Files.exists(group.resolve("current").resolve(METADATA))) {
            return OptionalLong.empty();
        }
        long peers = peersTerm.getAsLong();
        long term = Math.max(peers, last.get().term()) + 1;
        Files.createDirectories(group);
        RaftLogFiles.persistTerm(group, RaftStorage.StartupOption.FORMAT, unused -> term);
        // what it acknowledged beyond its ledger is unknown: it votes for no candidate until a leader elected since
        // (whose term is above this one) has written to its log
        LostEntries.record(group, term, last.get().index() + 1);
        LOG.warning(() -> "the ledger holds blocks up to Raft entry "
                + last.get().index() + " but this node has no Raft"
                + " storage (restored from a backup, or its raft/ directory lost): it starts a new one at term " + term
                + (peers < 0
                        ? " (no other node answered with its term: above its last block's term "
                                + last.get().term() + " only)"
                        : " (the others report term " + peers + ")")
                + ", takes the entries it misses from the leader or the blocks from a peer");
        return OptionalLong.of(term);
    }

    /**
     * Rewrites the Raft metadata of a running node's group if it holds no term ({@link #repairMetadata}), at a term
     * above the one the node was at and its last block's.
     *
     * @param knownTerm the term this node was at before its Raft server stopped
     */
    static void repairEmptied(Path directory, RaftGroupId groupId, long knownTerm, Optional<RaftPosition> last)
            throws IOException {
        Path group = directory.resolve(groupId.getUuid().toString());
        if (unreadable(group)) {
            long term = Math.max(knownTerm, last.map(RaftPosition::term).orElse(0L)) + 1;
            repairMetadata(group, term, "this node was at term " + knownTerm);
        }
    }

    /** @return true if the group's Raft metadata file exists but holds no term (see {@link #repairMetadata}) */
    static boolean unreadable(Path group) throws IOException {
        Path file = group.resolve("current").resolve(METADATA);
        if (!Files.exists(file)) {
            return false;
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IllegalArgumentException e) {
            return true; // not a properties file
        }
        return properties.getProperty("term") == null;
    }

    /**
     * Rewrites a group's Raft metadata file (term, vote) that holds no term, keeping its log. Ratis (3.3) writes it
     * through a buffered writer whose failure on a full disk still commits the empty temporary file in its place;
     * Ratis then refuses to start on it, even once space is free. The lost term is at most {@code term} - 1: the
     * caller takes one above every term this node or its peers are known to have reached, so no vote is cast twice.
     *
     * @param why where the term comes from, for the log
     */
    static void repairMetadata(Path group, long term, String why) throws IOException {
        // Ratis' format (a properties file, its keys): Ratis cannot open the empty file to write it itself
        AtomicFile.write(group.resolve("current").resolve(METADATA), "term=" + term + "\nvotedFor=\n");
        LOG.warning(() -> "the Raft metadata of " + group + " held no term (emptied by a full disk): rewritten at term "
                + term + " (" + why + "), with no vote; the log is kept");
    }
}
