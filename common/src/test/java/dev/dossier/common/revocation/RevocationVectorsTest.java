package dev.dossier.common.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dossier.common.json.Json;
import dev.dossier.common.json.JsonReader;
import dev.dossier.common.note.FixedKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The revocation list's golden vectors, {@code src/test/resources/vectors/revocations-v1.json}, which the verify page's
 * tests check too ({@code client/src/test/web/revocations.test.mjs}): a full list and a delta signed by the fixed test
 * key of the trust file, one signed by a key the trust file does not list, one with an altered entry; and what a
 * verifier must conclude of each, written here by hand. ECDSA signatures are randomised, so the file is written once
 * ({@code -Ddossier.writeRevocationVectors=true} after a deliberate format change) and then only read.
 */
class RevocationVectorsTest {
    static final Path FILE = Path.of("src/test/resources/vectors/revocations-v1.json");

    static final String A = "0111111111111111" + "aa".repeat(24);
    static final String B = "8022222222222222" + "bb".repeat(24);
    static final String C = "ff33333333333333" + "cc".repeat(24);
    static final String D = "7f44444444444444" + "dd".repeat(24);
    static final String E = "8022222222222223" + "ee".repeat(24);
    /** Shares its first 8 bytes with B: a chance match, on the list. */
    static final String B_TWIN = "8022222222222222" + "99".repeat(24);

    static final String ABSENT = "00".repeat(32);

    /** What each commitment is after the full list (version 3) and after the delta (version 5), by hand. */
    static Map<String, Object> expected() {
        Map<String, Object> full = new LinkedHashMap<>();
        full.put(A, "REVOKED");
        full.put(B, "REVOKED");
        full.put(B_TWIN, "REVOKED");
        full.put(C, "SUPERSEDED");
        full.put(D, null);
        full.put(E, null);
        full.put(ABSENT, null);
        Map<String, Object> merged = new LinkedHashMap<>(full);
        merged.put(C, "REVOKED");
        merged.put(D, "REVOKED");
        merged.put(E, "SUPERSEDED");
        return Map.of(
                "full", Map.of("version", 3L, "height", 10L, "time", 1_767_225_600L, "statuses", full),
                "merged", Map.of("version", 5L, "height", 12L, "time", 1_767_229_200L, "statuses", merged));
    }

    private static long prefix(String hex) {
        return Long.parseUnsignedLong(hex.substring(0, 16), 16);
    }

    private static String write() throws Exception {
        RevocationList full = new RevocationList(
                RevocationListTest.ORIGIN, 3, 0, 10, 1_767_225_600L, new long[] {prefix(A), prefix(B)}, new long[] {
                    prefix(C)
                });
        RevocationList delta = new RevocationList(
                RevocationListTest.ORIGIN, 5, 3, 12, 1_767_229_200L, new long[] {prefix(D), prefix(C)}, new long[] {
                    prefix(E)
                });
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        byte[] altered = RevocationListTest.signed(full);
        altered[altered.length - 1] ^= 0x01;
        Map<String, Object> file = new LinkedHashMap<>();
        file.put(
                "about",
                "Golden vectors of the signed revocation list (docs/card.md), checked by RevocationVectorsTest (Java) and"
                        + " revocations.test.mjs (the verify page). Test key only: its private key is public.");
        file.put("trustFile", FixedKey.trust(RevocationListTest.ORIGIN).format());
        Base64.Encoder base64 = Base64.getEncoder();
        file.put("full", base64.encodeToString(RevocationListTest.signed(full)));
        file.put("delta", base64.encodeToString(RevocationListTest.signed(delta)));
        file.put(
                "unknownKey",
                base64.encodeToString(RevocationListTest.signedBy(full, "stranger", generator.generateKeyPair())));
        file.put("alteredEntry", base64.encodeToString(altered));
        file.put("expect", expected());
        return Json.write(file);
    }

    @Test
    void vectors_readToTheirExpectedStatuses() throws Exception {
        if (Boolean.getBoolean("dossier.writeRevocationVectors")) {
            Files.writeString(FILE, write() + "\n");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> file = (Map<String, Object>) JsonReader.parse(Files.readString(FILE));
        assertThat(file.get("expect")).isEqualTo(expected());
        var trust = dev.dossier.common.note.TrustFile.parse((String) file.get("trustFile"));
        Base64.Decoder base64 = Base64.getDecoder();
        RevocationList full = RevocationList.read(base64.decode((String) file.get("full")), trust);
        RevocationList merged = full.applying(RevocationList.read(base64.decode((String) file.get("delta")), trust));
        for (Map.Entry<String, RevocationList> list :
                Map.of("full", full, "merged", merged).entrySet()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> expect = (Map<String, Object>) expected().get(list.getKey());
            assertThat(list.getValue().version()).isEqualTo(expect.get("version"));
            assertThat(list.getValue().height()).isEqualTo(expect.get("height"));
            assertThat(list.getValue().time().getEpochSecond()).isEqualTo(expect.get("time"));
            @SuppressWarnings("unchecked")
            Map<String, Object> statuses = (Map<String, Object>) expect.get("statuses");
            for (Map.Entry<String, Object> status : statuses.entrySet()) {
                RevocationList.Status actual =
                        list.getValue().statusOf(java.util.HexFormat.of().parseHex(status.getKey()));
                assertThat(actual == null ? null : actual.name())
                        .as("%s in the %s list", status.getKey(), list.getKey())
                        .isEqualTo(status.getValue());
            }
        }
        assertThatThrownBy(() -> RevocationList.read(base64.decode((String) file.get("unknownKey")), trust))
                .hasMessageStartingWith("revocation list refused, it is not signed by a node of the trust file");
        assertThatThrownBy(() -> RevocationList.read(base64.decode((String) file.get("alteredEntry")), trust))
                .hasMessage("revocation list refused: the entries do not match the signed header's SHA-256 (altered)");
    }
}
