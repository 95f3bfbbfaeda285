package dev.dossier.node.ordering;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.LongUnaryOperator;
import java.util.logging.Logger;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.server.storage.RaftStorageImpl;
import org.apache.ratis.server.storage.RaftStorageMetadata;
import org.apache.ratis.server.storage.StorageImplUtils;
import org.apache.ratis.util.SizeInBytes;

/**
 * Checks a node's Raft log segments before Ratis opens them, so that a crash leaves the node able to restart and damage
 * stops it with a clear message.
 *
 * <p>A Ratis segment is the header {@code RaftLog1}, then entries: a varint length, that many bytes of the entry,
 * and the CRC32C of the varint and the entry (4 bytes, big-endian). The open segment ({@code log_inprogress_<first>})
 * is preallocated with zeros, so a clean segment ends with zeros after its last entry.
 *
 * <ul>
 *   <li><b>Torn tail.</b> A node killed while appending (kill -9, power loss) may leave the open segment's last entry
 *       half written, with only zeros after it. Ratis would refuse such a segment (its default corruption policy) and
 *       the node could not start again. The entry is zeroed here, leaving the segment as a clean one ending at the
 *       previous entry.
 *   <li><b>Damage in the middle.</b> A bad entry followed by anything but zeros (in any segment), or a closed segment
 *       with a bad entry, is not a write cut short by a crash: the node refuses to start, naming the file and the
 *       offset. Ratis' other policy (WARN_AND_RETURN) would silently drop every entry after the damage.
 *   <li><b>A log that cannot continue the ledger.</b> If the ledger lost its last blocks (a disk that acknowledged a
 *       write it then lost, a ledger restored from a backup) while the log was purged past them, the first entry in
 *       the log is beyond the entry after the ledger's last block, and Ratis would wait for ever for the entries
 *       between (its state machine updater stops at the first missing entry and waits for a snapshot that no leader
 *       sends, as the follower's log looks complete to it). The segments are deleted: the node then starts with an
 *       empty log at its ledger's position, and the leader sends it what it misses, or tells it to fetch the blocks
 *       from a peer when its own log no longer holds them ({@link LedgerStateMachine}).
 * </ul>
 *
 * <p><b>Losing entries ends the term.</b> Both repairs may drop entries this node acknowledged to the leader: a torn
 * entry is not always one that was never acknowledged, since a disk may lose a synced write. The loss is recorded
 * ({@link LostEntries}: until the node's log holds an entry as recent again, it votes only for a candidate that holds
 * what it lost and does not stand itself), and at every start while it is recorded the term is ended. A Ratis leader never
 * lowers what it knows a follower holds (its match index) within its term: answered by a follower that lacks them, its
 * heartbeats fail for ever, and once the failures have slowed its retries it sends nothing but heartbeats, so the
 * follower stays behind until the leader changes (FaultIT: a node with a torn log stayed two blocks behind the others
 * for good). So whenever entries are dropped here, this node's Raft term is raised by one before Ratis starts (with
 * no vote cast in it), as a candidate's would be: its first reply to the leader carries the higher term, the leader
 * steps down, and the next leader starts with no belief about this node's log and probes it down to its real end.
 * That costs one election; raising the term never breaks Raft's safety.
 */
final class RaftLogFiles {
    private static final Logger LOG = Logger.getLogger(RaftLogFiles.class.getName());
    private static final byte[] HEADER = "RaftLog1".getBytes(StandardCharsets.US_ASCII);
    private static final String OPEN = "log_inprogress_";
    private static final String CLOSED = "log_";

    private static final String CURRENT = "current";
    private static final String METADATA = "raft-meta";

    private RaftLogFiles() {}

    /**
     * Prepares every Raft group's storage under {@code directory} for Ratis: checks its segments and repairs a torn
     * tail, deletes a log that starts beyond the entry after {@code ledgerIndex}, and ends the term of a group whose
     * log lost entries (see the class comment).
     *
     * @param ledgerIndex the Raft index of the entry of the ledger's last block, or -1 if it has none
     * @return the groups whose term was ended because their log lost entries, now or at an earlier start, that it does
     *     not hold again yet ({@link LostEntries})
     * @throws IOException if a segment is damaged other than by a torn tail, or the storage cannot be read or written
     */
    static int recover(Path directory, long ledgerIndex) throws IOException {
        int ended = 0;
        for (Path current : groupStorages(directory)) {
            Path group = current.getParent();
            long lost = Math.max(checkAndRepair(current), dropIfBeyond(current, ledgerIndex));
            boolean voted = Files.exists(current.resolve(METADATA));
            if (lost >= 0 && voted) {
                // recorded before the term is ended: a crash between the two leaves the record, never the term alone
                LostEntries.record(group, storedTerm(group), lost);
            }
            if (voted && LostEntries.recorded(group)) {
                endTerm(group);
                ended++;
            }
        }
        return ended;
    }

    /** @return the {@code current} storage directory of every Raft group under {@code directory} */
    private static List<Path> groupStorages(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(directory)) {
            return children.map(g -> g.resolve(CURRENT))
                    .filter(Files::isDirectory)
                    .sorted()
                    .toList();
        }
    }

    /**
     * Deletes the segments of {@code current} if its first entry is beyond the one after {@code ledgerIndex}.
     *
     * @return the index of the last entry deleted, or -1 if the log is kept
     */
    private static long dropIfBeyond(Path current, long ledgerIndex) throws IOException {
        List<Path> segments = segments(current);
        long first = segments.stream().mapToLong(RaftLogFiles::firstIndex).min().orElse(Long.MIN_VALUE);
        if (segments.isEmpty() || first <= ledgerIndex + 1) {
            return -1;
        }
        long last = -1;
        for (Path segment : segments) {
            last = Math.max(last, lastIndex(segment));
            Files.delete(segment);
        }
        LOG.warning(() -> "Raft log in " + current + " starts at entry " + first + " but the ledger's last block is"
                + " at entry " + ledgerIndex + ": the entries between are lost (the ledger lost its last blocks, or"
                + " was restored from an older copy); the log is deleted and this node takes the entries it misses"
                + " from the leader, or the blocks from a peer");
        return last;
    }

    /**
     * Deletes the Raft log segments of every group under {@code directory} whose last entry lies before the ledger's
     * last block ({@code ledgerIndex}): the node fetched the blocks after them from a peer, so the ledger holds every
     * entry the log does, and the node starts again with an empty log at its ledger's position. Nothing acknowledged is
     * lost. For a stopped Raft server only ({@link FollowerStall}).
     *
     * @return true if a log was deleted
     */
    static boolean dropIfBehind(Path directory, long ledgerIndex) throws IOException {
        boolean dropped = false;
        for (Path current : groupStorages(directory)) {
            List<Path> segments = segments(current);
            long last = -1;
            for (Path segment : segments) {
                last = Math.max(last, lastIndex(segment));
            }
            if (!segments.isEmpty() && last < ledgerIndex) {
                for (Path segment : segments) {
                    Files.delete(segment);
                }
                long end = last;
                LOG.warning(() -> "Raft log in " + current + " ends at entry " + end + ", before the ledger's last"
                        + " block at entry " + ledgerIndex + ": deleted, the ledger holds all of it");
                dropped = true;
            }
        }
        return dropped;
    }

    /** @return the index of the last entry of a segment (checked before), or its first index - 1 if it has none */
    private static long lastIndex(Path segment) throws IOException {
        String name = segment.getFileName().toString();
        if (name.startsWith(OPEN)) {
            return firstIndex(segment) + scan(segment, true).entries() - 1;
        }
        return Long.parseLong(name.substring(name.indexOf('-') + 1));
    }

    /** @return the index of the first entry of a segment, from its name */
    private static long firstIndex(Path segment) {
        String name = segment.getFileName().toString();
        String range = name.startsWith(OPEN) ? name.substring(OPEN.length()) : name.substring(CLOSED.length());
        int dash = range.indexOf('-');
        return Long.parseLong(dash < 0 ? range : range.substring(0, dash));
    }

    private static List<Path> segments(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> f.getFileName().toString().matches("log_(inprogress_[0-9]+|[0-9]+-[0-9]+)"))
                    .sorted()
                    .toList();
        }
    }

    /**
     * Raises the term of a group's storage by one, with no vote, through Ratis' own storage (which writes it
     * atomically and synced).
     */
    private static void endTerm(Path group) throws IOException {
        long before = persistTerm(group, RaftStorage.StartupOption.RECOVER, term -> term + 1);
        LOG.warning(() -> "Raft log in " + group + " lost entries this node may have acknowledged: its term is"
                + " raised from " + before + " to " + (before + 1) + ", so that the leader steps down and the"
                + " next one sends this node every entry it misses");
    }

    /** @return the term stored in a group's Raft metadata, read through Ratis' own storage */
    private static long storedTerm(Path group) throws IOException {
        RaftStorageImpl storage = open(group, RaftStorage.StartupOption.RECOVER);
        try {
            return storage.getMetadataFile().getMetadata().getTerm();
        } finally {
            storage.close();
        }
    }

    private static RaftStorageImpl open(Path group, RaftStorage.StartupOption option) throws IOException {
        RaftStorageImpl storage = StorageImplUtils.newRaftStorage(
                group.toFile(), SizeInBytes.ZERO, option, RaftServerConfigKeys.Log.CorruptionPolicy.EXCEPTION);
        storage.initialize();
        return storage;
    }

    /**
     * Writes the group's Raft metadata through Ratis' own storage (atomically and synced): the term {@code next} makes
     * of the one stored, with no vote.
     *
     * @param option {@code RECOVER} for a group that has its storage, {@code FORMAT} to make it (stored term 0)
     * @return the term stored before
     */
    static long persistTerm(Path group, RaftStorage.StartupOption option, LongUnaryOperator next) throws IOException {
        RaftStorageImpl storage = open(group, option);
        try {
            long before = storage.getMetadataFile().getMetadata().getTerm();
            storage.getMetadataFile()
                    .persist(RaftStorageMetadata.valueOf(
                            next.applyAsLong(before),
                            RaftStorageMetadata.getDefault().getVotedFor()));
            return before;
        } finally {
            storage.close();
        }
    }

    /**
     * Checks every segment under {@code directory} (a node's Raft storage) and repairs a torn tail of an open segment.
     *
     * @return the index of the last torn entry dropped, or -1 if none was
     * @throws IOException if a segment is damaged other than by a torn tail, or cannot be read
     */
    static long checkAndRepair(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return -1;
        }
        long dropped = -1;
        for (Path segment : segments(directory)) {
            Scan scan = scan(segment, segment.getFileName().toString().startsWith(OPEN));
            if (scan.torn()) {
                dropped = Math.max(dropped, firstIndex(segment) + scan.entries());
            }
        }
        return dropped;
    }

    /**
     * A segment read through.
     *
     * @param entries how many whole entries it holds
     * @param torn true if the entry after them was torn and has been zeroed
     */
    private record Scan(int entries, boolean torn) {}

    /** Reads a segment's entries, zeroing a torn last entry of an open one; throws on any other damage. */
    private static Scan scan(Path segment, boolean open) throws IOException {
        byte[] bytes = Files.readAllBytes(segment);
        int lastNonZero = bytes.length - 1;
        while (lastNonZero >= 0 && bytes[lastNonZero] == 0) {
            lastNonZero--;
        }
        if (lastNonZero < 0) {
            return new Scan(0, false); // created, nothing written yet
        }
        if (bytes.length < HEADER.length
                || !ByteBuffer.wrap(bytes, 0, HEADER.length).equals(ByteBuffer.wrap(HEADER))) {
            throw damaged(segment, 0, "no Raft log header");
        }
        int pos = HEADER.length;
        int entry = 0;
        while (pos <= lastNonZero) { // zeros after the last entry: preallocated space
            long length = 0;
            int at = pos;
            int shift = 0;
            boolean complete = false;
            while (at < bytes.length && shift < 35) {
                int b = bytes[at++] & 0xFF;
                length |= (long) (b & 0x7F) << shift;
                shift += 7;
                if ((b & 0x80) == 0) {
                    complete = true;
                    break;
                }
            }
            long end = at + length + 4;
            boolean ok = complete && length > 0 && end <= bytes.length;
            if (ok) {
                CRC32C crc = new CRC32C();
                crc.update(bytes, pos, (int) (at + length - pos));
                int stored = ByteBuffer.wrap(bytes, (int) (at + length), 4).getInt();
                ok = (int) crc.getValue() == stored;
            }
            if (!ok) {
                // a torn write: nothing but zeros after this entry's extent (or after its start, if unreadable)
                long after = complete && end <= bytes.length ? end : pos;
                if (open && after > lastNonZero) {
                    zero(segment, pos, bytes.length);
                    int entries = entry;
                    int offset = pos;
                    LOG.warning(() -> "Raft log segment " + segment + ": the last entry (at offset " + offset
                            + ", after " + entries + " whole entries) was torn by a crash while being written;"
                            + " dropped");
                    return new Scan(entry, true);
                }
                throw damaged(
                        segment,
                        pos,
                        "entry " + entry + " is damaged (length or checksum) and "
                                + (open ? "data follows it" : "the segment is closed")
                                + ", so this is not a write cut short by a crash");
            }
            pos = (int) end;
            entry++;
        }
        return new Scan(entry, false);
    }

    private static void zero(Path segment, int from, int to) throws IOException {
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ByteBuffer zeros = ByteBuffer.allocate(to - from);
            channel.position(from);
            while (zeros.hasRemaining()) {
                channel.write(zeros);
            }
            channel.force(true);
        }
    }

    private static IOException damaged(Path segment, long offset, String what) {
        return new IOException("Raft log segment " + segment + " is corrupt at offset " + offset + ": " + what
                + ". The node does not start on it: restore this node's data directory from a backup or from"
                + " another node");
    }
}
