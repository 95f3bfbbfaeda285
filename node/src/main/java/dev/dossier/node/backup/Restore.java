package dev.dossier.node.backup;

import dev.dossier.node.ledger.AuditReport;
import dev.dossier.node.ledger.LedgerAudit;
import dev.dossier.node.ledger.LedgerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Puts a backup ({@link NodeBackup}) into a node's data directory: copies the ledger, the commitment log and the
 * revocation index, syncs them to disk, and audits the copied ledger (hash chain, world state) before saying it is
 * done. The node then starts on it as after a stop: it brings the derived states up to the ledger; on a network of
 * several nodes it has no Raft storage, starts a new one ({@code LostRaftState}) and takes the blocks after the backup
 * from the others; a node alone has every block up to the backup and carries on from there.
 */
public final class Restore {
    private static final List<String> COPIED =
            List.of(NodeBackup.LEDGER, NodeBackup.LOG_DIRECTORY, NodeBackup.REVOCATIONS);
    private static final List<String> NODE_FILES =
            List.of(NodeBackup.LEDGER, NodeBackup.LOG_DIRECTORY, NodeBackup.REVOCATIONS, NodeBackup.RAFT);

    private Restore() {}

    /** What was restored: the backup's manifest and the audit of the restored ledger. */
    public record Result(BackupManifest manifest, AuditReport audit) {}

    /**
     * Restores the backup in {@code from} into {@code data}.
     *
     * @param data a data directory that does not exist or holds none of a node's files
     * @throws IllegalArgumentException if {@code data} already holds a node's files (a ledger, a Raft log...)
     * @throws IOException if the backup is not one, is incomplete, or the copy or its audit fails; the message says
     *     which
     */
    public static Result restore(Path from, Path data) throws IOException {
        BackupManifest manifest = BackupManifest.read(from);
        for (String part : COPIED) {
            if (!Files.isDirectory(from.resolve(part))) {
                throw new IOException("backup " + from + " is incomplete: it has no " + part + "/");
            }
        }
        for (String part : NODE_FILES) {
            if (Files.exists(data.resolve(part))) {
                throw new IllegalArgumentException("data directory " + data + " already holds a node's " + part
                        + "/: restore into a new or empty directory (move the old one away first)");
            }
        }
        Files.createDirectories(data);
        for (String part : COPIED) {
            copyTree(from.resolve(part), data.resolve(part));
        }
        NodeBackup.sync(data);
        AuditReport audit;
        try {
            audit = LedgerAudit.audit(data.resolve(NodeBackup.LEDGER));
        } catch (LedgerException e) {
            throw new IOException(
                    "the restored ledger in " + data.resolve(NodeBackup.LEDGER) + " cannot be read: " + e.getMessage(),
                    e);
        }
        if (!audit.clean()) {
            throw new IOException("the restored ledger fails its audit at block "
                    + audit.firstBadBlock().orElse(-1) + ": " + audit.problem());
        }
        if (audit.blocksChecked() != manifest.height()) {
            throw new IOException("the restored ledger holds " + audit.blocksChecked() + " blocks, the backup says "
                    + manifest.height());
        }
        return new Result(manifest, audit);
    }

    /** Copies a directory's files (RocksDB's: no subdirectories) and syncs each. */
    private static void copyTree(Path source, Path target) throws IOException {
        Files.createDirectories(target);
        try (Stream<Path> files = Files.list(source)) {
            for (Path file : files.toList()) {
                if (!Files.isRegularFile(file)) {
                    throw new IOException("backup file " + file + " is not a regular file");
                }
                Path copy = target.resolve(file.getFileName());
                Files.copy(file, copy);
                NodeBackup.sync(copy);
            }
        }
        NodeBackup.sync(target);
    }
}
