package dev.dossier.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dossier.crypto.P256PrivateKey;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MspFilesTest {
    @TempDir
    Path directory;

    @Test
    void writePrivateKey_existingFile_isNeitherOverwrittenNorLoosened() throws IOException {
        Path key = directory.resolve("keystore/priv_sk");
        Files.createDirectories(key.getParent());
        Files.writeString(key, "kept");

        assertThatThrownBy(() -> MspFiles.writePrivateKey(key, P256PrivateKey.generate(new SecureRandom())))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(key).hasContent("kept");
    }

    @Test
    void writeNodeOuConfig_writesCryptogensFourOuIdentifiers() throws IOException {
        MspFiles.writeNodeOuConfig(directory.resolve("msp"), "ca.example-cert.pem");

        assertThat(directory.resolve("msp/config.yaml")).hasContent("""
                NodeOUs:
                  Enable: true
                  ClientOUIdentifier:
                    Certificate: cacerts/ca.example-cert.pem
                    OrganizationalUnitIdentifier: client
                  PeerOUIdentifier:
                    Certificate: cacerts/ca.example-cert.pem
                    OrganizationalUnitIdentifier: peer
                  AdminOUIdentifier:
                    Certificate: cacerts/ca.example-cert.pem
                    OrganizationalUnitIdentifier: admin
                  OrdererOUIdentifier:
                    Certificate: cacerts/ca.example-cert.pem
                    OrganizationalUnitIdentifier: orderer
                """);
    }
}
