package dev.dossier.node.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class NodeConfigFileTest {
    @TempDir
    Path dir;

    private Path file(String yaml) throws IOException {
        Path file = dir.resolve("etc").resolve("node.yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, yaml);
        return file;
    }

    /** Parses {@code node start ARGS} and merges the --config file, as {@code node start} does before it runs. */
    private static NodeCommand.Start start(String... args) throws IOException {
        NodeCommand.Start given = new NodeCommand.Start();
        new CommandLine(given).parseArgs(args);
        return given.withConfig();
    }

    @Test
    void settingsUnderHeadings_areTheOptions_pathsRelativeToTheFile() throws IOException {
        Path file = file("""
                identity:
                  network: network
                  org: Org2MSP
                  node: node0.org2.dossier.local
                storage:
                  data: /var/lib/dossier
                tls:
                  tls: true
                limits:
                  block-max-tx: 250
                  grpc-max-message-mib: 32
                """);
        NodeCommand.Start start = start("--config", file.toString());
        assertThat(start.network).isEqualTo(dir.resolve("etc").resolve("network"));
        assertThat(start.data).isEqualTo(Path.of("/var/lib/dossier"));
        assertThat(start.organisation).isEqualTo("Org2MSP");
        assertThat(start.node).isEqualTo("node0.org2.dossier.local");
        assertThat(start.tls).isTrue();
        assertThat(start.insecure).isFalse();
        assertThat(start.blockMaxTransactions).isEqualTo(250);
        assertThat(start.grpc.limits().maxMessageBytes()).isEqualTo(32 << 20);
        assertThat(start.blockTimeoutMillis).as("not in the file: the default").isEqualTo(20);
    }

    @Test
    void commandLineOptions_overrideTheFile() throws IOException {
        Path file = file("data: /var/lib/dossier\nblock-max-tx: 250\nnetwork: /etc/dossier/network\n");
        NodeCommand.Start start =
                start("--block-max-tx", "10", "--config", file.toString(), "--data", "/srv/node", "--insecure");
        assertThat(start.data).isEqualTo(Path.of("/srv/node"));
        assertThat(start.blockMaxTransactions).isEqualTo(10);
        assertThat(start.network).isEqualTo(Path.of("/etc/dossier/network"));
        assertThat(start.insecure).isTrue();
    }

    @Test
    void unknownSetting_isRefusedWithTheKnownOnes() throws IOException {
        Path file = file("limits:\n  block-max-txs: 10\n");
        assertThatThrownBy(() -> start("--config", file.toString()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(file + ": unknown setting 'block-max-txs'")
                .hasMessageContaining("block-max-tx, block-timeout-ms");
    }

    @Test
    void flagWithAValueThatIsNotABoolean_isRefused() throws IOException {
        Path file = file("tls: yes please\n");
        assertThatThrownBy(() -> start("--config", file.toString()))
                .hasMessageContaining("setting 'tls' is true or false, not 'yes please'");
    }

    @Test
    void configInsideTheFile_andListsAreRefused() throws IOException {
        assertThatThrownBy(() -> start("--config", file("config: other.yaml\n").toString()))
                .hasMessageContaining("unknown setting 'config'");
        assertThatThrownBy(() -> start("--config", file("data: [a, b]\n").toString()))
                .hasMessageContaining("setting 'data' needs one value");
    }

    @Test
    void fileThatIsNotYamlSettings_isRefused() throws IOException {
        assertThatThrownBy(() -> start("--config", file("- a\n- b\n").toString()))
                .hasMessageContaining("expected settings (key: value)");
        assertThatThrownBy(() -> start("--config", file("data: [unclosed\n").toString()))
                .hasMessageContaining("not YAML");
    }
}
