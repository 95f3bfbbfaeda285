package dev.dossier.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Prometheus' own linter of the text format, {@code promtool check metrics} (Debian's {@code prometheus} package,
 * which {@code scripts/dossier test} installs when it is missing). Without it a test is skipped with a message, or
 * fails when the environment variable {@code CI} is set: CI must not pass without the check.
 */
final class Promtool {
    private Promtool() {}

    /** Asserts that promtool finds no problem in {@code metrics}, a scrape in Prometheus' text format. */
    static void check(String metrics) throws IOException, InterruptedException {
        Path promtool = find().orElse(null);
        if (promtool == null) {
            String message = "promtool is not on the PATH: install Debian's prometheus package (apt-get install"
                    + " prometheus; scripts/dossier test does it) to check /metrics with Prometheus' own linter";
            String ci = System.getenv("CI");
            if (ci != null && !ci.isEmpty()) {
                fail(message + " (CI is set: the check may not be skipped)");
            }
            Assumptions.abort(message);
        }
        Process process = new ProcessBuilder(promtool.toString(), "check", "metrics")
                .redirectErrorStream(true)
                .start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(metrics.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("promtool check metrics did not finish in 30 s");
        }
        assertThat(process.exitValue())
                .as("promtool check metrics on /metrics said:%n%s", output)
                .isZero();
    }

    private static Optional<Path> find() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String directory : path.split(File.pathSeparator)) {
            Path candidate = Path.of(directory, "promtool");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
