package dev.dossier.crypto;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemTest {
    @TempDir
    Path directory;

    private static X509Certificate selfSigned(String name) {
        P256PrivateKey key = P256PrivateKey.generate();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return CertificateBuilder.issuedBy(new X500Name("CN=" + name), key)
                .subject(new X500Name("CN=" + name), key.publicKey())
                .serial(BigInteger.TEN)
                .validity(now, now.plusSeconds(3600))
                .basicConstraints(true)
                .keyUsage(KeyUsage.keyCertSign)
                .subjectKeyIdentifier()
                .build();
    }

    @Test
    void encode_certificate_isGoStylePem() throws Exception {
        X509Certificate certificate = selfSigned("a");
        String pem = Pem.encode(certificate);
        assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----\n").endsWith("-----END CERTIFICATE-----\n");
        assertThat(pem).doesNotContain("\r");
        String[] lines = pem.split("\n");
        for (int i = 1; i < lines.length - 2; i++) {
            assertThat(lines[i]).hasSize(64);
        }
        String body = pem.replace("-----BEGIN CERTIFICATE-----", "")
                .replace("-----END CERTIFICATE-----", "")
                .replace("\n", "");
        byte[] der = certificate.getEncoded();
        assertThat(Base64.getDecoder().decode(body)).isEqualTo(der);
        assertThat(Pem.decodeStrict("CERTIFICATE", pem.getBytes(US_ASCII)))
                .hasValueSatisfying(decoded -> assertThat(decoded).isEqualTo(der));
    }

    @Test
    void readCertificates_bundle_readsAllInOrder() throws Exception {
        X509Certificate a = selfSigned("a");
        X509Certificate b = selfSigned("b");
        Path file = Files.writeString(directory.resolve("bundle.pem"), Pem.encode(a) + Pem.encode(b));
        assertThat(Pem.readCertificates(file)).containsExactly(a, b);
        assertThat(Pem.readCertificate(file)).isEqualTo(a);
    }

    @Test
    void readCertificate_der_isReadToo() throws Exception {
        X509Certificate a = selfSigned("a");
        Path file = Files.write(directory.resolve("a.der"), a.getEncoded());
        assertThat(Pem.readCertificate(file)).isEqualTo(a);
    }

    @Test
    void readCertificate_keyFile_throwsNamingTheFile() throws Exception {
        Path file = Files.writeString(directory.resolve("key.pem"), Pem.encode(P256PrivateKey.generate()));
        assertThatThrownBy(() -> Pem.readCertificate(file))
                .isInstanceOfSatisfying(PemException.class, e -> {
                    assertThat(e.file()).isEqualTo(file);
                    assertThat(e.problem()).isEqualTo("not a PEM X.509 certificate");
                })
                .hasMessage(file + ": not a PEM X.509 certificate");
    }

    @Test
    void readPrivateKey_missingFile_throwsNamingTheFile() {
        Path file = directory.resolve("absent.pem");
        assertThatThrownBy(() -> Pem.readPrivateKey(file))
                .isInstanceOf(PemException.class)
                .hasMessageStartingWith(file + ": cannot read");
    }

    @Test
    void readPrivateKey_certificateFile_throws() throws Exception {
        Path file = Files.writeString(directory.resolve("cert.pem"), Pem.encode(selfSigned("a")));
        assertThatThrownBy(() -> Pem.readPrivateKey(file))
                .isInstanceOf(PemException.class)
                .hasMessage(file + ": not an unencrypted PRIVATE KEY or EC PRIVATE KEY PEM");
    }

    @Test
    void readPrivateKey_otherCurve_throws() throws Exception {
        // a secp256k1 key in SEC1 form, from `openssl ecparam -name secp256k1 -genkey -noout`
        String pem = "-----BEGIN EC PRIVATE KEY-----\n"
                + "MHQCAQEEIDQr5Y8DfJ2UV3D8Ei+FqzRZu4El5Gdwbn6FaDai9jC+oAcGBSuBBAAK\n"
                + "oUQDQgAEwi0xw1NXq002Qykz9cmg0jUUuST63+73SHrf/w/ZdjNKlRJdq2naGBUp\n"
                + "AHpgahLN2y2XO45mUk+3y1kj0d0HZg==\n"
                + "-----END EC PRIVATE KEY-----\n";
        Path file = Files.writeString(directory.resolve("k1.pem"), pem);
        assertThatThrownBy(() -> Pem.readPrivateKey(file))
                .isInstanceOf(PemException.class)
                .hasMessageContaining("not on the named curve P-256");
    }

    @Test
    void encodePrivateKey_thenRead_roundTrips() throws Exception {
        P256PrivateKey key = P256PrivateKey.generate();
        Path file = Files.writeString(directory.resolve("k.pem"), Pem.encode(key));
        assertThat(Pem.readPrivateKey(file).publicKey()).isEqualTo(key.publicKey());
    }

    @Test
    void decodeStrict_textAroundTheBlock_isEmpty() {
        String pem = Pem.encode("CERTIFICATE", new byte[] {0x30, 0x00});
        assertThat(Pem.decodeStrict("CERTIFICATE", ("x" + pem).getBytes(US_ASCII)))
                .isEmpty();
        assertThat(Pem.decodeStrict("CERTIFICATE", (pem + pem).getBytes(US_ASCII)))
                .isEmpty();
    }

    @Test
    void certificateFromDer_trailingBytes_throws() throws Exception {
        byte[] der = selfSigned("a").getEncoded();
        byte[] longer = Arrays.copyOf(der, der.length + 1);
        assertThatThrownBy(() -> Pem.certificateFromDer(longer))
                .hasMessageContaining("trailing bytes after the certificate");
    }

    @Test
    void builtCertificate_verifiesWithIssuerKey_andHasKeyIdentifier() throws Exception {
        X509Certificate certificate = selfSigned("a");
        certificate.verify(certificate.getPublicKey());
        assertThat(certificate.getExtensionValue("2.5.29.14")).isNotNull();
        assertThat(certificate.getBasicConstraints()).isEqualTo(Integer.MAX_VALUE);
    }
}
