package dev.dossier.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dossier.node.config.Consortium;
import dev.dossier.node.config.CryptoGen;
import dev.dossier.node.ordering.BlockLimits;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeSettingsTest {
    @TempDir
    Path directory;

    @Test
    void httpPort_isTheGatewayPortPlus2000_unlessConfigured_andZeroFollowsAnEphemeralGateway() throws Exception {
        Consortium consortium = CryptoGen.generate(directory.resolve("network"), 2, "dossier", "notary", 7051);
        NodeSettings settings =
                NodeSettings.of(consortium, "Org2MSP", null, directory.resolve("data"), null, BlockLimits.DEFAULT);

        assertThat(settings.name()).isEqualTo(consortium.nodes().get(1).name());
        assertThat(settings.port()).isEqualTo(7052);
        assertThat(settings.httpPort()).isEqualTo(9052);
        assertThat(settings.cluster().nodes())
                .extracting(NodeSettings.ClusterNode::httpPort)
                .containsExactly(9051, 9052);
        assertThat(settings.withHttpPort(8080).httpPort()).isEqualTo(8080);
        assertThat(settings.withHttpPort(8080).port()).isEqualTo(7052);
        assertThat(settings.withPort(0).httpPort()).isZero();
        assertThat(settings.withPort(7100).httpPort()).isEqualTo(9100);
        assertThatThrownBy(() -> settings.withHttpPort(70_000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("HTTP port out of range");
        assertThatThrownBy(() -> settings.withPort(64_000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("configure the HTTP port");
    }
}
