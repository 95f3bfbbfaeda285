package dev.dossier.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class NodeStartCommandTest {
    @TempDir
    Path directory;

    @Test
    void tlsClientAuthRequired_withoutTls_isAUsageError() {
        StringWriter err = new StringWriter();
        CommandLine command = Main.commandLine();
        command.setErr(new PrintWriter(err));

        int exit = command.execute(
                "node",
                "start",
                "--network",
                directory.resolve("network").toString(),
                "--data",
                directory.resolve("data").toString(),
                "--tls-client-auth-required");

        assertThat(exit).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).startsWith("--tls-client-auth-required needs --tls");
    }

    @Test
    void help_namesTheClientAuthOption() {
        StringWriter out = new StringWriter();
        CommandLine command = Main.commandLine();
        command.setOut(new PrintWriter(out));

        assertThat(command.execute("node", "start", "--help")).isZero();
        assertThat(out.toString()).contains("--tls-client-auth-required", "clientAuthRequired");
    }
}
