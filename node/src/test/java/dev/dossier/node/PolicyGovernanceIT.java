package dev.dossier.node;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dossier.node.identity.FabricAttributes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hyperledger.fabric.client.GatewayException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Governance of the role policy through the official client on a two-node, two-organisation network: the first policy
 * is fixed by the genesis block (signed by both founding organisations), no function stores a first policy, and a
 * change takes effect only once both organisations (a strict majority of two) approved it.
 */
class PolicyGovernanceIT {
    @TempDir
    Path directory;

    private TestCluster network;

    @BeforeEach
    void startNodes() throws Exception {
        network = new TestCluster(directory, 2);
    }

    @AfterEach
    void stopNodes() throws Exception {
        network.close();
    }

    @Test
    void firstPolicy_isFixedAtChannelCreation_andNoOrganisationTakesItAlone() throws Exception {
        for (String user : List.of("Auditor@org1.dossier.local", "Worker1@org2.dossier.local")) {
            assertThat(call(user, false, "getPolicy"))
                    .contains("\"initialised\":true", "\"organisations\":[\"Org1MSP\",\"Org2MSP\"]");
        }
        String takeover = Files.readString(network.policyDocument())
                .replaceFirst("\"Org2MSP\"", "\"Org1MSP\"")
                .replaceFirst(
                        "\"organisations\" : \\[ \"Org1MSP\", \"Org1MSP\" \\]", "\"organisations\" : [ \"Org1MSP\" ]");
        assertThat(takeover).contains("[ \"Org1MSP\" ]");

        assertThatThrownBy(() -> call("Admin@org1.dossier.local", true, "initPolicy", takeover))
                .as("no function stores a first policy")
                .isInstanceOf(GatewayException.class);
        assertThat(call("Admin@org1.dossier.local", true, "proposePolicy", takeover))
                .as("one organisation of two only proposes")
                .contains("\"applied\":false", "\"required\":2");

        assertThat(call("Issuer@org2.dossier.local", true, "anchor", "ab".repeat(32), "record"))
                .contains("\"mspId\":\"Org2MSP\"");
        assertThat(call("Auditor@org2.dossier.local", false, "getPolicy"))
                .contains("\"organisations\":[\"Org1MSP\",\"Org2MSP\"]");
    }

    @Test
    void policyChange_appliesOnlyWithBothOrganisations() throws Exception {
        String policy = Files.readString(network.policyDocument());
        String subject = FabricAttributes.decode(TestNetwork.certificate(
                        network.userNamed("Worker1@org2.dossier.local").certificate()))
                .get("dossier.subject");
        String inspector = "Inspector@org1.dossier.local";
        assertThatThrownBy(() -> call(inspector, false, "dossier", subject))
                .hasMessageContaining("role 'inspector' of Org1MSP may not call 'dossier'");
        String inspectorsReadDossiers =
                policy.replaceFirst("\"inspector\" : \\{", "\"inspector\" : { \"dossier\" : \"any\",");

        String proposed = call("Admin@org1.dossier.local", true, "proposePolicy", inspectorsReadDossiers);
        String hash = proposed.replaceAll(".*\"hash\":\"([0-9a-f]{64})\".*", "$1");
        assertThat(proposed).contains("\"applied\":false", "\"required\":2");
        assertThatThrownBy(() -> call(inspector, false, "dossier", subject)).isInstanceOf(GatewayException.class);
        assertThatThrownBy(() -> call("Auditor@org2.dossier.local", true, "approvePolicy", hash))
                .isInstanceOfSatisfying(
                        GatewayException.class,
                        e -> assertThat(TestNetwork.refusal(e))
                                .contains("role 'auditor' of Org2MSP may not call 'approvePolicy'"));

        assertThat(call("Admin@org2.dossier.local", true, "approvePolicy", hash))
                .contains("\"applied\":true", "\"approvals\":[\"Org1MSP\",\"Org2MSP\"]");

        assertThat(call(inspector, false, "dossier", subject)).isEqualTo("[]");
        assertThat(call("Worker1@org2.dossier.local", false, "getPolicy")).contains("\"hash\":\"" + hash + "\"");
    }

    /**
     * Submits ({@code submit}) or evaluates the call to the notary as the named user through its organisation's node; a
     * submission returns once every node holds its block.
     */
    private String call(String user, boolean submit, String function, String... args) throws Exception {
        byte[] result = submit
                ? network.submit(user, "notary", function, args)
                : network.evaluate(user, "notary", function, args);
        return new String(result, UTF_8);
    }
}
