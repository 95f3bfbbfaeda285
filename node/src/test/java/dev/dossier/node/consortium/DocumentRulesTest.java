package dev.dossier.node.consortium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dossier.crypto.Pem;
import dev.dossier.node.config.Consortium;
import dev.dossier.node.config.CryptoGen;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocumentRulesTest {
    @Test
    void aNodeWhoseTlsCertificateIsRevoked_isMalformed_unlessTheSameChangeRemovesIt(@TempDir Path directory)
            throws Exception {
        Consortium consortium = CryptoGen.generate(directory, 2, "dossier", "notary", 7051);
        ConsortiumDocument genesis = ConsortiumFiles.genesis(consortium, directory);
        String node = consortium.nodes().get(1).name();
        BigInteger serial = Pem.readCertificate(consortium.tlsCertificate(node)).getSerialNumber();
        List<ConsortiumDocument.Organisation> revoking = new ArrayList<>(genesis.organisations());
        revoking.set(1, revoking.get(1).revoking(serial));
        List<ConsortiumDocument.Organisation> removing = new ArrayList<>(revoking);
        removing.set(1, removing.get(1).withNodes(List.of()));

        byte[] kept = genesis.with(1, revoking).toJson();
        byte[] removed = genesis.with(1, removing).toJson();

        assertThatThrownBy(() -> ConsortiumDocument.parse(kept))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(node)
                .hasMessageContaining("TLS certificate (serial " + serial.toString(16) + ") is revoked");
        assertThat(ConsortiumDocument.parse(removed)
                        .organisation("Org2MSP")
                        .orElseThrow()
                        .revokedSerials())
                .containsExactly(serial.toString(16));
    }
}
