package dev.dossier.node.cli;

import dev.dossier.node.backup.AdminClient;
import dev.dossier.node.backup.BackupManifest;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dossier backup}: a consistent copy of a running node, through its local admin socket. */
@Command(
        name = "backup",
        description = {
            "Copy a RUNNING node's ledger, commitment log and revocation index (RocksDB checkpoints) into a new"
                    + " directory, without stopping it. Run it on the node's machine as the node's operating-system"
                    + " user: it asks the node through the admin socket in its data directory (admin/admin.sock),"
                    + " which nobody else can reach. The node writes the backup, so DIR must be writable by it.",
            "Restore it with 'dossier restore'."
        })
final class BackupCommand implements Callable<Integer> {
    @Option(
            names = "--node",
            required = true,
            paramLabel = "DATA_DIR|SOCKET",
            description = "the running node's data directory (or its admin socket, DATA_DIR/admin/admin.sock)")
    Path node;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "the backup directory: new, or empty; its parent must exist")
    Path out;

    @Override
    public Integer call() throws Exception {
        BackupManifest manifest = AdminClient.backup(node, out);
        System.out.println("backup of " + manifest.node() + " (" + manifest.mspId() + ", channel "
                + manifest.channel() + ") at height " + manifest.height() + " written to "
                + out.toAbsolutePath().normalize());
        return 0;
    }
}
