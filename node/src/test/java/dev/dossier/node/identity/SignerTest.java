package dev.dossier.node.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dossier.crypto.testing.TestPki;
import dev.dossier.crypto.testing.TestPki.Ca;
import dev.dossier.crypto.testing.TestPki.Keys;
import dev.dossier.crypto.testing.TestPki.Leaf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignerTest {
    private static final Ca CA = Ca.create("ca.org1.test");

    @TempDir
    Path directory;

    @Test
    void fromPem_pkcs8_signsVerifiably() throws Exception {
        Leaf leaf = CA.issue("node0.org1.test");
        Path certificate = Files.writeString(directory.resolve("cert.pem"), leaf.certificatePem());
        Path key = Files.writeString(directory.resolve("priv_sk"), leaf.keys().pkcs8Pem());

        Signer signer = Signer.fromPem("Org1MSP", certificate, key);

        assertThat(signer.mspId()).isEqualTo("Org1MSP");
        assertThat(signer.certificate()).isEqualTo(leaf.certificate());
        Identity identity =
                new IdentityValidator(List.of(TestMsps.msp(CA, "Org1MSP"))).validate(signer.serializedIdentity());
        identity.verify(TestPki.utf8("hello"), signer.sign(TestPki.utf8("hello")));
    }

    @Test
    void fromPem_sec1_signsVerifiably() throws Exception {
        Leaf leaf = CA.issue("node0.org1.test");
        Path certificate = Files.writeString(directory.resolve("cert.pem"), leaf.certificatePem());
        Path key = Files.writeString(directory.resolve("key.pem"), leaf.keys().sec1Pem());

        Signer signer = Signer.fromPem("Org1MSP", certificate, key);

        Identity identity =
                new IdentityValidator(List.of(TestMsps.msp(CA, "Org1MSP"))).validate(signer.serializedIdentity());
        identity.verify(TestPki.utf8("hello"), signer.sign(TestPki.utf8("hello")));
    }

    @Test
    void signDigest_ofTheMessagesSha256_isTheSignatureOfTheMessage() throws Exception {
        Leaf leaf = CA.issue("node0.org1.test");
        Signer signer = TestMsps.signer(leaf, "Org1MSP", directory);
        byte[] message = TestPki.utf8("a proposal response payload");

        byte[] signature = signer.signDigest(
                java.security.MessageDigest.getInstance("SHA-256").digest(message));

        assertThat(signature).isEqualTo(signer.sign(message));
        Identity identity =
                new IdentityValidator(List.of(TestMsps.msp(CA, "Org1MSP"))).validate(signer.serializedIdentity());
        identity.verify(message, signature);
        assertThatThrownBy(() -> signer.signDigest(new byte[31])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void serializedIdentity_holdsMspIdAndPemCertificate() throws Exception {
        Leaf leaf = CA.issue("node0.org1.test");
        Signer signer = TestMsps.signer(leaf, "Org1MSP", directory);

        SerializedIdentity parsed = SerializedIdentity.parseFrom(signer.serializedIdentity());

        assertThat(parsed.getMspid()).isEqualTo("Org1MSP");
        assertThat(parsed.getIdBytes().toStringUtf8()).isEqualTo(leaf.certificatePem());
        assertThat(leaf.certificatePem())
                .startsWith("-----BEGIN CERTIFICATE-----\n")
                .endsWith("-----END CERTIFICATE-----\n");
    }

    @Test
    void fromPem_keyOfAnotherCertificate_throws() throws Exception {
        Leaf leaf = CA.issue("node0.org1.test");
        Path certificate = Files.writeString(directory.resolve("cert.pem"), leaf.certificatePem());
        Path key = Files.writeString(directory.resolve("priv_sk"), Keys.p256().pkcs8Pem());

        assertThatThrownBy(() -> Signer.fromPem("Org1MSP", certificate, key))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("private key does not belong to the certificate");
    }

    @Test
    void fromPem_p384Key_throws() throws Exception {
        Keys p384 = Keys.onCurve("P-384");
        Leaf leaf = CA.issue(
                "node0.org1.test", p384, TestPki.NOW.minusSeconds(60), TestPki.NOW.plusSeconds(60), java.util.Map.of());
        Path certificate = Files.writeString(directory.resolve("cert.pem"), leaf.certificatePem());
        Path key = Files.writeString(directory.resolve("priv_sk"), p384.pkcs8Pem());

        assertThatThrownBy(() -> Signer.fromPem("Org1MSP", certificate, key))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("P-256");
    }

    @Test
    void fromPem_notPem_throws() throws Exception {
        Path junk = Files.writeString(directory.resolve("junk"), "junk");

        assertThatThrownBy(() -> Signer.fromPem("Org1MSP", junk, junk)).isInstanceOf(IOException.class);
    }

    @Test
    void toString_doesNotRevealKey() throws Exception {
        Signer signer = TestMsps.signer(CA.issue("node0.org1.test"), "Org1MSP", directory);

        assertThat(signer.toString()).isEqualTo("Signer[Org1MSP CN=node0.org1.test,OU=client,O=test,C=IT]");
    }
}
