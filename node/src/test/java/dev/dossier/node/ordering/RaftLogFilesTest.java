package dev.dossier.node.ordering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import java.util.zip.CRC32C;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.server.storage.RaftStorageImpl;
import org.apache.ratis.server.storage.StorageImplUtils;
import org.apache.ratis.util.SizeInBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RaftLogFilesTest {
    private static final int PREALLOCATED = 64 << 10;

    @TempDir
    Path dir;

    /** A segment in Ratis' layout: header, then per entry varint length, entry, CRC32C of both. */
    private static byte[] segment(int entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("RaftLog1".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < entries; i++) {
            byte[] entry = ("entry " + i + " ").repeat(30).getBytes(StandardCharsets.US_ASCII);
            ByteArrayOutputStream one = new ByteArrayOutputStream();
            int length = entry.length;
            while (length >= 0x80) {
                one.write((length & 0x7F) | 0x80);
                length >>>= 7;
            }
            one.write(length);
            one.writeBytes(entry);
            CRC32C crc = new CRC32C();
            crc.update(one.toByteArray());
            out.writeBytes(one.toByteArray());
            out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        }
        return out.toByteArray();
    }

    private Path write(String name, byte[] data, int size) throws IOException {
        Path file = dir.resolve("group").resolve("current").resolve(name);
        Files.createDirectories(file.getParent());
        Files.write(file, Arrays.copyOf(data, Math.max(size, data.length)));
        return file;
    }

    @Test
    void cleanSegments_areLeftAlone() throws IOException {
        Path open = write("log_inprogress_5", segment(5), PREALLOCATED);
        Path closed = write("log_0-4", segment(5), 0);
        byte[] before = Files.readAllBytes(open);

        assertThat(RaftLogFiles.checkAndRepair(dir)).as("no entry dropped").isEqualTo(-1);
        assertThat(Files.readAllBytes(open)).isEqualTo(before);
        assertThat(closed).exists();
    }

    @Test
    void tornLastEntry_isZeroed_keepingTheWholeEntriesBeforeIt() throws IOException {
        byte[] four = segment(4);
        byte[] five = segment(5);
        byte[] torn = Arrays.copyOf(five, four.length + (five.length - four.length) / 2); // half the last entry
        Path open = write("log_inprogress_10", torn, PREALLOCATED);

        assertThat(RaftLogFiles.checkAndRepair(dir))
                .as("the fifth entry of a segment from entry 10")
                .isEqualTo(14);

        byte[] after = Files.readAllBytes(open);
        assertThat(after).hasSize(PREALLOCATED);
        assertThat(Arrays.copyOf(after, four.length)).isEqualTo(four);
        assertThat(Arrays.copyOfRange(after, four.length, after.length)).containsOnly((byte) 0);
        assertThat(RaftLogFiles.checkAndRepair(dir)).isEqualTo(-1); // now a clean segment
    }

    @Test
    void damagedEntryInTheMiddle_stopsTheNode_namingFileAndOffset() throws IOException {
        byte[] data = segment(6);
        data[data.length / 2] ^= 0x5A;
        Path open = write("log_inprogress_0", data, PREALLOCATED);

        assertThatThrownBy(() -> RaftLogFiles.checkAndRepair(dir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(open.toString())
                .hasMessageContaining("is corrupt at offset")
                .hasMessageContaining("not a write cut short by a crash");
    }

    @Test
    void damagedClosedSegment_stopsTheNode() throws IOException {
        byte[] data = segment(6);
        data[data.length - 2] ^= 0x01; // the last checksum: a closed segment has no torn tail
        Path closed = write("log_0-5", data, 0);

        assertThatThrownBy(() -> RaftLogFiles.checkAndRepair(dir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(closed.toString());
    }

    /** Ratis' metadata file of the group: its term and vote (a java.util.Properties file). */
    private Path metadata(long term, String votedFor) throws IOException {
        Path file = dir.resolve("group").resolve("current").resolve("raft-meta");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "votedFor=" + votedFor + "\nterm=" + term + "\n");
        return file;
    }

    private static Properties read(Path file) throws IOException {
        Properties properties = new Properties();
        try (var in = Files.newBufferedReader(file)) {
            properties.load(in);
        }
        return properties;
    }

    @Test
    void tornTail_endsTheTerm_withNoVote() throws IOException {
        byte[] five = segment(5);
        write("log_inprogress_3", Arrays.copyOf(five, five.length - 10), PREALLOCATED);
        Path meta = metadata(7, "node1");

        assertThat(RaftLogFiles.recover(dir, 4)).isEqualTo(1);

        Properties after = read(meta);
        assertThat(after.getProperty("term")).isEqualTo("8");
        assertThat(after.getProperty("votedFor")).isEmpty();
        // the fifth entry of a segment from entry 3 was lost, found in term 7
        Path group = meta.getParent().getParent();
        assertThat(group.resolve(LostEntries.FILE)).hasContent("7 7");
        // started again before its log holds the lost entries again: the term is ended again, the record kept
        assertThat(RaftLogFiles.recover(dir, 4)).isEqualTo(1);
        assertThat(read(meta).getProperty("term")).isEqualTo("9");
        assertThat(group.resolve(LostEntries.FILE)).hasContent("7 7");
        // once the record is cleared (the log held the entries again), a start changes nothing
        Files.delete(group.resolve(LostEntries.FILE));
        assertThat(RaftLogFiles.recover(dir, 4)).isZero();
        assertThat(read(meta).getProperty("term")).isEqualTo("9");
    }

    /** Ratis 3.3 commits an empty metadata file when the disk fills while it writes it, and cannot start on it. */
    @Test
    void emptiedMetadata_isRewrittenAtTheGivenTerm_withNoVote_keepingTheLog() throws IOException {
        Path open = write("log_inprogress_0", segment(3), PREALLOCATED);
        Path meta = metadata(7, "node1");
        Path group = meta.getParent().getParent();
        assertThat(LostRaftState.unreadable(group)).isFalse();
        Files.write(meta, new byte[0]);
        byte[] log = Files.readAllBytes(open);
        assertThat(LostRaftState.unreadable(group)).isTrue();

        LostRaftState.repairMetadata(group, 9, "the test's term");

        assertThat(read(meta).getProperty("term")).isEqualTo("9");
        assertThat(read(meta).getProperty("votedFor")).isEmpty();
        assertThat(Files.readAllBytes(open)).isEqualTo(log);
        assertThat(LostRaftState.unreadable(group)).isFalse();
        RaftStorageImpl storage = StorageImplUtils.newRaftStorage(
                group.toFile(),
                SizeInBytes.ZERO,
                RaftStorage.StartupOption.RECOVER,
                RaftServerConfigKeys.Log.CorruptionPolicy.EXCEPTION);
        storage.initialize(); // Ratis starts on it
        try {
            assertThat(storage.getMetadataFile().getMetadata().getTerm()).isEqualTo(9);
        } finally {
            storage.close();
        }
    }

    @Test
    void cleanLogThatContinuesTheLedger_isLeftAlone_andKeepsItsTerm() throws IOException {
        write("log_0-4", segment(5), 0);
        Path open = write("log_inprogress_5", segment(3), PREALLOCATED);
        Path meta = metadata(7, "node1");
        byte[] before = Files.readAllBytes(open);

        assertThat(RaftLogFiles.recover(dir, -1)).isZero(); // a ledger with no block ordered yet
        assertThat(RaftLogFiles.recover(dir, 6)).isZero();

        assertThat(Files.readAllBytes(open)).isEqualTo(before);
        assertThat(read(meta).getProperty("term")).isEqualTo("7");
        assertThat(read(meta).getProperty("votedFor")).isEqualTo("node1");
    }

    @Test
    void logStartingBeyondTheLedger_isDeleted_andEndsTheTerm() throws IOException {
        // purged up to entry 9 after a snapshot; the ledger has since lost the blocks of entries 8 and 9
        Path closed = write("log_10-14", segment(5), 0);
        Path open = write("log_inprogress_15", segment(2), PREALLOCATED);
        Path meta = metadata(3, "node2");

        assertThat(RaftLogFiles.recover(dir, 7)).isEqualTo(1);

        assertThat(closed).doesNotExist();
        assertThat(open).doesNotExist();
        assertThat(read(meta).getProperty("term")).isEqualTo("4");
        // entries up to 16 (the open segment's two from 15) were lost, found in term 3
        assertThat(meta.getParent().getParent().resolve(LostEntries.FILE)).hasContent("3 16");
    }

    @Test
    void logStartingRightAfterTheLedger_isKept() throws IOException {
        Path open = write("log_inprogress_10", segment(2), PREALLOCATED);
        metadata(3, "node2");

        assertThat(RaftLogFiles.recover(dir, 9)).isZero();
        assertThat(open).exists();
    }

    @Test
    void logEndingBeforeTheLedgersLastBlock_isDeleted_keepingTermAndVote_andNoLossIsRecorded() throws IOException {
        // entries 0 to 6; the node then fetched the blocks of later entries, up to entry 9, from a peer
        Path closed = write("log_0-4", segment(5), 0);
        Path open = write("log_inprogress_5", segment(2), PREALLOCATED);
        Path meta = metadata(3, "node2");

        assertThat(RaftLogFiles.dropIfBehind(dir, 9)).isTrue();

        assertThat(closed).doesNotExist();
        assertThat(open).doesNotExist();
        assertThat(read(meta).getProperty("term")).isEqualTo("3");
        assertThat(read(meta).getProperty("votedFor")).isEqualTo("node2");
        assertThat(meta.getParent().getParent().resolve(LostEntries.FILE)).doesNotExist();
    }

    @Test
    void logReachingTheLedgersLastBlock_orBeyond_isKept() throws IOException {
        Path closed = write("log_0-4", segment(5), 0);
        Path open = write("log_inprogress_5", segment(2), PREALLOCATED); // entries 5 and 6

        assertThat(RaftLogFiles.dropIfBehind(dir, 6)).isFalse();
        assertThat(RaftLogFiles.dropIfBehind(dir, 4)).isFalse();
        assertThat(closed).exists();
        assertThat(open).exists();
    }
}
