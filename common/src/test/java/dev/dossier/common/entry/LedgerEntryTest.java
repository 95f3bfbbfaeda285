package dev.dossier.common.entry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dossier.common.json.JsonReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LedgerEntryTest {
    private static final String C = "ddd9f1e218054c1c59de72c1b2a6b8093f8b5e3bdee471ea3404bdec16a34ced";
    private static final String N = "c6c1c9a9c8543f1e4cd980064cf1625eeb61a90703b2464fff039f21682508b3";

    /** The golden vectors, which the verify page's receipt.mjs is tested against too. */
    @Test
    void parse_matchesTheGoldenVectors() throws IOException {
        List<?> vectors = (List<?>) vectors().get("vectors");
        assertThat(vectors).hasSizeGreaterThan(20);
        for (Object v : vectors) {
            Map<?, ?> vector = (Map<?, ?>) v;
            String name = (String) vector.get("name");
            String json = (String) vector.get("json");
            if (vector.containsKey("error")) {
                assertThatThrownBy(() -> LedgerEntry.parse(json))
                        .as(name)
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining((String) vector.get("error"));
                continue;
            }
            LedgerEntry entry = LedgerEntry.parse(json);
            assertThat(fields(entry)).as(name).isEqualTo(vector.get("fields"));
            assertThat(entry.toJson()).as(name).isEqualTo(vector.get("canonical"));
        }
    }

    @Test
    void anchored_thenRevokedThenSuperseded_keepsWhatWasAnchored() {
        LedgerEntry anchored = LedgerEntry.anchored(
                C, "record", 1, null, "2030-06-30", "Org1MSP", "CN=Issuer", "2025-03-01T09:30:00Z");
        assertThat(anchored.active()).isTrue();

        LedgerEntry revoked = anchored.revoked("fraud", "2025-04-01T08:00:00Z");
        LedgerEntry superseded = revoked.supersededBy(N);

        assertThat(revoked.toJson())
                .isEqualTo("{\"anchoredAt\":\"2025-03-01T09:30:00Z\",\"commitment\":\"" + C + "\","
                        + "\"issuerId\":\"CN=Issuer\",\"kind\":\"record\",\"mspId\":\"Org1MSP\","
                        + "\"revocationReason\":\"fraud\",\"revokedAt\":\"2025-04-01T08:00:00Z\",\"schemaVersion\":1,"
                        + "\"status\":\"revoked\",\"validUntil\":\"2030-06-30\"}");
        assertThat(superseded.status()).isEqualTo(LedgerEntry.SUPERSEDED);
        assertThat(superseded.supersededBy()).isEqualTo(N);
        assertThat(superseded.revocationReason()).isEqualTo("fraud");
        assertThat(anchored.superseding(N).supersedes()).isEqualTo(N);
        assertThat(anchored.superseding(N).status()).isEqualTo(LedgerEntry.ACTIVE);
    }

    @Test
    void draft_thenValidated_orRejected_keepsTheProviderProjectAndModule() {
        LedgerEntry draft = LedgerEntry.anchored(
                        C, "record", 1, N, "2030-06-30", "Org1MSP", "CN=Drafter", "2025-03-01T09:30:00Z")
                .draft("Org2MSP", "CN=Drafter", "P-1", "SIC-GEN", "2025-03-01T09:30:00Z");

        assertThat(draft.toJson())
                .isEqualTo("{\"anchoredAt\":\"2025-03-01T09:30:00Z\",\"commitment\":\"" + C + "\","
                        + "\"draftedBy\":\"Org2MSP\",\"issuerId\":\"CN=Drafter\",\"kind\":\"record\","
                        + "\"module\":\"SIC-GEN\",\"mspId\":\"Org1MSP\",\"project\":\"P-1\",\"schemaVersion\":1,"
                        + "\"status\":\"pending\",\"subject\":\"" + N + "\",\"validUntil\":\"2030-06-30\"}");
        assertThat(LedgerEntry.parse(draft.toJson())).isEqualTo(draft);
        assertThat(draft.active()).isFalse();

        LedgerEntry validated = draft.validated("CN=Validator", "2025-03-02T10:00:00Z");
        assertThat(validated.toJson())
                .isEqualTo("{\"anchoredAt\":\"2025-03-02T10:00:00Z\",\"commitment\":\"" + C + "\","
                        + "\"draftedBy\":\"Org2MSP\",\"issuerId\":\"CN=Validator\",\"kind\":\"record\","
                        + "\"module\":\"SIC-GEN\",\"mspId\":\"Org1MSP\",\"project\":\"P-1\",\"schemaVersion\":1,"
                        + "\"status\":\"active\",\"subject\":\"" + N + "\",\"validUntil\":\"2030-06-30\"}");

        LedgerEntry rejected = draft.rejected("incomplete", "2025-03-03T11:00:00Z");
        assertThat(rejected.status()).isEqualTo(LedgerEntry.REJECTED);
        assertThat(rejected.rejectionReason()).isEqualTo("incomplete");
        assertThat(rejected.rejectedAt()).isEqualTo("2025-03-03T11:00:00Z");
        assertThat(rejected.anchoredAt()).isEqualTo("2025-03-01T09:30:00Z");
        assertThat(rejected.issuerId()).isEqualTo("CN=Drafter");
        assertThat(LedgerEntry.parse(rejected.toJson())).isEqualTo(rejected);
    }

    @Test
    void withoutPersonalLinks_dropsTheIssuerAndTheSubjectOnly() {
        LedgerEntry entry =
                LedgerEntry.anchored(C, "record", 2, N, null, "Org1MSP", "CN=Issuer", "2025-03-01T09:30:00Z");

        assertThat(entry.withoutPersonalLinks().toJson())
                .isEqualTo("{\"anchoredAt\":\"2025-03-01T09:30:00Z\",\"commitment\":\"" + C + "\","
                        + "\"kind\":\"record\",\"mspId\":\"Org1MSP\",\"schemaVersion\":2,\"status\":\"active\"}");
    }

    @Test
    void parse_repeatedMember_refused() {
        assertThatThrownBy(() -> LedgerEntry.parse("{\"status\":\"revoked\",\"status\":\"active\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a JSON object")
                .hasMessageContaining("repeated member name");
    }

    private static Map<String, Object> fields(LedgerEntry e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("anchoredAt", e.anchoredAt());
        out.put("commitment", e.commitment());
        out.put("issuerId", e.issuerId());
        out.put("kind", e.kind());
        out.put("mspId", e.mspId());
        out.put("revocationReason", e.revocationReason());
        out.put("revokedAt", e.revokedAt());
        out.put("schemaVersion", e.schemaVersion());
        out.put("status", e.status());
        out.put("subject", e.subject());
        out.put("supersededBy", e.supersededBy());
        out.put("supersedes", e.supersedes());
        out.put("validUntil", e.validUntil());
        return out;
    }

    private static Map<?, ?> vectors() throws IOException {
        try (InputStream in = LedgerEntryTest.class.getResourceAsStream("/vectors/ledger-entry-v1.json")) {
            return (Map<?, ?>) JsonReader.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
