package dev.dossier.node.clock;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeClockTest {
    @TempDir
    Path dir;

    /** Asserts that {@code clock} reads {@code offset} away from the system clock, within 5 s. */
    private static void assertOffset(NodeClock clock, Duration offset) {
        Instant before = Instant.now();
        Instant read = clock.instant();
        Instant after = Instant.now();
        assertThat(read)
                .isBetween(
                        before.plus(offset).minusSeconds(5), after.plus(offset).plusSeconds(5));
    }

    @Test
    void withoutAFile_isTheSystemClock() {
        assertOffset(new NodeClock(null), Duration.ZERO);
    }

    @Test
    void offsetFile_movesTheClock_andIsReadAgainOnceASecond() throws Exception {
        Path file = dir.resolve("offset");
        Files.writeString(file, "PT10M\n");
        NodeClock clock = new NodeClock(file);
        assertOffset(clock, Duration.ofMinutes(10));

        Files.writeString(file, "-PT10M");
        Thread.sleep(1_100);
        assertOffset(clock, Duration.ofMinutes(-10));

        Files.writeString(file, "PT0S");
        Thread.sleep(1_100);
        assertOffset(clock, Duration.ZERO);
    }

    @Test
    void aFileThatHoldsNoDuration_keepsTheLastOffset_aMissingFileIsNone() throws Exception {
        Path file = dir.resolve("offset");
        Files.writeString(file, "-PT10M");
        NodeClock clock = new NodeClock(file);
        assertOffset(clock, Duration.ofMinutes(-10));

        Files.writeString(file, "ten minutes");
        Thread.sleep(1_100);
        assertOffset(clock, Duration.ofMinutes(-10));

        Files.delete(file);
        Thread.sleep(1_100);
        assertOffset(clock, Duration.ZERO);
    }
}
