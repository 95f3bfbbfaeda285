package dev.dossier.client.cli;

import dev.dossier.client.bulk.BulkListener;
import java.text.DecimalFormat;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar of a bulk run on standard error: rows, rows per second, ETA. */
final class Progress implements BulkListener, AutoCloseable {
    private final String task;
    private final boolean enabled;
    private volatile ProgressBar bar;

    Progress(String task, boolean enabled) {
        this.task = task;
        this.enabled = enabled;
    }

    @Override
    public void started(long totalRows) {
        if (enabled) {
            bar = new ProgressBarBuilder()
                    .setTaskName(task)
                    .setInitialMax(totalRows)
                    .setUnit(" rows", 1)
                    .showSpeed(new DecimalFormat("#,##0"))
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(250)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err))
                    .build();
        }
    }

    @Override
    public void rowsDone(long rows, boolean batchDone) {
        ProgressBar b = bar;
        if (b != null) {
            b.stepBy(rows);
        }
    }

    @Override
    public void close() {
        ProgressBar b = bar;
        bar = null;
        if (b != null) {
            b.close();
        }
    }
}
