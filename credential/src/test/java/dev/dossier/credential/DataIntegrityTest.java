package dev.dossier.credential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dossier.crypto.Ed25519PrivateKey;
import dev.dossier.crypto.P256PrivateKey;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The {@code eddsa-rdfc-2022} test vectors of W3C's Data Integrity EdDSA Cryptosuites v1.0 (w3c/vc-di-eddsa,
 * {@code TestVectors/}): the canonical forms, and the proof value, byte for byte.
 */
class DataIntegrityTest {
    static final String EXAMPLES_V2 = "https://www.w3.org/ns/credentials/examples/v2";
    static final Contexts CONTEXTS = Contexts.bundled().with(EXAMPLES_V2, resource("credentials-examples-v2.jsonld"));

    static byte[] resource(String name) {
        try (InputStream in = DataIntegrityTest.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(name, e);
        }
    }

    static JsonObject json(String resource) {
        return Json.createReader(new StringReader(new String(resource(resource), StandardCharsets.UTF_8)))
                .readObject();
    }

    /** The vector's key: multicodec ed25519-priv (0x8026) and the 32-byte seed. */
    static Ed25519PrivateKey vectorKey() throws Exception {
        byte[] decoded =
                Multibase.decodeBase58btc(json("vc-di-eddsa-keyPair.json").getString("privateKeyMultibase"));
        assertThat(Arrays.copyOf(decoded, 2)).containsExactly(0x80, 0x26);
        return Ed25519PrivateKey.fromSeed(Arrays.copyOfRange(decoded, 2, 34));
    }

    @Test
    void reproducesTheW3cVectorByteForByte() throws Exception {
        JsonObject signed = json("vc-di-eddsa-signedDataInt.json");
        JsonObject unsecured = Json.createObjectBuilder(signed).remove("proof").build();
        JsonObject proof = signed.getJsonObject("proof");

        assertThat(new String(DataIntegrity.canonical(unsecured, CONTEXTS), StandardCharsets.UTF_8))
                .isEqualTo(new String(resource("vc-di-eddsa-canonDocDataInt.txt"), StandardCharsets.UTF_8));
        Ed25519PrivateKey key = vectorKey();
        assertThat(new VerificationKey.Ed25519(key.publicKey()).multibase())
                .isEqualTo(json("vc-di-eddsa-keyPair.json").getString("publicKeyMultibase"));

        JsonObject ours = DataIntegrity.sign(
                unsecured,
                ProofSigner.eddsa(key, proof.getString("verificationMethod")),
                Instant.parse(proof.getString("created")),
                CONTEXTS);
        assertThat(ours.getJsonObject("proof").getString("proofValue")).isEqualTo(proof.getString("proofValue"));
    }

    @Test
    void verifiesTheW3cVectorAndRefusesAnyChange() throws Exception {
        JsonObject signed = json("vc-di-eddsa-signedDataInt.json");
        DataIntegrity.Verified verified = DataIntegrity.verify(signed, Dids::didKey, CONTEXTS);
        assertThat(verified.cryptosuite()).isEqualTo("eddsa-rdfc-2022");
        assertThat(verified.created()).isEqualTo("2023-02-24T23:36:38Z");

        JsonObject renamed = Json.createObjectBuilder(signed)
                .add("name", "Alumni Credentia1")
                .build();
        assertThatThrownBy(() -> DataIntegrity.verify(renamed, Dids::didKey, CONTEXTS))
                .isInstanceOf(ProofException.class)
                .hasMessageContaining("does not verify");
        JsonObject later = Json.createObjectBuilder(signed)
                .add(
                        "proof",
                        Json.createObjectBuilder(signed.getJsonObject("proof")).add("created", "2023-02-25T23:36:38Z"))
                .build();
        assertThatThrownBy(() -> DataIntegrity.verify(later, Dids::didKey, CONTEXTS))
                .hasMessageContaining("does not verify");
    }

    @Test
    void refusesAContextThatIsNotBundledWithoutFetchingIt() {
        JsonObject signed = json("vc-di-eddsa-signedDataInt.json");
        assertThatThrownBy(() -> DataIntegrity.verify(signed, Dids::didKey, Contexts.bundled()))
                .isInstanceOf(ProofException.class)
                .hasMessageContaining("context " + EXAMPLES_V2 + " is not bundled with Dossier");
    }

    @Test
    void ecdsaRdfc2019RoundTripsWithAP256Key() throws Exception {
        JsonObject unsecured = Json.createObjectBuilder(json("vc-di-eddsa-signedDataInt.json"))
                .remove("proof")
                .build();
        P256PrivateKey key = P256PrivateKey.generate();
        VerificationKey publicKey = new VerificationKey.P256(key.publicKey());
        String method = "did:key:" + publicKey.multibase() + "#" + publicKey.multibase();
        JsonObject signed = DataIntegrity.sign(unsecured, ProofSigner.ecdsa(key, method), Instant.now(), CONTEXTS);

        assertThat(DataIntegrity.verify(signed, Dids::didKey, CONTEXTS).cryptosuite())
                .isEqualTo("ecdsa-rdfc-2019");
        assertThat(VerificationKey.fromMultibase(publicKey.multibase())).isEqualTo(publicKey);
    }
}
