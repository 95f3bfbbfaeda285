package dev.dossier.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file form alone: no certificate is read, so the paths need not name files. */
class ConsortiumFileTest {
    @TempDir
    Path directory;

    @Test
    void write_pathsInsideAndOutsideTheDirectory_relativeInsideAbsoluteOutside() throws IOException {
        Path network = directory.resolve("network");
        Files.createDirectories(network);
        Path outside = directory.resolve("elsewhere/ca-cert.pem");
        Consortium consortium = new Consortium(
                "dossier",
                "notary",
                List.of(new Consortium.Organisation(
                        "org1",
                        "Org1MSP",
                        "org1.dossier.local",
                        outside,
                        List.of(new Consortium.Node(
                                "node0.org1.dossier.local",
                                "localhost",
                                7051,
                                network.resolve("peers/node0/cert.pem"),
                                network.resolve("peers/node0/priv_sk"))),
                        List.of(new Consortium.User(
                                "Issuer@org1.dossier.local",
                                "issuer",
                                network.resolve("users/issuer/cert.pem"),
                                network.resolve("users/issuer/priv_sk"))))));
        Path file = network.resolve("consortium.yaml");

        ConsortiumFile.write(consortium, file);

        assertThat(Files.readString(file))
                .startsWith("# Dossier consortium. Paths are relative to this file.\nversion: 1\nchannel: dossier\n")
                .contains("caCertificate: " + outside.toAbsolutePath().normalize())
                .contains("certificate: peers/node0/cert.pem\n")
                .contains("privateKey: users/issuer/priv_sk\n");
        assertThat(ConsortiumFile.read(file.toAbsolutePath().normalize())).isEqualTo(consortium);
    }

    @Test
    void read_nullDocument_throwsNamingTheFile() throws IOException {
        Path file = Files.writeString(directory.resolve("consortium.yaml"), "~\n");

        assertThatThrownBy(() -> ConsortiumFile.read(file))
                .isInstanceOf(IOException.class)
                .hasMessage(file + ": empty file");
    }

    @Test
    void read_organisationsMissing_throwsNamingThem() throws IOException {
        Path file = Files.writeString(
                directory.resolve("consortium.yaml"), "version: 1\nchannel: dossier\nchaincode: notary\n");

        assertThatThrownBy(() -> ConsortiumFile.read(file))
                .isInstanceOf(IOException.class)
                .hasMessage(file + ": missing organisations");
    }
}
