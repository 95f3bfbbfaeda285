package dev.dossier.node.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.dossier.common.merkle.Rfc9162;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class PublicEntryTest {
    private static final HexFormat HEX = HexFormat.of();

    /** The golden vectors of the public entry (leaf format v2), made with an independent reference encoder. */
    @Test
    void of_matchesTheGoldenVectors_andLeafHashesFollow() throws Exception {
        JsonNode vectors;
        try (InputStream in = PublicEntryTest.class.getResourceAsStream("/vectors/public-entry-v2.json")) {
            vectors = new ObjectMapper().readTree(in);
        }
        byte[] commitment = HEX.parseHex(vectors.get("commitment").asText());
        assertThat(vectors.get("vectors")).hasSizeGreaterThan(10);
        for (JsonNode vector : vectors.get("vectors")) {
            String name = vector.get("name").asText();
            byte[] written = vector.has("entry_hex")
                    ? HEX.parseHex(vector.get("entry_hex").asText())
                    : vector.get("entry").asText().getBytes(StandardCharsets.UTF_8);

            byte[] publicEntry = PublicEntry.of(written);

            assertThat(new String(publicEntry, StandardCharsets.UTF_8))
                    .as(name)
                    .isEqualTo(vector.get("public").asText());
            byte[] leaf = LogLeaves.leafData(commitment, ByteString.copyFrom(written));
            assertThat(HEX.formatHex(Rfc9162.leafHash(leaf)))
                    .as(name)
                    .isEqualTo(vector.get("leaf_hash").asText());
        }
    }

    @Test
    void of_aChaincodeEntry_keepsTheOrganisation_andDropsTheIssuersDnAndTheSubjectPseudonym() {
        String dn = "CN=Issuer@org1.dossier.local,OU=client,O=org1.dossier.local,C=IT";
        String subject = "ab".repeat(32);
        byte[] written = ("{\"anchoredAt\":\"2025-03-01T09:30:00Z\",\"commitment\":\"" + "cd".repeat(32)
                        + "\",\"issuerId\":\"" + dn + "\",\"kind\":\"record\",\"mspId\":\"Org1MSP\","
                        + "\"schemaVersion\":1,\"status\":\"active\",\"subject\":\"" + subject + "\"}")
                .getBytes(StandardCharsets.UTF_8);

        String publicEntry = new String(PublicEntry.of(written), StandardCharsets.UTF_8);

        assertThat(publicEntry)
                .contains("\"mspId\":\"Org1MSP\"")
                .doesNotContain(dn)
                .doesNotContain(subject);
        assertThat(PublicEntry.of(publicEntry.getBytes(StandardCharsets.UTF_8)))
                .as("idempotent")
                .isEqualTo(publicEntry.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void of_returnsANewArrayEachTime() {
        byte[] first = PublicEntry.of(new byte[] {'x'});
        first[0] = 'y';
        assertThat(PublicEntry.of(new byte[] {'x'})).containsExactly('{', '}');
    }
}
