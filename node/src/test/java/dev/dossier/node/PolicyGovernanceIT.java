package dev.dossier.node;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dossier.node.identity.FabricAttributes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.GatewayException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Initialising and changing the role policy through the official client, on a node of a two-organisation consortium:
 * the {@code initPolicy} row of the policy matrix, and a change that takes effect only once both organisations (a
 * strict majority of two) approved it.
 */
class PolicyGovernanceIT {
    @TempDir
    Path directory;

    private TestNetwork network;

    @BeforeEach
    void startNode() throws Exception {
        network = new TestNetwork(directory, 2);
    }

    @AfterEach
    void stopNode() throws Exception {
        network.close();
    }

    @Test
    void initPolicy_onlyOperators_once() throws Exception {
        String policy = Files.readString(network.policyDocument());
        long height = network.node.height();
        for (String user : List.of("Issuer", "Employer", "Worker1", "Inspector", "Auditor")) {
            for (String org : List.of("org1", "org2")) {
                String role = user.equals("Worker1") ? "worker" : user.toLowerCase();
                assertThatThrownBy(() -> call(user + "@" + org + ".dossier.local", true, "initPolicy", policy))
                        .isInstanceOf(GatewayException.class)
                        .hasMessageContaining(
                                "role '" + role + "' of O" + org.substring(1) + "MSP may not call 'initPolicy'");
            }
        }
        assertThat(network.node.height()).isEqualTo(height);
        assertThat(call("Auditor@org1.dossier.local", false, "getPolicy")).contains("\"initialised\":false");

        assertThat(call("Admin@org2.dossier.local", true, "initPolicy", policy))
                .contains("\"initialised\":true", "\"organisations\":[\"Org1MSP\",\"Org2MSP\"]");
        assertThatThrownBy(() -> call("Admin@org1.dossier.local", true, "initPolicy", policy))
                .isInstanceOf(GatewayException.class)
                .hasMessageContaining("the policy is already initialised");
    }

    @Test
    void policyChange_appliesOnlyWithBothOrganisations() throws Exception {
        String policy = Files.readString(network.policyDocument());
        call("Admin@org1.dossier.local", true, "initPolicy", policy);
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
                .hasMessageContaining("role 'auditor' of Org2MSP may not call 'approvePolicy'");

        assertThat(call("Admin@org2.dossier.local", true, "approvePolicy", hash))
                .contains("\"applied\":true", "\"approvals\":[\"Org1MSP\",\"Org2MSP\"]");

        assertThat(call(inspector, false, "dossier", subject)).isEqualTo("[]");
        assertThat(call("Worker1@org2.dossier.local", false, "getPolicy")).contains("\"hash\":\"" + hash + "\"");
    }

    private String call(String user, boolean submit, String function, String... args) throws Exception {
        try (Gateway gateway = network.gatewayOf(user)) {
            var contract = gateway.getNetwork("dossier").getContract("notary");
            byte[] result =
                    submit ? contract.submitTransaction(function, args) : contract.evaluateTransaction(function, args);
            return new String(result, UTF_8);
        }
    }
}
