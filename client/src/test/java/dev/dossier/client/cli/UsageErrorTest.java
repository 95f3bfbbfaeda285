package dev.dossier.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** A command missing what it needs answers with a usage error (exit code 2) saying what to give, before connecting. */
class UsageErrorTest {
    private static String[] run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine line = Main.commandLine().setErr(new PrintWriter(err, true));
        int code = line.execute(args);
        return new String[] {Integer.toString(code), err.toString()};
    }

    @Test
    void statusWithoutCommitments() {
        String[] answer = run("status");
        assertThat(answer[0]).isEqualTo("2");
        assertThat(answer[1]).startsWith("give --input FILE or --hash H").contains("Usage: dossier status");
    }

    @Test
    void verifyWithoutWhatToVerify() {
        String[] answer = run("verify", "--network", "no-such-dir");
        assertThat(answer[0]).isEqualTo("2");
        assertThat(answer[1]).startsWith("give a FILE, --hash, --receipt or --card");
    }

    @Test
    void revokeOfAHashWithoutReason() {
        String[] answer = run("revoke", "--hash", "ab".repeat(32));
        assertThat(answer[0]).isEqualTo("2");
        assertThat(answer[1]).startsWith("--hash needs --reason, one of ");
    }
}
