package dev.dossier.node.ordering;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.logging.Logger;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

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
 *       the node could not start again. That entry was never acknowledged as durable: it is zeroed here, leaving the
 *       segment as a clean one ending at the previous entry, and the leader sends it again.
 *   <li><b>Damage in the middle.</b> A bad entry followed by anything but zeros (in any segment), or a closed segment
 *       with a bad entry, is not a write cut short by a crash: the node refuses to start, naming the file and the
 *       offset. Ratis' other policy (WARN_AND_RETURN) would silently drop every entry after the damage.
 * </ul>
 */
final class RaftLogFiles {
    private static final Logger LOG = Logger.getLogger(RaftLogFiles.class.getName());
    private static final byte[] HEADER = "RaftLog1".getBytes(StandardCharsets.US_ASCII);
    private static final String OPEN = "log_inprogress_";
    private static final String CLOSED = "log_";

    private RaftLogFiles() {}

    /**
     * Checks every segment under {@code directory} (a node's Raft storage) and repairs a torn tail of an open segment.
     *
     * @return how many torn tails were repaired
     * @throws IOException if a segment is damaged other than by a torn tail, or cannot be read
     */
    static int checkAndRepair(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        List<Path> segments;
        try (Stream<Path> files = Files.walk(directory)) {
            segments = files.filter(Files::isRegularFile)
                    .filter(f -> f.getFileName().toString().startsWith(CLOSED))
                    .sorted()
                    .toList();
        }
        int repaired = 0;
        for (Path segment : segments) {
            if (check(segment, segment.getFileName().toString().startsWith(OPEN))) {
                repaired++;
            }
        }
        return repaired;
    }

    /** @return true if a torn tail was zeroed */
    static boolean check(Path segment, boolean open) throws IOException {
        byte[] bytes = Files.readAllBytes(segment);
        int lastNonZero = bytes.length - 1;
        while (lastNonZero >= 0 && bytes[lastNonZero] == 0) {
            lastNonZero--;
        }
        if (lastNonZero < 0) {
            return false; // created, nothing written yet
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
                            + " dropped, the leader sends it again");
                    return true;
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
        return false;
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
