package dev.dossier.client.digest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dossier.client.TestData;
import dev.dossier.client.record.FileScan;
import dev.dossier.client.record.RawRow;
import dev.dossier.client.record.RecordSource;
import dev.dossier.client.record.RecordValidator;
import dev.dossier.client.record.TrainingRecord;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The golden vectors of {@code vectors/commitments-v1.json}, computed independently of this code. */
class CommitmentsTest {
    private static final HexFormat HEX = HexFormat.of();
    private static JsonNode vectors;
    private static HmacKey saltKey;

    @TempDir
    Path directory;

    @BeforeAll
    static void load() throws Exception {
        try (InputStream in = CommitmentsTest.class.getResourceAsStream("/vectors/commitments-v1.json")) {
            vectors = new ObjectMapper().readTree(in);
        }
        saltKey = HmacKey.of(HEX.parseHex(vectors.get("saltKey").asText()));
    }

    @Test
    void salt_matchesVectors() {
        for (JsonNode v : vectors.get("salts")) {
            byte[] salt = Commitments.salt(
                    saltKey, v.get("recordId").asText(), v.get("version").asInt());
            assertThat(HEX.formatHex(salt))
                    .as(v.toString())
                    .isEqualTo(v.get("salt").asText());
        }
    }

    @Test
    void recordCommitment_matchesVectors_afterJcs() {
        for (JsonNode v : vectors.get("records")) {
            byte[] jcs = Canonical.jcs(v.get("json").asText());
            assertThat(new String(jcs, StandardCharsets.UTF_8))
                    .as(v.get("name").asText())
                    .isEqualTo(v.get("jcs").asText());
            Commitment c = Commitments.record(HEX.parseHex(v.get("salt").asText()), jcs);
            assertThat(c).hasToString(v.get("commitment").asText());
        }
    }

    @Test
    void documentCommitment_matchesVectors_jsonAndBytes() {
        for (JsonNode v : vectors.get("documents")) {
            byte[] content = v.has("json")
                    ? Canonical.jcs(v.get("json").asText())
                    : Base64.getDecoder().decode(v.get("base64").asText());
            Commitment c = Commitments.document(HEX.parseHex(v.get("salt").asText()), content);
            assertThat(c)
                    .as(v.get("name").asText())
                    .hasToString(v.get("commitment").asText());
        }
    }

    @Test
    void pseudonym_matchesVectors_caseInsensitive() {
        HmacKey key = HmacKey.of(HEX.parseHex(vectors.get("pseudonymKey").asText()));
        for (JsonNode v : vectors.get("pseudonyms")) {
            assertThat(Commitments.pseudonym(key, v.get("fiscalCode").asText()))
                    .isEqualTo(v.get("pseudonym").asText());
        }
    }

    @Test
    void csvRow_hasTheVectorsRecordJson() throws Exception {
        Path file = TestData.small();
        TrainingRecord record = null;
        try (RecordSource source = RecordSource.open(file)) {
            RecordValidator validator = new RecordValidator(FileScan.of(file));
            for (RawRow row = source.next(); row != null && record == null; row = source.next()) {
                TrainingRecord r = validator.validate(row).record();
                if (r != null && r.recordId().equals("01234560789-7-0000001")) {
                    record = r;
                }
            }
        }
        JsonNode v = vectors.get("records").get(0);
        assertThat(new String(record.canonicalJson(), StandardCharsets.UTF_8))
                .isEqualTo(v.get("jcs").asText());
        assertThat(Commitments.record(
                        Commitments.salt(saltKey, record.recordId(), record.version()), record.canonicalJson()))
                .hasToString(v.get("commitment").asText());
    }

    @Test
    void commitment_hex_isStrict() {
        String hex = "ab".repeat(32);
        assertThat(Commitment.fromHex(hex.toUpperCase())).hasToString(hex);
        assertThatThrownBy(() -> Commitment.fromHex(hex + "0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Commitment.fromHex("zz" + hex.substring(2)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Commitment.of(new byte[31])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keyFile_createdOnFirstUse_ownerOnly_andStable() throws Exception {
        Path file = directory.resolve("config/dossier/salt.key");
        HmacKey first = HmacKey.loadOrCreate(file);
        HmacKey again = HmacKey.loadOrCreate(file);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
        assertThat(first.mac(new byte[] {1})).isEqualTo(again.mac(new byte[] {1}));
        assertThat(Files.readString(file)).matches("[0-9a-f]{64}\n");
    }
}
