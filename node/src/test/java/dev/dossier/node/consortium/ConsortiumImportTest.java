package dev.dossier.node.consortium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dossier.node.NodeSettings;
import dev.dossier.node.config.Consortium;
import dev.dossier.node.config.CryptoGen;
import dev.dossier.node.ordering.BlockLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsortiumImportTest {
    @TempDir
    Path directory;

    @Test
    void joiningOrganisation_getsTheOthersPublicMaterial_keepsItsOwnKeys_andCanStartItsNode() throws Exception {
        Path founders = directory.resolve("network");
        Consortium consortium = CryptoGen.generate(founders, 2, "dossier", "notary", 7051);
        ConsortiumDocument genesis = ConsortiumFiles.genesis(consortium, founders);
        Path own = directory.resolve("org3");
        Consortium.Organisation org3 = CryptoGen.newOrganisation(own, 3, "localhost", 7053);
        new Consortium("dossier", "notary", List.of(org3)).write(own.resolve("consortium.yaml"));

        assertThatThrownBy(() -> ConsortiumImport.write(genesis, own))
                .hasMessageContaining("does not list [Org3MSP] yet");

        List<ConsortiumDocument.Organisation> organisations = new ArrayList<>(genesis.organisations());
        organisations.add(ConsortiumFiles.organisation(org3, null));
        ConsortiumDocument voted = genesis.with(1, organisations).checked();
        Consortium joined = ConsortiumImport.write(voted, own);

        assertThat(joined.organisations())
                .extracting(Consortium.Organisation::mspId)
                .containsExactly("Org1MSP", "Org2MSP", "Org3MSP");
        ConsortiumDocument rebuilt = ConsortiumFiles.genesis(joined, null);
        for (int i = 0; i < 3; i++) {
            ConsortiumDocument.Organisation expected = voted.organisations().get(i);
            ConsortiumDocument.Organisation written = rebuilt.organisations().get(i);
            assertThat(written.caCertificates()).isEqualTo(expected.caCertificates());
            assertThat(written.tlsCaCertificates()).isEqualTo(expected.tlsCaCertificates());
            assertThat(written.nodes()).isEqualTo(expected.nodes());
        }
        assertThat(joined.organisations().get(0).nodes().get(0).privateKey())
                .as("another organisation's key is not ours")
                .doesNotExist();
        assertThat(joined.signer("Admin@org3.dossier.local").mspId()).isEqualTo("Org3MSP");
        NodeSettings settings =
                NodeSettings.of(joined, "Org3MSP", null, directory.resolve("data"), null, BlockLimits.DEFAULT);
        assertThat(settings.cluster().nodes()).hasSize(3);
        assertThat(joined.tls("node0.org3.dossier.local").trustedRoots()).hasSize(3);
        assertThat(Files.readString(own.resolve("consortium.yaml"))).contains("Org1MSP", "Org3MSP");
    }
}
