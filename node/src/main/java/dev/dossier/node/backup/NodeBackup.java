package dev.dossier.node.backup;

import dev.dossier.node.ledger.DerivedState;
import dev.dossier.node.ledger.Ledger;
import dev.dossier.node.ledger.LedgerException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * A backup of a running node: RocksDB checkpoints of its commitment log and revocation index, then of its ledger, and
 * the {@link BackupManifest}, in a new directory.
 *
 * <p><b>Consistency.</b> The ledger is the node's only primary state: the commitment log and the revocation index are
 * derived from its blocks and are brought up to it from the blocks when behind (a node does so at every start), and
 * the Raft log is not needed either (the ledger is Raft's snapshot; see {@code LostRaftState}). So the derived states
 * are copied first and the ledger last: the copy of each derived state is at or behind the ledger's copy, never
 * ahead of it. The ledger's copy is taken between two commits and holds exactly its first {@code height} blocks. The
 * copies are written to a hidden directory beside the target and renamed to it once complete: a directory with the
 * target's name is a whole backup.
 */
public final class NodeBackup {
    private static final Logger LOG = Logger.getLogger(NodeBackup.class.getName());

    /** The ledger's directory in a node's data directory and in a backup. */
    public static final String LEDGER = "ledger";
    /** The commitment log's directory. */
    public static final String LOG_DIRECTORY = "log";
    /** The revocation index's directory. */
    public static final String REVOCATIONS = "revocations";
    /** The Raft storage's directory (in a data directory only: a backup has none). */
    public static final String RAFT = "raft";

    private final Ledger ledger;
    private final Map<String, DerivedState> derived;
    private final String channel;
    private final String node;
    private final String mspId;

    /**
     * @param log the commitment log
     * @param revocations the revocation index
     */
    public NodeBackup(
            Ledger ledger, DerivedState log, DerivedState revocations, String channel, String node, String mspId) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.derived = new LinkedHashMap<>();
        derived.put(LOG_DIRECTORY, Objects.requireNonNull(log, "log"));
        derived.put(REVOCATIONS, Objects.requireNonNull(revocations, "revocations"));
        this.channel = Objects.requireNonNull(channel, "channel");
        this.node = Objects.requireNonNull(node, "node");
        this.mspId = Objects.requireNonNull(mspId, "mspId");
    }

    /**
     * Writes a backup of the node into {@code target}.
     *
     * @param target an absolute path that does not exist or is an empty directory, whose parent exists
     * @return the backup's manifest
     * @throws IllegalArgumentException if {@code target} is relative, not empty, or its parent does not exist
     * @throws IOException if a copy cannot be written (nothing is left behind then)
     */
    public synchronized BackupManifest write(Path target) throws IOException {
        Path out = checkTarget(target);
        Path partial = out.resolveSibling("." + out.getFileName() + ".partial-" + System.nanoTime());
        Files.createDirectory(partial);
        try {
            for (Map.Entry<String, DerivedState> state : derived.entrySet()) {
                state.getValue().checkpoint(partial.resolve(state.getKey()));
            }
            long height = ledger.checkpoint(partial.resolve(LEDGER));
            BackupManifest manifest = new BackupManifest(
                    BackupManifest.FORMAT,
                    channel,
                    node,
                    mspId,
                    height,
                    Instant.now().toString());
            Path file = partial.resolve(BackupManifest.FILE_NAME);
            Files.writeString(file, manifest.toJson() + "\n");
            sync(file);
            Files.deleteIfExists(out); // an empty directory, checked above
            Files.move(partial, out, StandardCopyOption.ATOMIC_MOVE);
            sync(out.getParent());
            LOG.info(() -> "backup of " + node + " at height " + height + " written to " + out);
            return manifest;
        } catch (LedgerException e) {
            deleteTree(partial);
            throw new IOException(e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            deleteTree(partial);
            throw e;
        }
    }

    private static Path checkTarget(Path target) throws IOException {
        if (!target.isAbsolute()) {
            throw new IllegalArgumentException("backup directory " + target + " is not an absolute path");
        }
        Path out = target.normalize();
        if (out.getParent() == null || !Files.isDirectory(out.getParent())) {
            throw new IllegalArgumentException("the parent of backup directory " + out + " does not exist");
        }
        if (Files.exists(out)) {
            boolean empty;
            try (Stream<Path> children = Files.list(out)) {
                empty = children.findAny().isEmpty();
            } catch (java.nio.file.NotDirectoryException e) {
                empty = false;
            }
            if (!empty) {
                throw new IllegalArgumentException(
                        "backup directory " + out + " exists and is not empty: give a new directory");
            }
        }
        return out;
    }

    /** Forces a file's or directory's contents to disk. */
    static void sync(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /** Deletes a directory and everything under it, if it exists. */
    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            LOG.warning(() -> "could not delete " + root + ": " + e.getMessage());
        }
    }
}
