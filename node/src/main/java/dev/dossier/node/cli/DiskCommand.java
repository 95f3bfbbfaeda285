package dev.dossier.node.cli;

import dev.dossier.node.ledger.DiskUsage;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dossier node disk}: what a stopped node's data takes on disk, by database and column family. */
@Command(
        name = "disk",
        mixinStandardHelpOptions = true,
        description = "Print what a stopped node's databases take on disk: the table files of each column family"
                + " (compressed), the write-ahead logs not yet flushed into table files, and the other files.")
final class DiskCommand implements Callable<Integer> {
    /** The node's RocksDB databases, under its data directory. */
    private static final List<String> DATABASES = List.of("ledger", "log", "revocations");

    @Option(names = "--data", required = true, description = "data directory of the stopped node")
    Path data;

    @Option(names = "--records", description = "records on the ledger: also print bytes per record")
    Long records;

    @Override
    public Integer call() throws Exception {
        if (records != null && records <= 0) {
            throw new CommandLine.ParameterException(
                    new CommandLine(this), "--records must be positive, not " + records);
        }
        if (!Files.isDirectory(data.resolve("ledger"))) {
            throw new CommandLine.ParameterException(
                    new CommandLine(this), data + " is not a node's data directory (no ledger/ in it)");
        }
        List<DiskUsage.Database> databases = new ArrayList<>();
        for (String name : DATABASES) {
            if (Files.isDirectory(data.resolve(name))) {
                databases.add(DiskUsage.of(data.resolve(name), name));
            }
        }
        PrintStream out = System.out;
        out.printf("%-12s %-22s %15s%s%n", "database", "part", "bytes", records == null ? "" : "   bytes/record");
        long total = 0;
        for (DiskUsage.Database database : databases) {
            long tables = 0;
            for (DiskUsage.Family family : database.families()) {
                line(out, database.name(), "table files " + family.family(), family.tableBytes());
                tables += family.tableBytes();
            }
            line(out, database.name(), "write-ahead log", database.walBytes());
            line(out, database.name(), "other files", database.totalBytes() - database.walBytes() - tables);
            total += database.totalBytes();
        }
        line(out, "all", "total", total);
        return 0;
    }

    private void line(PrintStream out, String database, String part, long bytes) {
        out.printf(
                "%-12s %-22s %,15d%s%n",
                database, part, bytes, records == null ? "" : String.format("   %,12.1f", (double) bytes / records));
    }
}
