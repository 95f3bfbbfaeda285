package dev.dossier.chaincode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dossier.chaincode.Policy.Permission;
import dev.dossier.chaincode.Policy.Scope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyTest {
    /** The consortium's policy document; tests run in the module's directory. */
    private static final Path DOCUMENT = Path.of("../network-config/policy.json");

    @Test
    void builtInDefault_equalsTheNetworkConfigDocument() throws IOException {
        assertThat(Policy.parse(Files.readString(DOCUMENT))).isEqualTo(Policy.DEFAULT);
    }

    /**
     * The role table of {@code docs/design.md} (section "Roles and policy"), written out cell by cell rather than read
     * from the policy document: the document must say exactly this.
     */
    @Test
    void builtInDefault_isTheDesignMatrix() {
        Map<Permission, Scope> employer = grants(
                Permission.ANCHOR, Scope.OWN_ORG,
                Permission.REVOKE, Scope.OWN_ORG,
                Permission.STATUS, Scope.ANY,
                Permission.HISTORY, Scope.OWN_ORG,
                Permission.DOSSIER, Scope.OWN_ORG);
        Map<Permission, Scope> issuer = grants(
                Permission.ANCHOR, Scope.OWN_ORG,
                Permission.REVOKE, Scope.OWN_ORG,
                Permission.STATUS, Scope.ANY,
                Permission.HISTORY, Scope.OWN_ORG,
                Permission.DOSSIER, Scope.OWN_ORG,
                Permission.DRAFT, Scope.OWN_ORG);
        Map<String, Map<Permission, Scope>> design = Map.of(
                "operator",
                        grants(
                                Permission.STATUS, Scope.ANY,
                                Permission.HISTORY, Scope.ANY,
                                Permission.POLICY, Scope.OWN_ORG,
                                Permission.DELEGATE, Scope.OWN_ORG,
                                Permission.VALIDATE, Scope.OWN_ORG),
                "delegate",
                        grants(
                                Permission.ANCHOR, Scope.OWN_ORG,
                                Permission.STATUS, Scope.ANY,
                                Permission.HISTORY, Scope.OWN_ORG,
                                Permission.DELEGATE, Scope.OWN_ORG,
                                Permission.VALIDATE, Scope.OWN_ORG),
                "issuer", issuer,
                "employer", employer,
                "worker",
                        grants(
                                Permission.STATUS, Scope.ANY,
                                Permission.HISTORY, Scope.OWN_SUBJECT,
                                Permission.DOSSIER, Scope.OWN_SUBJECT),
                "inspector", grants(Permission.STATUS, Scope.ANY, Permission.HISTORY, Scope.ANY),
                "auditor",
                        grants(
                                Permission.STATUS, Scope.ANY,
                                Permission.HISTORY, Scope.ANY,
                                Permission.DOSSIER, Scope.ANY));

        for (Map.Entry<String, Map<Permission, Scope>> role : design.entrySet()) {
            for (Permission permission : Permission.values()) {
                assertThat(Policy.DEFAULT.scope(role.getKey(), permission))
                        .as(role.getKey() + " " + permission)
                        .isEqualTo(role.getValue().get(permission));
            }
        }
        assertThat(Policy.DEFAULT.scope("admin", Permission.STATUS)).isNull();
        assertThat(Policy.DEFAULT.scope(null, Permission.STATUS)).isNull();
        assertThat(Policy.DEFAULT.organisations()).isEmpty();
        assertThat(Policy.DEFAULT.admits("AnyMSP")).isTrue();
    }

    private static Map<Permission, Scope> grants(Object... pairs) {
        Map<Permission, Scope> grants = new EnumMap<>(Permission.class);
        for (int i = 0; i < pairs.length; i += 2) {
            grants.put((Permission) pairs[i], (Scope) pairs[i + 1]);
        }
        return grants;
    }

    @Test
    void canonicalForm_andHash_ignoreLayoutAndOrganisationOrder() {
        Policy a = Policy.parse("{\"version\":1,\"organisations\":[\"Org2MSP\",\"Org1MSP\"],"
                + "\"roles\":{\"worker\":{\"status\":\"any\"},\"auditor\":{\"history\":\"any\",\"status\":\"any\"}}}");
        Policy b = Policy.parse(
                "{ \"roles\": {\"auditor\": {\"status\": \"any\", \"history\": \"any\"},\n"
                        + " \"worker\": {\"status\": \"any\"}}, \"organisations\": [\"Org1MSP\", \"Org2MSP\"], \"version\": 1}");

        assertThat(a).isEqualTo(b);
        assertThat(a.json())
                .isEqualTo("{\"organisations\":[\"Org1MSP\",\"Org2MSP\"],\"roles\":{\"auditor\":"
                        + "{\"history\":\"any\",\"status\":\"any\"},\"worker\":{\"status\":\"any\"}},\"version\":1}");
        assertThat(a.hash()).isEqualTo(Policy.sha256Hex(a.json())).matches("[0-9a-f]{64}");
        assertThat(a.majority()).isEqualTo(2);
        assertThat(a.admits("Org1MSP")).isTrue();
        assertThat(a.admits("Org3MSP")).isFalse();
    }

    @Test
    void majority_isStrict() {
        assertThat(withOrganisations(1).majority()).isEqualTo(1);
        assertThat(withOrganisations(2).majority()).isEqualTo(2);
        assertThat(withOrganisations(3).majority()).isEqualTo(2);
        assertThat(withOrganisations(4).majority()).isEqualTo(3);
    }

    private static Policy withOrganisations(int n) {
        StringBuilder orgs = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            orgs.append(i > 1 ? "," : "").append("\"Org").append(i).append("MSP\"");
        }
        return Policy.parse("{\"version\":1,\"organisations\":[" + orgs + "],\"roles\":{}}");
    }

    @Test
    void parse_invalidDocuments_sayWhy() {
        String roles = ",\"roles\":{}";
        Map<String, String> cases = Map.of(
                "[]",
                "must be a JSON object",
                "{\"version\":2,\"organisations\":[]" + roles + "}",
                "version must be 1",
                "{\"version\":1,\"organisations\":[]" + roles + ",\"extra\":1}",
                "unknown member 'extra'",
                "{\"version\":1,\"organisations\":[\"A B\"]" + roles + "}",
                "is not an MSP id",
                "{\"version\":1,\"organisations\":[\"A\",\"A\"]" + roles + "}",
                "listed twice",
                "{\"version\":1,\"organisations\":[],\"roles\":{\"Issuer\":{}}}",
                "not a lowercase token",
                "{\"version\":1,\"organisations\":[],\"roles\":{\"x\":{\"fly\":\"any\"}}}",
                "unknown permission 'fly'",
                "{\"version\":1,\"organisations\":[],\"roles\":{\"x\":{\"anchor\":\"any\"}}}",
                "permission 'anchor' takes [own-org], got 'any'",
                "{\"version\":1,\"organisations\":[],\"roles\":{\"x\":{\"status\":\"all\"}}}",
                "got 'all'",
                "{\"version\":1,\"roles\":{}}",
                "organisations must be an array");
        cases.forEach((document, message) -> assertThatThrownBy(() -> Policy.parse(document))
                .as(document)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message));
    }
}
