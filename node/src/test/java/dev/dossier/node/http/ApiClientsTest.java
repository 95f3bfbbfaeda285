package dev.dossier.node.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dossier.node.config.CryptoGen;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiClientsTest {
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");

    @TempDir
    static Path directory;

    static Path network;

    @BeforeAll
    static void generateConsortium() throws Exception {
        network = directory.resolve("network");
        CryptoGen.generate(network, 2, "dossier", "notary", 7051);
    }

    @Test
    void issue_printsARandomToken_andStoresOnlyItsHash_inAnOwnerOnlyFile() throws Exception {
        String first = ApiClients.issue(network, "Employer@org1.dossier.local");
        String second = ApiClients.issue(network, "Employer@org1.dossier.local");

        assertThat(first).matches(TOKEN).isNotEqualTo(second);
        Path file = network.resolve(ApiClients.FILE_NAME);
        String text = Files.readString(file);
        assertThat(text).doesNotContain(first).doesNotContain(second);
        assertThat(text).contains(ApiClients.hash(first)).contains(ApiClients.hash(second));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        try (var files = Files.list(network)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")))
                    .isEmpty();
        }
    }

    @Test
    void read_givesTheUserItsOrganisationAndMspFolder_relativeToTheConsortiumDirectory() throws Exception {
        String token = ApiClients.issue(network, "Inspector@org1.dossier.local");

        ApiClients.Client client = ApiClients.read(network.resolve(ApiClients.FILE_NAME)).stream()
                .filter(c -> c.tokenSha256().equals(ApiClients.hash(token)))
                .findFirst()
                .orElseThrow();

        assertThat(client.user()).isEqualTo("Inspector@org1.dossier.local");
        assertThat(client.mspId()).isEqualTo("Org1MSP");
        Path msp = network.resolve(
                        "organizations/peerOrganizations/org1.dossier.local/users/Inspector@org1.dossier.local/msp")
                .toAbsolutePath()
                .normalize();
        assertThat(client.msp()).isEqualTo(msp);
        assertThat(Files.readString(network.resolve(ApiClients.FILE_NAME)))
                .contains(
                        "msp: organizations/peerOrganizations/org1.dossier.local/users/Inspector@org1.dossier.local/msp");
        assertThat(client.created()).isNotNull();
    }

    @Test
    void load_keepsTheNodesOwnOrganisation_andIgnoresOthers() throws Exception {
        Path other = directory.resolve("other");
        CryptoGen.generate(other, 2, "dossier", "notary", 8051);
        ApiClients.issue(other, "Employer@org1.dossier.local");
        ApiClients.issue(other, "Employer@org2.dossier.local");

        List<ApiClients.Client> org1 = ApiClients.load(other.resolve(ApiClients.FILE_NAME), "Org1MSP");
        List<ApiClients.Client> org2 = ApiClients.load(other.resolve(ApiClients.FILE_NAME), "Org2MSP");

        assertThat(org1).extracting(ApiClients.Client::user).containsExactly("Employer@org1.dossier.local");
        assertThat(org2).extracting(ApiClients.Client::user).containsExactly("Employer@org2.dossier.local");
        assertThat(ApiClients.load(directory.resolve("missing.yaml"), "Org1MSP"))
                .isEmpty();
    }

    @Test
    void authenticate_findsTheTokensUser_andNothingForAnyOtherToken() throws Exception {
        Path own = directory.resolve("auth");
        CryptoGen.generate(own, 1, "dossier", "notary", 9051);
        String employer = ApiClients.issue(own, "Employer@org1.dossier.local");
        String inspector = ApiClients.issue(own, "Inspector@org1.dossier.local");
        List<ApiClients.Client> clients = ApiClients.load(own.resolve(ApiClients.FILE_NAME), "Org1MSP");

        try (CustodialGateway custodian = CustodialGateway.connect("localhost", 9051, "dossier", "notary", clients)) {
            assertThat(custodian.clients()).isEqualTo(2);
            assertThat(custodian.authenticate(employer).orElseThrow().client().user())
                    .isEqualTo("Employer@org1.dossier.local");
            assertThat(custodian.authenticate(inspector).orElseThrow().client().user())
                    .isEqualTo("Inspector@org1.dossier.local");
            assertThat(custodian.authenticate(employer.substring(1))).isEmpty();
            assertThat(custodian.authenticate("")).isEmpty();
            assertThat(custodian.authenticate(ApiClients.hash(employer))).isEmpty();
        }
    }

    @Test
    void connect_refusesAClientWhoseKeyIsMissing_namingTheUser() throws Exception {
        Path broken = directory.resolve("broken");
        CryptoGen.generate(broken, 1, "dossier", "notary", 10051);
        ApiClients.issue(broken, "Employer@org1.dossier.local");
        List<ApiClients.Client> clients = ApiClients.load(broken.resolve(ApiClients.FILE_NAME), "Org1MSP");
        Files.delete(clients.get(0).msp().resolve("keystore/priv_sk"));

        assertThatThrownBy(() -> CustodialGateway.connect("localhost", 10051, "dossier", "notary", clients))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Employer@org1.dossier.local")
                .hasMessageContaining("keystore");
    }

    @Test
    void issue_refusesAnUnknownUser() {
        assertThatThrownBy(() -> ApiClients.issue(network, "Nobody@org1.dossier.local"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Nobody@org1.dossier.local");
    }

    @Test
    void read_refusesAMalformedEntry_namingIt() throws Exception {
        Path file = directory.resolve("bad-" + ApiClients.FILE_NAME);
        Files.writeString(
                file,
                "version: 1\nclients:\n- tokenSha256: abc\n  user: Employer@org1.dossier.local\n  mspId: Org1MSP\n"
                        + "  msp: users/Employer/msp\n");

        assertThatThrownBy(() -> ApiClients.read(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("client 0")
                .hasMessageContaining("tokenSha256");
    }
}
