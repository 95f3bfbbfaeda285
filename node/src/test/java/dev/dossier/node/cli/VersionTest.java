package dev.dossier.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class VersionTest {
    /** The version Maven builds, passed by the parent pom's surefire settings. */
    private static final String BUILT = System.getProperty("dossier.version");

    @Test
    void version_printsTheCommandAndTheVersionMavenBuilt_onTheRootAndASubcommand() {
        assertThat(BUILT).isNotBlank().doesNotContain("${");
        for (String[] args : new String[][] {{"--version"}, {"node", "start", "--version"}}) {
            StringWriter out = new StringWriter();
            CommandLine commandLine = Main.commandLine();
            commandLine.setOut(new PrintWriter(out, true));

            int exit = commandLine.execute(args);

            assertThat(exit).as(String.join(" ", args)).isZero();
            assertThat(out.toString().strip()).as(String.join(" ", args)).isEqualTo("dossier-node " + BUILT);
        }
    }
}
