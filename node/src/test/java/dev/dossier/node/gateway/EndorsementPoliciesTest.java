package dev.dossier.node.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dossier.node.gateway.EndorsementPolicies.Rule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EndorsementPoliciesTest {
    private static final List<String> ORGS = List.of("Org1MSP", "Org2MSP", "Org3MSP");

    @TempDir
    Path dir;

    @Test
    void rule_ignoresContractPrefix_andFallsBackToDefault() {
        assertThat(EndorsementPolicies.DEFAULT.rule("notary:anchor")).isEqualTo(Rule.CREATOR_ORG);
        assertThat(EndorsementPolicies.DEFAULT.rule("approvePolicy")).isEqualTo(Rule.MAJORITY);
        assertThat(EndorsementPolicies.DEFAULT.rule("status")).isEqualTo(Rule.CREATOR_ORG);
    }

    @Test
    void creatorOrg_needsTheCreatorsOrganisation() {
        EndorsementPolicies policies = EndorsementPolicies.DEFAULT;

        assertThat(policies.unsatisfied("anchor", "Org1MSP", Set.of("Org1MSP"), ORGS))
                .isNull();
        assertThat(policies.unsatisfied("anchor", "Org1MSP", Set.of("Org2MSP", "Org3MSP"), ORGS))
                .contains("creator's organisation Org1MSP");
        assertThat(policies.organisationsToAsk("anchor", "Org1MSP", "Org2MSP", ORGS))
                .containsExactly("Org1MSP");
        assertThat(policies.organisationsToAsk("anchor", "Org2MSP", "Org2MSP", ORGS))
                .isEmpty();
    }

    @Test
    void majority_needsMoreThanHalf_andAsksTheFewestOthers() {
        EndorsementPolicies policies = EndorsementPolicies.DEFAULT;

        assertThat(policies.unsatisfied("approvePolicy", "Org1MSP", Set.of("Org1MSP"), ORGS))
                .contains("majority of the 3 organisations, has 1");
        assertThat(policies.unsatisfied("approvePolicy", "Org1MSP", Set.of("Org1MSP", "Org3MSP"), ORGS))
                .isNull();
        assertThat(policies.organisationsToAsk("approvePolicy", "Org1MSP", "Org3MSP", ORGS))
                .containsExactly("Org1MSP");
        assertThat(policies.unsatisfied("approvePolicy", "Org1MSP", Set.of("Org1MSP", "Other"), ORGS))
                .isNotNull();
    }

    @Test
    void allOrgs_andAnyOrg() {
        EndorsementPolicies policies = new EndorsementPolicies(Rule.ANY_ORG, Map.of("revoke", Rule.ALL_ORGS));

        assertThat(policies.unsatisfied("anchor", "Org1MSP", Set.of("Org3MSP"), ORGS))
                .isNull();
        assertThat(policies.unsatisfied("anchor", "Org1MSP", Set.of(), ORGS)).isNotNull();
        assertThat(policies.unsatisfied("revoke", "Org1MSP", Set.of("Org1MSP", "Org2MSP"), ORGS))
                .isNotNull();
        assertThat(policies.organisationsToAsk("revoke", "Org1MSP", "Org1MSP", ORGS))
                .containsExactly("Org2MSP", "Org3MSP");
    }

    @Test
    void load_readsWhatToYamlWrites_andTheShippedTemplateIsTheDefault() throws IOException {
        Path file = dir.resolve("endorsement.yaml");
        Files.writeString(file, EndorsementPolicies.DEFAULT.toYaml());

        assertThat(EndorsementPolicies.load(file).toYaml()).isEqualTo(EndorsementPolicies.DEFAULT.toYaml());
        assertThat(EndorsementPolicies.forNetwork(dir).rule("proposePolicy")).isEqualTo(Rule.MAJORITY);
        assertThat(Files.readString(Path.of("..", "network-config", "endorsement.yaml")))
                .isEqualTo(EndorsementPolicies.DEFAULT.toYaml());
    }

    @Test
    void load_unknownRule_namesIt() throws IOException {
        Path file = dir.resolve("endorsement.yaml");
        Files.writeString(file, "functions:\n  anchor: everybody\n");

        assertThatThrownBy(() -> EndorsementPolicies.load(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("unknown endorsement rule 'everybody'");
    }
}
