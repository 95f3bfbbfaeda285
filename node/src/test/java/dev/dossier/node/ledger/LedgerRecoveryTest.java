package dev.dossier.node.ledger;

import static dev.dossier.node.ledger.TestTxs.rw;
import static dev.dossier.node.ledger.TestTxs.valid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the ledger does with damaged files after a crash: a torn tail of its write-ahead log (the last write was cut
 * short, as a power loss does to a write not yet fsynced) is discarded and the ledger opens at the last whole block;
 * damage in the middle of the log or in a table file is not silently skipped: the ledger refuses to open, or the
 * audit names the first bad block, with a message naming the file.
 */
class LedgerRecoveryTest {
    private static final int BLOCKS = 6;

    @TempDir
    Path dir;

    /** Genesis and {@link #BLOCKS} blocks, each with one transaction writing a 2 KB value; the ledger is closed. */
    private void commitBlocks() throws Exception {
        try (Ledger ledger = Ledger.open(dir)) {
            ledger.commitGenesis(TestTxs.configEnvelope("genesis"));
            for (int i = 1; i <= BLOCKS; i++) {
                ledger.commit(List.of(valid("t" + i, rw().write("k" + i, ("v" + i).repeat(1000)))));
            }
        }
    }

    private List<Path> files(String suffix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().matches("[0-9]+\\." + suffix))
                    .sorted(Comparator.comparing(f -> f.getFileName().toString()))
                    .toList();
        }
    }

    /** The newest write-ahead log that holds data. */
    private Path wal() throws IOException {
        List<Path> logs = files("log").stream()
                .filter(f -> {
                    try {
                        return Files.size(f) > 0;
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .toList();
        assertThat(logs).as("write-ahead logs with data in %s", dir).isNotEmpty();
        return logs.get(logs.size() - 1);
    }

    private static void flip(Path file, long offset) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            for (long at = offset; at < offset + 16; at++) {
                raf.seek(at);
                int b = raf.read();
                raf.seek(at);
                raf.write(b ^ 0x5A);
            }
        }
    }

    @Test
    void tornWalTail_isDiscarded_ledgerOpensAtTheLastWholeBlock() throws Exception {
        commitBlocks();
        Path wal = wal();
        try (FileChannel channel = FileChannel.open(wal, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 100); // cuts into the record of the last block
        }

        try (Ledger ledger = Ledger.open(dir)) {
            assertThat(ledger.height()).isEqualTo(BLOCKS); // block BLOCKS was torn: gone, whole
            assertThat(ledger.block(BLOCKS)).isEmpty();
            assertThat(ledger.get("cc", "k" + BLOCKS)).isEmpty();
            assertThat(ledger.get("cc", "k" + (BLOCKS - 1))).isPresent();
            // and it goes on from there: the next block takes the torn one's number, chained to its predecessor
            ledger.commit(List.of(valid("again", rw().write("k", "v"))));
            assertThat(ledger.height()).isEqualTo(BLOCKS + 1);
        }
        AuditReport report = LedgerAudit.audit(dir);
        assertThat(report.clean()).as(report.problem()).isTrue();
    }

    @Test
    void corruptedWalMiddle_refusesToOpen_namingTheLog() throws Exception {
        commitBlocks();
        Path wal = wal();
        flip(wal, Files.size(wal) / 3); // inside an early block's record, whole records follow it

        assertThatThrownBy(() -> Ledger.open(dir).close())
                .isInstanceOf(LedgerException.class)
                .hasMessageContaining(dir.toString())
                .hasMessageContaining("is corrupt; not opened")
                .hasMessageContaining(wal.getFileName().toString());
    }

    @Test
    void corruptedTableFile_auditNamesTheFirstBadBlockAndTheFile() throws Exception {
        commitBlocks();
        try (Ledger ledger = Ledger.open(dir)) {
            ledger.flush(); // the blocks go from the write-ahead log to table files
        }
        Path table = files("sst").stream()
                .max(Comparator.comparingLong(f -> f.toFile().length()))
                .orElseThrow();
        flip(table, table.toFile().length() / 3);

        AuditReport report = LedgerAudit.audit(dir);
        assertThat(report.clean()).isFalse();
        assertThat(report.firstBadBlock()).isPresent();
        assertThat(report.problem())
                .contains("block " + report.firstBadBlock().getAsLong())
                .contains(table.getFileName().toString());
        // the node does not start on it either: opening checks the last blocks, and reading them checks the file
        assertThatThrownBy(() -> Ledger.open(dir).close())
                .isInstanceOf(LedgerException.class)
                .hasMessageContaining("corrupt")
                .hasMessageContaining(table.getFileName().toString());
    }
}
