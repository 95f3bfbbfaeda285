package dev.dossier.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsortiumTest {
    @TempDir
    static Path directory;

    private static Consortium generated;
    private static Path yaml;

    @BeforeAll
    static void generate() throws IOException {
        generated = CryptoGen.generate(directory.resolve("network"), 2, "dossier", "notary", 7051);
        yaml = directory.resolve("network/consortium.yaml");
    }

    @Test
    void load_viaRelativePathOfFile_resolvesAgainstFileDirectory() throws IOException {
        Path moved = directory.resolve("network/sub");
        Files.createDirectories(moved);
        Path copy = Files.writeString(
                moved.resolve("consortium.yaml"),
                Files.readString(yaml).replace(": organizations/", ": ../organizations/"));

        assertThat(Consortium.load(copy)).isEqualTo(generated);
    }

    @Test
    void load_handWrittenWithoutUsers_hasNoUsers() throws IOException {
        String ca = generated.organisations().get(0).caCertificate().toString();
        Path file = write("minimal.yaml", """
                version: 1
                channel: dossier
                chaincode: notary
                organisations:
                - name: org1
                  mspId: Org1MSP
                  domain: org1.dossier.local
                  caCertificate: %s
                  nodes: []
                """.formatted(ca));

        Consortium consortium = Consortium.load(file);

        assertThat(consortium.organisations().get(0).users()).isEmpty();
        assertThat(consortium.msps())
                .singleElement()
                .satisfies(msp -> assertThat(msp.mspId()).isEqualTo("Org1MSP"));
    }

    @Test
    void load_missingMspId_throwsNamingIt() throws IOException {
        Path file = write("missing.yaml", Files.readString(yaml).replace("  mspId: Org2MSP\n", ""));

        assertThatThrownBy(() -> Consortium.load(file))
                .isInstanceOf(IOException.class)
                .hasMessageEndingWith("missing.yaml: missing mspId");
    }

    @Test
    void load_unknownProperty_throws() throws IOException {
        String withColour = Files.readString(yaml).replace("channel: dossier", "channel: dossier\ncolour: red");
        Path file = write("unknown.yaml", withColour);

        assertThatThrownBy(() -> Consortium.load(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("colour");
    }

    @Test
    void load_otherFormatVersion_throws() throws IOException {
        Path file = write("v2.yaml", Files.readString(yaml).replace("version: 1", "version: 2"));

        assertThatThrownBy(() -> Consortium.load(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("format version 2 is not supported");
    }

    @Test
    void load_duplicatePort_throws() throws IOException {
        Path file = write("ports.yaml", Files.readString(yaml).replace("port: 7052", "port: 7051"));

        assertThatThrownBy(() -> Consortium.load(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("duplicate address localhost:7051");
    }

    @Test
    void load_missingCaCertificateFile_throws() throws IOException {
        Path file = write("noca.yaml", Files.readString(yaml).replace("-cert.pem\n  nodes:", "-missing.pem\n  nodes:"));

        assertThatThrownBy(() -> Consortium.load(file)).isInstanceOf(IOException.class);
    }

    @Test
    void load_notYaml_throws() throws IOException {
        Path file = write("bad.yaml", "organisations: [unclosed");

        assertThatThrownBy(() -> Consortium.load(file)).isInstanceOf(IOException.class);
    }

    @Test
    void constructor_invalidNames_throw() {
        List<Consortium.Organisation> organisations = generated.organisations();
        assertThatThrownBy(() -> new Consortium("Dossier", "notary", organisations))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("channel name");
        assertThatThrownBy(() -> new Consortium("dossier", "no tary", organisations))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("chaincode name");
        assertThatThrownBy(() -> new Consortium("dossier", "notary", List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void constructor_duplicateMspId_throws() {
        Consortium.Organisation org1 = generated.organisations().get(0);
        Consortium.Organisation copy = new Consortium.Organisation(
                "other", org1.mspId(), "other.local", org1.caCertificate(), List.of(), List.of());

        assertThatThrownBy(() -> new Consortium("dossier", "notary", List.of(org1, copy)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("duplicate MSP id Org1MSP");
    }

    @Test
    void signer_unknownName_throws() {
        assertThatThrownBy(() -> generated.signer("nobody@org1.dossier.local"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void signer_usesOrganisationMspId() throws IOException {
        assertThat(generated.signer("node0.org2.dossier.local").mspId()).isEqualTo("Org2MSP");
    }

    private static Path write(String name, String content) throws IOException {
        return Files.writeString(directory.resolve("network").resolve(name), content);
    }
}
