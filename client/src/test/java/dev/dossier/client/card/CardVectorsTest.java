package dev.dossier.client.card;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.zxing.EncodeHintType;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import com.google.zxing.qrcode.decoder.Mode;
import com.google.zxing.qrcode.encoder.Encoder;
import com.google.zxing.qrcode.encoder.QRCode;
import dev.dossier.client.TestData;
import dev.dossier.client.record.RawRow;
import dev.dossier.client.record.RecordValidator;
import dev.dossier.client.record.TrainingRecord;
import dev.dossier.common.card.CardCheck;
import dev.dossier.common.card.CardKey;
import dev.dossier.common.card.CardVerifier;
import dev.dossier.common.note.NoteVerifier;
import dev.dossier.common.note.TrustFile;
import dev.dossier.crypto.P256PrivateKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The card's golden vectors, {@code src/test/resources/vectors/card-v1.json}, which the verify page's tests check too
 * ({@code src/test/web/card.test.mjs}): every card there is re-signed from its row and must be the same text (RFC 6979
 * signatures are deterministic), and verifies to its expected verdict and facts, written in the file from the row.
 * {@code -Ddossier.writeCardVectors=true} rewrites the file after a deliberate format change. Also the size bar: the
 * card with a 60-character title fits QR version 19 at error correction Q, in alphanumeric mode.
 */
class CardVectorsTest {
    static final Path FILE = Path.of("src/test/resources/vectors/card-v1.json");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Instant SIGNED_AT = Instant.parse("2025-06-02T10:00:00Z");
    private static final LocalDate TODAY = LocalDate.of(2026, 3, 1);

    /** Rows of the vectors: name, changes to {@link TestData#validRow()}, expected verdict, whose key signs. */
    private static List<Object[]> cases() {
        Map<String, String> sizeBar = new LinkedHashMap<>();
        sizeBar.put("worker_given_name", "Maria Giuseppina");
        sizeBar.put("worker_family_name", "Dell'Acqua Esposito");
        sizeBar.put("course_code", "SIC-PS-2025-B");
        sizeBar.put("course_title", "Addetto al primo soccorso aziende di gruppo B e C, modulo A1"); // 60
        sizeBar.put("provider_name", "Scuola Edile di Roma e Provincia - CPT");
        sizeBar.put("workload_hours", "12.5");
        return List.of(
                new Object[] {"valid", Map.of(), "VALID", "trusted"},
                new Object[] {"size-bar", sizeBar, "VALID", "trusted"},
                new Object[] {
                    "accented",
                    Map.of("worker_given_name", "Nicolò", "worker_family_name", "Ça Ñùñez"),
                    "VALID",
                    "trusted"
                },
                new Object[] {"expired", Map.of("valid_until", "2026-02-28"), "EXPIRED", "trusted"},
                new Object[] {"unknown-signer", Map.of(), "UNKNOWN_SIGNER", "untrusted"});
    }

    @Test
    void vectors_matchTheFile() throws Exception {
        JsonNode file = matchTheFile(FILE, generate());
        TrustFile trust = TrustFile.parse(file.get("trustFile").asText());
        CardVerifier verifier = new CardVerifier(trust.cardKeys());
        LocalDate today = LocalDate.parse(file.get("today").asText());
        for (JsonNode vector : file.get("cards")) {
            CardCheck check = verifier.verify(vector.get("text").asText(), today);
            String name = vector.get("name").asText();
            assertThat(check.verdict().name())
                    .as(name)
                    .isEqualTo(vector.get("verdict").asText());
            assertThat(check.digestHex())
                    .as(name)
                    .isEqualTo(vector.get("digest").asText());
            if (vector.has("facts")) {
                JsonNode facts = vector.get("facts");
                assertThat(check.card().givenName())
                        .isEqualTo(facts.get("givenName").asText());
                assertThat(check.card().familyName())
                        .isEqualTo(facts.get("familyName").asText());
                assertThat(check.card().birthDate())
                        .hasToString(facts.get("birthDate").asText());
                assertThat(check.card().courseTitle())
                        .isEqualTo(facts.get("courseTitle").asText());
                assertThat(check.card().validUntil())
                        .hasToString(facts.get("validUntil").asText());
                assertThat(check.card().commitmentHex())
                        .isEqualTo(facts.get("commitment").asText());
                assertThat(check.card().issuer()).isEqualTo(facts.get("issuer").asText());
            } else {
                assertThat(check.card()).as(name).isNull();
            }
        }
    }

    @Test
    void sizeBar_sixtyCharacterTitle_fitsVersion19AtQ_alphanumeric() throws Exception {
        JsonNode file = JSON.readTree(FILE.toFile());
        String text = null;
        for (JsonNode vector : file.get("cards")) {
            if (vector.get("name").asText().equals("size-bar")) {
                text = vector.get("text").asText();
                assertThat(vector.get("facts").get("courseTitle").asText()).hasSize(60);
            }
        }
        assertThat(text).hasSizeLessThanOrEqualTo(600);
        QRCode qr = Encoder.encode(text, ErrorCorrectionLevel.Q, Map.of(EncodeHintType.ERROR_CORRECTION, "Q"));
        assertThat(qr.getMode()).isEqualTo(Mode.ALPHANUMERIC);
        assertThat(qr.getVersion().getVersionNumber()).isLessThanOrEqualTo(19);
    }

    private static ObjectNode generate() throws Exception {
        P256PrivateKey trusted = key(TRUSTED_PKCS8);
        P256PrivateKey untrusted = key(UNTRUSTED_PKCS8);
        CardKey trustedKey = org1Key(trusted);
        CardKey untrustedKey = org1Key(untrusted);
        ObjectNode out = JSON.createObjectNode();
        out.put(
                "about",
                "Golden vectors of the inspector's card (docs/card.md), checked by CardVectorsTest (Java) and"
                        + " card.test.mjs (the verify page). Test keys only: the private keys are public.");
        out.put("today", TODAY.toString());
        NoteVerifier.Key node = new NoteVerifier.Key(
                "node0.org1.dossier.local",
                KeyFactory.getInstance("EC")
                        .generatePublic(
                                new X509EncodedKeySpec(untrusted.publicKey().subjectPublicKeyInfo())));
        out.put(
                "trustFile",
                TrustFile.majority("dossier/dossier/notary", List.of(node))
                        .withCardKeys(List.of(trustedKey))
                        .format());
        out.put("trustedKeyPkcs8", TRUSTED_PKCS8);
        out.put("untrustedKeyPkcs8", UNTRUSTED_PKCS8);
        ArrayNode cards = out.putArray("cards");
        int n = 0;
        for (Object[] c : cases()) {
            @SuppressWarnings("unchecked")
            Map<String, String> changes = (Map<String, String>) c[1];
            Map<String, String> row = TestData.vectorRow();
            row.putAll(changes);
            TrainingRecord record = new RecordValidator()
                    .validate(new RawRow(1, row, List.of()))
                    .record();
            byte[] commitment = new byte[32];
            commitment[0] = (byte) ++n;
            commitment[31] = (byte) 0xcc;
            boolean isTrusted = c[3].equals("trusted");
            CardIssuer issuer =
                    isTrusted ? new CardIssuer(trusted, trustedKey) : new CardIssuer(untrusted, untrustedKey);
            String text = issuer.issue(record, commitment, SIGNED_AT);
            ObjectNode vector = cards.addObject();
            vector.put("name", (String) c[0]);
            vector.put("text", text);
            vector.put("digest", HexFormat.of().formatHex(sha256(text)));
            vector.put("verdict", (String) c[2]);
            if (isTrusted) {
                ObjectNode facts = vector.putObject("facts");
                facts.put("givenName", row.get("worker_given_name"));
                facts.put("familyName", row.get("worker_family_name"));
                facts.put("birthDate", row.get("worker_birth_date"));
                facts.put("courseTitle", row.get("course_title"));
                facts.put("validUntil", row.getOrDefault("valid_until", "2028-06-01"));
                facts.put("commitment", HexFormat.of().formatHex(commitment));
                facts.put("issuer", "Org1MSP");
            }
        }
        return out;
    }

    /**
     * @return the vectors file, which must hold {@code expected}; rewritten first with {@code
     *     -Ddossier.writeCardVectors=true}
     */
    static JsonNode matchTheFile(Path path, ObjectNode expected) throws Exception {
        if (Boolean.getBoolean("dossier.writeCardVectors")) {
            Files.writeString(path, JSON.writeValueAsString(expected) + "\n");
        }
        JsonNode file = JSON.readTree(path.toFile());
        assertThat(file).isEqualTo(expected);
        return file;
    }

    /** @return the digest of a card's text (either kind: both prefixes are 4 characters) */
    static byte[] sha256(String text) throws Exception {
        byte[] cose = dev.dossier.common.card.Base45.decode(text.substring(4));
        return java.security.MessageDigest.getInstance("SHA-256").digest(cose);
    }

    /** @return Org1's card key of the vectors, valid 2025 to 2027, for {@code key} */
    static CardKey org1Key(P256PrivateKey key) {
        return new CardKey(
                "Org1MSP",
                LocalDate.of(2025, 1, 1),
                LocalDate.of(2027, 12, 31),
                key.publicKey().subjectPublicKeyInfo());
    }

    static P256PrivateKey key(String pkcs8) throws Exception {
        return P256PrivateKey.fromPkcs8(Base64.getDecoder().decode(pkcs8));
    }

    private static final String TRUSTED_PKCS8 =
            "MEECAQAwEwYHKoZIzj0CAQYIKoZIzj0DAQcEJzAlAgEBBCC7pH0jsQ+jXeW5xFEcLcI8Sc62qxDPN6bfMpEEWjxnMg==";
    private static final String UNTRUSTED_PKCS8 =
            "MEECAQAwEwYHKoZIzj0CAQYIKoZIzj0DAQcEJzAlAgEBBCDSYeYDz65UY5r8T0bpcEdJqj/Di8/g5fQ5ozfInlnX/w==";
}
