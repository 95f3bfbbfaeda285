package dev.dossier.client.cli;

import dev.dossier.client.record.SampleData;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code dossier sample-data --rows N --seed S [--dirty] [--out FILE]}: synthetic training records in the bulk CSV
 * format ({@link SampleData}). Streams to the file (or standard output), so millions of rows need no more memory than
 * ten; shows progress on standard error for big files.
 */
@Command(
        name = "sample-data",
        mixinStandardHelpOptions = true,
        description = {
            "Write realistic synthetic Italian training records in the bulk CSV format:",
            "valid fiscal codes, safety modules and refresher periods. The same arguments",
            "always give the same bytes. With --dirty, about one row in " + SampleData.DIRTY_ONE_IN + " gets one",
            "deliberate error, and <out>.bad-rows lists each bad line (line 1 is the",
            "header) with its defect and why."
        })
final class SampleDataCommand implements Callable<Integer> {
    /** Files of at least this many rows show their progress. */
    private static final long PROGRESS_FROM = 100_000;

    @Spec
    CommandSpec spec;

    @Option(names = "--rows", required = true, paramLabel = "N", description = "number of records")
    long rows;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(
            names = "--first",
            defaultValue = "0",
            paramLabel = "N",
            description = "number of the first record (default: 0): disjoint ranges make different records")
    long first;

    @Option(names = "--dirty", description = "add bad rows and write <out>.bad-rows (needs --out)")
    boolean dirty;

    @Option(names = "--out", paramLabel = "FILE", description = "CSV file to write (default: standard output)")
    Path out;

    @Option(names = "--no-progress", description = "no progress on standard error")
    boolean noProgress;

    @Override
    public Integer call() throws IOException {
        if (rows < 0 || first < 0) {
            throw new ParameterException(spec.commandLine(), "--rows and --first must be at least 0");
        }
        if (dirty && out == null) {
            throw new ParameterException(spec.commandLine(), "--dirty needs --out: the report goes beside the file");
        }
        SampleData.Builder builder =
                SampleData.builder().seed(seed).first(first).rows(rows);
        if (!noProgress && rows >= PROGRESS_FROM) {
            builder.progress(n -> System.err.printf("\rsample-data: %,d of %,d rows", n, rows));
        }
        if (out == null) {
            Writer stdout = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
            builder.build().write(stdout);
        } else {
            Path report = badRows(out);
            try (Writer csv = Files.newBufferedWriter(out, StandardCharsets.UTF_8);
                    Writer bad =
                            dirty ? Files.newBufferedWriter(report, StandardCharsets.UTF_8) : Writer.nullWriter()) {
                if (dirty) {
                    builder.dirty(bad);
                }
                builder.build().write(csv);
            }
            if (!dirty) {
                Files.deleteIfExists(report); // a report of an earlier dirty run would describe other rows
            }
        }
        if (!noProgress && rows >= PROGRESS_FROM) {
            System.err.println();
        }
        return 0;
    }

    /** @return where the bad-rows report of {@code csv} goes: {@code <csv>.bad-rows} */
    static Path badRows(Path csv) {
        return csv.resolveSibling(csv.getFileName() + ".bad-rows");
    }
}
