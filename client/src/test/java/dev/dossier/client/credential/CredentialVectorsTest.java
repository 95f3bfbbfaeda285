package dev.dossier.client.credential;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dossier.client.TestData;
import dev.dossier.client.digest.Commitment;
import dev.dossier.client.record.RawRow;
import dev.dossier.client.record.RecordValidator;
import dev.dossier.client.record.TrainingRecord;
import dev.dossier.common.note.NoteVerifier;
import dev.dossier.common.note.TrustFile;
import dev.dossier.credential.Contexts;
import dev.dossier.credential.CredentialCheck;
import dev.dossier.credential.CredentialKey;
import dev.dossier.credential.DataIntegrity;
import dev.dossier.credential.ProofSigner;
import dev.dossier.credential.StatusList;
import dev.dossier.credential.VerificationKey;
import dev.dossier.crypto.Ed25519PrivateKey;
import dev.dossier.crypto.P256PrivateKey;
import dev.dossier.node.credential.ControllerDocuments;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The Open Badges credentials' golden vectors, {@code src/test/resources/vectors/credential-v1.json}, which the verify
 * page's tests check too ({@code src/test/web/credential.test.mjs}): a credential issued as Dossier issues them, with
 * test keys, its tampered copies and another issuer's (the OB 3.0 specification's example re-signed with a did:key),
 * each with the verdict written here by hand; the organisation's controller document and a node's signed status list.
 * Both signatures are deterministic (Ed25519; ECDSA with RFC 6979 nonces), so the file is generated again and must be
 * the same; {@code -Ddossier.writeCredentialVectors=true} rewrites it after a deliberate format change.
 */
class CredentialVectorsTest {
    static final Path FILE = Path.of("src/test/resources/vectors/credential-v1.json");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Instant SIGNED_AT = Instant.parse("2025-06-02T10:00:00Z");
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final String NODE_URL = "http://localhost:9051";
    private static final String NODE_NAME = "node0.org1.dossier.local";
    private static final String STATUS_LIST = NODE_URL + "/v1/status-lists/0";
    private static final int CREDENTIAL_INDEX = 7;
    private static final int REVOKED_INDEX = 41;

    @Test
    void vectors_matchTheFile_andVerifyToTheirVerdicts() throws Exception {
        ObjectNode expected = generate();
        if (Boolean.getBoolean("dossier.writeCredentialVectors")) {
            Files.writeString(FILE, JSON.writeValueAsString(expected) + "\n");
        }
        JsonNode file = JSON.readTree(FILE.toFile());
        assertThat(file).isEqualTo(expected);

        List<CredentialKey> pinned =
                List.of(CredentialKey.parse(file.get("credentialKeys").asText()));
        CredentialVerifier offline = new CredentialVerifier(
                null,
                null,
                pinned,
                Contexts.bundled(),
                Clock.fixed(Instant.parse(file.get("now").asText()), ZoneOffset.UTC));
        for (JsonNode vector : file.get("credentials")) {
            CredentialVerifier.Result result = offline.verify(vector.get("json").asText());
            String name = vector.get("name").asText();
            assertThat(result.verdict().name())
                    .as(name + ": " + result.reason())
                    .isEqualTo(vector.get("verdict").asText());
            assertThat(result.reason())
                    .as(name)
                    .contains(vector.get("reasonContains").asText());
        }
        TrustFile trust = TrustFile.parse(file.get("trustFile").asText());
        JsonObject list = CredentialCheck.parse(file.get("statusList").asText());
        for (String name : List.of("revokedIndex", "clearIndex")) {
            CredentialCheck.StatusEntry entry =
                    new CredentialCheck.StatusEntry(STATUS_LIST, file.get(name).asLong());
            assertThat(CredentialCheck.revoked(list, entry, CredentialVerifier.nodeKeys(trust), Contexts.bundled()))
                    .as(name)
                    .isEqualTo(name.equals("revokedIndex"));
        }
        String valid = file.get("credentials").get(0).get("json").asText();
        assertThat(CredentialIssuer.digest(valid))
                .hasToString(file.get("digest").asText());
    }

    private static ObjectNode generate() throws Exception {
        Ed25519PrivateKey org1 = Ed25519PrivateKey.fromSeed(HexFormat.of().parseHex(ORG1_SEED));
        Ed25519PrivateKey other = Ed25519PrivateKey.fromSeed(HexFormat.of().parseHex(OTHER_SEED));
        P256PrivateKey node = P256PrivateKey.fromPkcs8(Base64.getDecoder().decode(NODE_PKCS8));
        CredentialKey listed = new CredentialKey(
                "Org1MSP",
                LocalDate.parse("2025-01-01"),
                LocalDate.parse("2027-12-31"),
                new VerificationKey.Ed25519(org1.publicKey()));
        CredentialKey otherOrganisation = new CredentialKey(
                "Org2MSP",
                LocalDate.parse("2025-01-01"),
                LocalDate.parse("2027-12-31"),
                new VerificationKey.Ed25519(other.publicKey()));
        VerificationKey.P256 nodeKey = new VerificationKey.P256(node.publicKey());
        ControllerDocuments documents =
                new ControllerDocuments(NODE_URL, NODE_NAME, nodeKey, () -> List.of(listed, otherOrganisation));
        String did = ControllerDocuments.didWeb(NODE_URL) + ":Org1MSP";

        ObjectNode out = JSON.createObjectNode();
        out.put(
                "about",
                "Golden vectors of Open Badges 3.0 credentials (docs/credentials.md), checked by CredentialVectorsTest"
                        + " (Java) and credential.test.mjs (the verify page). Test keys only. Verdicts offline, at 'now',"
                        + " with the pinned credential key; the ledger's part is tested against real nodes.");
        out.put("now", NOW.toString());
        NoteVerifier.Key trustKey = new NoteVerifier.Key(
                NODE_NAME,
                KeyFactory.getInstance("EC")
                        .generatePublic(new X509EncodedKeySpec(node.publicKey().subjectPublicKeyInfo())));
        out.put(
                "trustFile",
                TrustFile.majority("dossier/dossier/notary", List.of(trustKey)).format());
        out.put("credentialKeys", listed.line());
        out.put(
                "controllerDocument",
                documents.organisation("Org1MSP").orElseThrow().toString());

        JsonObject unsigned = OpenBadges.credential(
                record(Map.of()),
                Commitment.fromHex("c0".repeat(32)),
                did,
                "Org1MSP",
                new OpenBadges.StatusPosition(STATUS_LIST, CREDENTIAL_INDEX),
                UUID.fromString("5b0c3f8e-1f2a-4d6b-9c3e-0a1b2c3d4e5f"));
        JsonObject valid = sign(unsigned, org1, did + "#" + listed.fragment());
        out.put("digest", CredentialIssuer.digest(valid.toString()).toString());
        ArrayNode credentials = out.putArray("credentials");
        add(
                credentials,
                "valid",
                valid,
                "VALID",
                "signed by " + did + "; the ledger and the status list were not asked");
        JsonObject expired = sign(
                OpenBadges.credential(
                        record(Map.of("valid_until", "2026-02-28")),
                        Commitment.fromHex("c1".repeat(32)),
                        did,
                        "Org1MSP",
                        new OpenBadges.StatusPosition(STATUS_LIST, CREDENTIAL_INDEX + 1),
                        UUID.fromString("5b0c3f8e-1f2a-4d6b-9c3e-0a1b2c3d4e60")),
                org1,
                did + "#" + listed.fragment());
        add(credentials, "expired", expired, "EXPIRED", "outside its validity");
        add(
                credentials,
                "renamed",
                Json.createObjectBuilder(valid).add("name", "Another course").build(),
                "TAMPERED",
                "does not verify");
        add(
                credentials,
                "extended",
                Json.createObjectBuilder(valid)
                        .add("validUntil", "2099-12-31T23:59:59Z")
                        .build(),
                "TAMPERED",
                "does not verify");
        add(
                credentials,
                "undefined-term",
                Json.createObjectBuilder(valid)
                        .add("dossierNote", "not in any context")
                        .build(),
                "TAMPERED",
                "not valid JSON-LD with the bundled contexts");
        add(
                credentials,
                "unbundled-context",
                Json.createObjectBuilder(valid)
                        .add(
                                "@context",
                                Json.createArrayBuilder(valid.getJsonArray("@context"))
                                        .add("https://example.org/contexts/extra.json"))
                        .build(),
                "TAMPERED",
                "https://example.org/contexts/extra.json is not bundled");
        add(
                credentials,
                "no-proof",
                Json.createObjectBuilder(valid).remove("proof").build(),
                "TAMPERED",
                "the credential has no proof");
        String otherDid = ControllerDocuments.didWeb(NODE_URL) + ":Org2MSP";
        add(
                credentials,
                "other-organisations-key",
                sign(unsigned, other, otherDid + "#" + otherOrganisation.fragment()),
                "TAMPERED",
                "is not a key of the issuer " + did);
        add(
                credentials,
                "unlisted-key",
                sign(unsigned, other, did + "#" + otherOrganisation.fragment()),
                "UNKNOWN_SIGNER",
                "the issuer key " + did + "#" + otherOrganisation.fragment() + " is not");
        add(credentials, "another-issuer-did-key", anotherIssuer(other), "VALID", "signed by did:key:");
        StatusList list = StatusList.empty();
        list.set(REVOKED_INDEX);
        JsonObject signedList = DataIntegrity.sign(
                list.credential(STATUS_LIST, documents.nodeDid(), SIGNED_AT),
                ProofSigner.ecdsa(node, documents.nodeMethod()),
                SIGNED_AT,
                Contexts.bundled());
        out.put("statusList", signedList.toString());
        out.put("revokedIndex", REVOKED_INDEX);
        out.put("clearIndex", CREDENTIAL_INDEX);
        return out;
    }

    private static void add(ArrayNode vectors, String name, JsonObject credential, String verdict, String reason) {
        ObjectNode vector = vectors.addObject();
        vector.put("name", name);
        vector.put("json", credential.toString());
        vector.put("verdict", verdict);
        vector.put("reasonContains", reason);
    }

    private static JsonObject sign(JsonObject unsigned, Ed25519PrivateKey key, String method) {
        return DataIntegrity.sign(unsigned, ProofSigner.eddsa(key, method), SIGNED_AT, Contexts.bundled());
    }

    /** The OB 3.0 specification's example credential, its issuer a did:key that signs it. */
    private static JsonObject anotherIssuer(Ed25519PrivateKey key) throws Exception {
        String didKey = "did:key:" + new VerificationKey.Ed25519(key.publicKey()).multibase();
        JsonObject example;
        try (InputStream in = CredentialVectorsTest.class.getResourceAsStream("ob3-basic-example.json")) {
            example = Json.createReader(in).readObject();
        }
        JsonObject unsigned = Json.createObjectBuilder(example)
                .add(
                        "issuer",
                        Json.createObjectBuilder(example.getJsonObject("issuer"))
                                .add("id", didKey))
                .build();
        return sign(unsigned, key, didKey + "#" + didKey.substring("did:key:".length()));
    }

    private static TrainingRecord record(Map<String, String> changes) {
        Map<String, String> row = TestData.vectorRow();
        row.putAll(changes);
        return new RecordValidator().validate(new RawRow(1, row, List.of())).record();
    }

    private static final String ORG1_SEED = "02fe5582caa2fc3d738bdccacf77f077d0aac012fd8db7f45883c92f49d5ba46";
    private static final String OTHER_SEED = "7bb93a5521a760e61fd9c96cefbd7842cc476556ef8da0652d1e4be167fa8be1";
    private static final String NODE_PKCS8 =
            "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgz3GofT21xsRyFqlXBVd1/DaE0wrUIDs4uhMO"
                    + "Xlxz84yhRANCAAQQ6N0shz0M6wp19CoB988NniO8KP42dYYkpSz/7SfYtTiCiMXS+y/f8zf7TDghGw4Aifwrs4E9QJltIV711gu4";
}
