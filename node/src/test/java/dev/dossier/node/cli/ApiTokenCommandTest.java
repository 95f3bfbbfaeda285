package dev.dossier.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dossier.node.http.ApiClients;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ApiTokenCommandTest {
    @TempDir
    Path directory;

    @Test
    void apiToken_printsTheTokenOnce_andTheFileHoldsItsHash() throws Exception {
        Path network = directory.resolve("network");
        assertThat(new CommandLine(Main.class)
                        .execute("network", "init", "--out", network.toString(), "--port", "37051"))
                .isZero();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int exit = new CommandLine(Main.class)
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err))
                .execute(
                        "network",
                        "api-token",
                        "--network",
                        network.toString(),
                        "--user",
                        "Employer@org1.dossier.local");

        assertThat(exit).as(err.toString()).isZero();
        String token = out.toString().strip();
        assertThat(token).matches("[A-Za-z0-9_-]{43}");
        String hash = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(token.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        String file = Files.readString(network.resolve(ApiClients.FILE_NAME));
        assertThat(file)
                .contains("tokenSha256: " + hash)
                .contains("user: Employer@org1.dossier.local")
                .doesNotContain(token);
        assertThat(err.toString()).contains("shown once");
    }

    @Test
    void apiToken_forAnUnknownUser_failsNamingIt() throws Exception {
        Path network = directory.resolve("network");
        new CommandLine(Main.class).execute("network", "init", "--out", network.toString(), "--port", "37051");
        StringWriter err = new StringWriter();

        int exit = new CommandLine(Main.class)
                .setExecutionExceptionHandler((e, commandLine, parseResult) -> {
                    commandLine.getErr().println("error: " + e.getMessage());
                    return 1;
                })
                .setErr(new PrintWriter(err))
                .execute(
                        "network", "api-token", "--network", network.toString(), "--user", "Nobody@org1.dossier.local");

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("no user named Nobody@org1.dossier.local");
        assertThat(network.resolve(ApiClients.FILE_NAME)).doesNotExist();
    }
}
