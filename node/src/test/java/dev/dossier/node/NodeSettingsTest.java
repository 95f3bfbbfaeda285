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
        assertThat(settings.toBuilder().httpPort(8080).build().httpPort()).isEqualTo(8080);
        assertThat(settings.toBuilder().httpPort(8080).build().port()).isEqualTo(7052);
        assertThat(settings.toBuilder().port(0).build().httpPort()).isZero();
        assertThat(settings.toBuilder().port(7100).build().httpPort()).isEqualTo(9100);
        assertThat(settings.toBuilder().port(7100).httpPort(8080).build().httpPort())
                .isEqualTo(8080);
        assertThatThrownBy(() -> settings.toBuilder().httpPort(70_000).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("HTTP port out of range");
        assertThatThrownBy(() -> settings.toBuilder().port(64_000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("configure the HTTP port");
    }

    @Test
    void builder_changesOnlyWhatIsSet() throws Exception {
        Consortium consortium = CryptoGen.generate(directory.resolve("network"), 2, "dossier", "notary", 7051);
        NodeSettings settings =
                NodeSettings.of(consortium, "Org1MSP", null, directory.resolve("data"), null, BlockLimits.DEFAULT);

        NodeSettings changed = settings.toBuilder()
                .dataDirectory(directory.resolve("elsewhere"))
                .cluster(null)
                .apiClients(directory.resolve("api-clients.yaml"))
                .build();

        assertThat(changed.dataDirectory()).isEqualTo(directory.resolve("elsewhere"));
        assertThat(changed.cluster()).isNull();
        assertThat(changed.apiClients()).isEqualTo(directory.resolve("api-clients.yaml"));
        assertThat(changed.toBuilder()
                        .dataDirectory(directory.resolve("data"))
                        .cluster(settings.cluster())
                        .apiClients(null)
                        .build())
                .isEqualTo(settings);
    }
}
