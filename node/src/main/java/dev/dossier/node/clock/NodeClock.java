package dev.dossier.node.clock;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The node's wall clock: every time the node compares or stamps (proposal and transaction time windows, block cut
 * times, certificate validity, checkpoints) comes from here. It is the system clock, unless the test-only system
 * property {@value #OFFSET_FILE_PROPERTY} names a file holding an ISO-8601 duration ({@code PT10M}, {@code -PT10M},
 * {@code PT0S}): then the clock runs that far ahead of (or behind) the system clock, and the file is read again at
 * most once a second, so a test can skew a running node's clock and set it right again without touching the
 * machine's clock ({@code dossier fault --suite adversity}). A file that is missing or unreadable counts as no offset;
 * one that does not hold a duration keeps the last offset, with a warning. Intervals are measured with
 * {@link System#nanoTime}, which no offset moves.
 */
public final class NodeClock {
    /** The system property naming the offset file; for tests only, never for a node in service. */
    public static final String OFFSET_FILE_PROPERTY = "dossier.test.clockOffsetFile";

    private static final Logger LOG = Logger.getLogger(NodeClock.class.getName());
    private static final long REREAD_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final NodeClock NODE = new NodeClock(offsetFile());

    private final Path offsetFile;
    private volatile Duration offset = Duration.ZERO;
    private volatile long readAt = System.nanoTime() - REREAD_NANOS;

    /** @param offsetFile the file holding the offset, or null for the system clock */
    NodeClock(Path offsetFile) {
        this.offsetFile = offsetFile;
    }

    private static Path offsetFile() {
        String file = System.getProperty(OFFSET_FILE_PROPERTY);
        if (file == null || file.isBlank()) {
            return null;
        }
        LOG.warning("the node's clock is offset by the duration in " + file + " (" + OFFSET_FILE_PROPERTY
                + ": for tests only)");
        return Path.of(file);
    }

    /** @return the current instant, the system clock's unless a test offset is set */
    public static Instant now() {
        return NODE.instant();
    }

    /** @return the node's clock as a {@link Clock} (UTC) */
    public static Clock clock() {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                throw new UnsupportedOperationException("the node's clock is UTC");
            }

            @Override
            public Instant instant() {
                return now();
            }
        };
    }

    /** @return the system clock's instant, plus the offset in the file (read at most once a second) */
    Instant instant() {
        if (offsetFile == null) {
            return Instant.now();
        }
        long nanos = System.nanoTime();
        if (nanos - readAt >= REREAD_NANOS) {
            readAt = nanos;
            offset = read(offset);
        }
        return Instant.now().plus(offset);
    }

    private Duration read(Duration last) {
        String text;
        try {
            text = Files.readString(offsetFile, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return Duration.ZERO;
        }
        try {
            Duration read = Duration.parse(text);
            if (!read.equals(last)) {
                LOG.warning("clock offset now " + read + " (from " + offsetFile + ")");
            }
            return read;
        } catch (DateTimeParseException e) {
            LOG.warning(offsetFile + " does not hold an ISO-8601 duration such as PT10M or -PT10M: '" + text
                    + "'; the offset stays " + last);
            return last;
        }
    }
}
