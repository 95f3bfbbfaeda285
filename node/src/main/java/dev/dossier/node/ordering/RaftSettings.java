package dev.dossier.node.ordering;

import static java.util.Objects.requireNonNull;

import dev.dossier.node.identity.TlsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How a node takes part in Raft ordering.
 *
 * @param self this node's name, one of the members
 * @param members every ordering node of the network (name, host, Raft port, TLS certificate); the Raft group is named
 *     after the channel, so all members of one channel form one group
 * @param directory where Ratis keeps its log and metadata
 * @param electionTimeout the shortest election timeout; a follower that hears nothing from the leader for between one
 *     and two times this starts an election
 * @param snapshotEvery take a snapshot (and let the log be purged) every this many applied entries
 * @param purgeToSnapshot purge the log up to the snapshot even if a follower still needs it (that follower then
 *     catches up from the leader's blocks); otherwise the log is kept until every follower has it
 * @param segmentBytes the size of a Raft log segment file (the unit of purging)
 * @param joining true for a node joining a running group: it starts knowing only itself and waits to be added
 * @param tls the node's mutual TLS for Raft traffic (the same certificates as its gateway; peers are accepted only
 *     with a member's TLS certificate), or null for plaintext
 */
public record RaftSettings(
        String self,
        List<Member> members,
        Path directory,
        Duration electionTimeout,
        long snapshotEvery,
        boolean purgeToSnapshot,
        long segmentBytes,
        boolean joining,
        TlsSettings tls) {

    /** Defaults for a network of nodes on one machine or a LAN. */
    public static RaftSettings of(String self, List<Member> members, Path directory) {
        return new RaftSettings(
                self, members, directory, Duration.ofMillis(1_000), 10_000, true, 32L << 20, false, null);
    }

    /**
     * @throws NullPointerException if an argument or member is null
     * @throws IllegalArgumentException if {@code self} is not a member, or a limit is not positive
     */
    public RaftSettings {
        requireNonNull(self, "self");
        members = List.copyOf(members);
        requireNonNull(directory, "directory");
        requireNonNull(electionTimeout, "electionTimeout");
        if (members.stream().noneMatch(m -> m.name().equals(self))) {
            throw new IllegalArgumentException("node " + self + " is not a member of the Raft group");
        }
        if (electionTimeout.isNegative() || electionTimeout.isZero() || snapshotEvery < 1 || segmentBytes < 1024) {
            throw new IllegalArgumentException("election timeout, snapshot interval and segment size must be positive");
        }
    }

    /** @return the same settings with another election timeout and snapshot interval (tests use short ones) */
    public RaftSettings withTiming(Duration newElectionTimeout, long newSnapshotEvery, long newSegmentBytes) {
        return new RaftSettings(
                self,
                members,
                directory,
                newElectionTimeout,
                newSnapshotEvery,
                purgeToSnapshot,
                newSegmentBytes,
                joining,
                tls);
    }

    /** @return the same settings for a node that joins a running group (it starts with no other member) */
    public RaftSettings joining(boolean newJoining) {
        return new RaftSettings(
                self,
                members,
                directory,
                electionTimeout,
                snapshotEvery,
                purgeToSnapshot,
                segmentBytes,
                newJoining,
                tls);
    }

    /** @return the same settings with Raft traffic over mutual TLS (null: plaintext) */
    public RaftSettings withTls(TlsSettings newTls) {
        return new RaftSettings(
                self,
                members,
                directory,
                electionTimeout,
                snapshotEvery,
                purgeToSnapshot,
                segmentBytes,
                joining,
                newTls);
    }

    /**
     * A Raft group member: a node's name, the address of its Raft server (its Raft server listens on that host only),
     * and its TLS certificate, which is, with the other members', the only one a Raft connection accepts over TLS
     * (read only when the network runs with TLS).
     */
    public record Member(String name, String host, int port, Path tlsCertificate) {
        public Member {
            requireNonNull(name, "name");
            requireNonNull(host, "host");
            requireNonNull(tlsCertificate, "tlsCertificate");
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
        }

        /** @return {@code host:port} */
        public String address() {
            return host + ":" + port;
        }
    }
}
