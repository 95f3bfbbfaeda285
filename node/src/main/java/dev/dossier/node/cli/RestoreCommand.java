package dev.dossier.node.cli;

import dev.dossier.node.backup.Restore;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dossier restore}: a node's data directory from a backup. */
@Command(
        name = "restore",
        description = {
            "Put a backup made by 'dossier backup' into a node's data directory (new, or without a node's files),"
                    + " then audit the restored ledger. Start the node on it as usual: on a network of several"
                    + " nodes it takes the blocks after the backup from the others; a node alone carries on from the"
                    + " backup's height."
        })
final class RestoreCommand implements Callable<Integer> {
    @Option(names = "--from", required = true, paramLabel = "DIR", description = "the backup directory")
    Path from;

    @Option(names = "--data", required = true, paramLabel = "DATA_DIR", description = "the node's data directory")
    Path data;

    @Override
    public Integer call() throws Exception {
        Restore.Result result = Restore.restore(from, data);
        System.out.println("restored " + result.manifest().node() + " ("
                + result.manifest().mspId()
                + ") at height " + result.manifest().height() + ", backed up "
                + result.manifest().createdAt()
                + ", into " + data + "; ledger audit clean: " + result.audit().blocksChecked() + " blocks, "
                + result.audit().transactions() + " transactions");
        return 0;
    }
}
