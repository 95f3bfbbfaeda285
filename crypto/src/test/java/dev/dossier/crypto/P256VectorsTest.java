package dev.dossier.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.SignatureException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Golden vectors from OpenSSL and RFC 6979 (see {@code src/test/resources/vectors/README.md}). */
class P256VectorsTest {
    @TempDir
    Path directory;

    private Path vector(String name) {
        try (InputStream in = P256VectorsTest.class.getResourceAsStream("/vectors/" + name)) {
            Path file = directory.resolve(name);
            Files.write(file, in.readAllBytes());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] bytes(String name) throws IOException {
        return Files.readAllBytes(vector(name));
    }

    @Test
    void sec1AndPkcs8_ofTheSameKey_giveTheSameKey() throws Exception {
        P256PrivateKey sec1 = Pem.readPrivateKey(vector("key-sec1.pem"));
        P256PrivateKey pkcs8 = Pem.readPrivateKey(vector("key-pkcs8.pem"));
        P256PrivateKey withParameters = Pem.readPrivateKey(vector("key-sec1-with-parameters.pem"));
        assertThat(pkcs8.publicKey()).isEqualTo(sec1.publicKey());
        assertThat(withParameters.publicKey()).isEqualTo(sec1.publicKey());
        assertThat(pkcs8.toPkcs8()).isEqualTo(sec1.toPkcs8());
    }

    @Test
    void publicKey_isOpensslsPublicKey() throws Exception {
        P256PrivateKey key = Pem.readPrivateKey(vector("key-sec1.pem"));
        byte[] spki = Pem.decodeStrict("PUBLIC KEY", bytes("public.pem")).orElseThrow();
        assertThat(P256PublicKey.fromSubjectPublicKeyInfo(spki)).isEqualTo(key.publicKey());
        assertThat(key.publicKey().subjectPublicKeyInfo()).isEqualTo(spki);
    }

    @Test
    void verify_opensslLowSSignature_passes() throws Exception {
        P256PrivateKey key = Pem.readPrivateKey(vector("key-pkcs8.pem"));
        key.publicKey().verify(bytes("message.txt"), bytes("openssl-low-s.sig"));
    }

    @Test
    void verify_opensslHighSSignature_throwsAndVerifiesOnceNormalised() throws Exception {
        P256PublicKey key = Pem.readPrivateKey(vector("key-pkcs8.pem")).publicKey();
        byte[] highS = bytes("openssl-high-s.sig");
        assertThatThrownBy(() -> key.verify(bytes("message.txt"), highS))
                .isInstanceOf(SignatureException.class)
                .hasMessageContaining("low-S");
        byte[] lowS = EcdsaSignature.fromDer(highS).toLowS().toDer();
        key.verify(bytes("message.txt"), lowS);
    }

    @Test
    void sign_isDeterministic_andEqualsTheVectorOpensslVerified() throws Exception {
        P256PrivateKey key = Pem.readPrivateKey(vector("key-sec1.pem"));
        assertThat(key.sign(bytes("message.txt"))).isEqualTo(bytes("dossier-rfc6979.sig"));
    }

    @Test
    void verify_modifiedMessage_throws() throws Exception {
        P256PublicKey key = Pem.readPrivateKey(vector("key-sec1.pem")).publicKey();
        byte[] message = bytes("message.txt");
        message[0] ^= 1;
        assertThatThrownBy(() -> key.verify(message, bytes("openssl-low-s.sig")))
                .isInstanceOf(SignatureException.class)
                .hasMessage("signature does not verify");
    }

    /** RFC 6979 appendix A.2.5, P-256 with SHA-256, message "sample": the signature, then its low-S form. */
    @Test
    void signDigest_rfc6979Vector_givesItsSignatureInLowSForm() throws Exception {
        HexFormat hex = HexFormat.of();
        byte[] pkcs8 = hex.parseHex("308141020100301306072a8648ce3d020106082a8648ce3d030107042730250201010420"
                + "c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721");
        P256PrivateKey key = P256PrivateKey.fromPkcs8(pkcs8);
        assertThat(hex.formatHex(key.publicKey().encoded()))
                .isEqualTo("04" + "60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6"
                        + "7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299");
        BigInteger r = new BigInteger("efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716", 16);
        BigInteger s = new BigInteger("f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8", 16);
        byte[] signature = key.sign("sample".getBytes(UTF_8));
        assertThat(EcdsaSignature.fromDer(signature))
                .isEqualTo(new EcdsaSignature(r, EcdsaSignature.P256_ORDER.subtract(s)));
        // the same signature in COSE's and JWS's fixed form, r || s, 32 bytes each
        assertThat(hex.formatHex(key.signFixed("sample".getBytes(UTF_8))))
                .isEqualTo("efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716"
                        + "%064x".formatted(EcdsaSignature.P256_ORDER.subtract(s)));
    }

    @Test
    void sign_withRandomNonce_isLowSAndVerifies() throws Exception {
        P256PrivateKey key = P256PrivateKey.generate();
        SecureRandom random = new SecureRandom();
        byte[] message = "message".getBytes(UTF_8);
        for (int i = 0; i < 32; i++) {
            byte[] signature = key.sign(message, random);
            assertThat(EcdsaSignature.fromDer(signature).isLowS()).isTrue();
            key.publicKey().verify(message, signature);
        }
    }

    @Test
    void sign_deterministic_isAlwaysLowS() throws Exception {
        P256PrivateKey key = P256PrivateKey.generate();
        for (int i = 0; i < 64; i++) {
            byte[] message = ("message " + i).getBytes(UTF_8);
            byte[] signature = key.sign(message);
            assertThat(EcdsaSignature.fromDer(signature).isLowS()).isTrue();
            key.publicKey().verify(message, signature);
        }
    }

    @Test
    void verifyDigest_ofTheOpensslVectorsDigest_passes_andOfAnotherDigest_throws() throws Exception {
        P256PublicKey key = Pem.readPrivateKey(vector("key-pkcs8.pem")).publicKey();
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(bytes("message.txt"));

        key.verifyDigest(digest, bytes("openssl-low-s.sig"));
        digest[0] ^= 1;
        assertThatThrownBy(() -> key.verifyDigest(digest, bytes("openssl-low-s.sig")))
                .isInstanceOf(SignatureException.class)
                .hasMessage("signature does not verify");
        assertThatThrownBy(() -> key.verifyDigest(new byte[31], bytes("openssl-low-s.sig")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void signDigest_wrongLength_throws() {
        assertThatThrownBy(() -> P256PrivateKey.generate().signDigest(new byte[31]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toString_showsNoPrivateKey() throws Exception {
        P256PrivateKey key = Pem.readPrivateKey(vector("key-sec1.pem"));
        String d = HexFormat.of().formatHex(key.toPkcs8()).substring(72, 100);
        assertThat(key.toString()).doesNotContain(d).startsWith("P256PrivateKey[public ");
    }
}
