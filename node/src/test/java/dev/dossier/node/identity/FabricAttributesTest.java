package dev.dossier.node.identity;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dossier.crypto.testing.TestPki;
import dev.dossier.crypto.testing.TestPki.Ca;
import java.io.InputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Map;
import org.bouncycastle.asn1.ASN1OctetString;
import org.junit.jupiter.api.Test;

class FabricAttributesTest {
    private static final Ca CA = Ca.create("ca.test");

    @Test
    void decode_certificateIssuedByFabricCa_readsAttributes() throws Exception {
        X509Certificate certificate = fabricCaCertificate();

        assertThat(FabricAttributes.decode(certificate))
                .containsExactly(
                        Map.entry("abac.init", "true"),
                        Map.entry("admin", "true"),
                        Map.entry("hf.Affiliation", "org1"),
                        Map.entry("hf.EnrollmentID", "admin-org1"),
                        Map.entry("hf.Type", "client"));
    }

    @Test
    void encode_attributesOfFabricCaCertificate_givesFabricCaBytes() throws Exception {
        X509Certificate certificate = fabricCaCertificate();
        byte[] fabricCaBytes = ASN1OctetString.getInstance(certificate.getExtensionValue(FabricAttributes.OID))
                .getOctets();

        assertThat(FabricAttributes.encode(FabricAttributes.decode(certificate)))
                .isEqualTo(fabricCaBytes);
    }

    @Test
    void encode_sortsNamesAndEscapesLikeGo() {
        byte[] encoded = FabricAttributes.encode(Map.of("z", "a<b>&\"c\"\\\n", "dossier.role", "issuer"));

        assertThat(new String(encoded, UTF_8))
                .isEqualTo("{\"attrs\":{\"dossier.role\":\"issuer\","
                        + "\"z\":\"a\\u003cb\\u003e\\u0026\\\"c\\\"\\\\\\n\"}}");
    }

    @Test
    void encode_empty_givesEmptyAttrs() {
        assertThat(new String(FabricAttributes.encode(Map.of()), UTF_8)).isEqualTo("{\"attrs\":{}}");
    }

    @Test
    void decode_roundTripsThroughCertificate() throws Exception {
        Map<String, String> attributes = Map.of("dossier.role", "worker", "dossier.subject", "ab".repeat(32));

        assertThat(FabricAttributes.decode(CA.issueWithAttributeExtension("W@test", FabricAttributes.encode(attributes))
                        .certificate()))
                .isEqualTo(attributes);
    }

    @Test
    void decode_noExtension_isEmpty() throws Exception {
        assertThat(FabricAttributes.decode(CA.issue("plain@test").certificate()))
                .isEmpty();
    }

    @Test
    void decode_noAttrsMember_isEmpty() throws Exception {
        X509Certificate certificate =
                CA.issueWithAttributeExtension("x", TestPki.utf8("{}")).certificate();

        assertThat(FabricAttributes.decode(certificate)).isEmpty();
    }

    @Test
    void decode_malformed_throws() {
        String[] malformed = {
            "not json",
            "[]",
            "{\"attrs\":[]}",
            "{\"attrs\":{\"a\":1}}",
            "{\"attrs\":{\"a\":\"1\",\"a\":\"2\"}}",
            "{\"attrs\":{}} trailing"
        };
        for (String json : malformed) {
            X509Certificate certificate =
                    CA.issueWithAttributeExtension("x", TestPki.utf8(json)).certificate();
            assertThatThrownBy(() -> FabricAttributes.decode(certificate))
                    .as(json)
                    .isInstanceOf(CertificateParsingException.class);
        }
    }

    @Test
    void decode_notUtf8_throws() {
        X509Certificate certificate = CA.issueWithAttributeExtension(
                        "x", new byte[] {'{', (byte) 0xc3, (byte) 0x28, '}'})
                .certificate();

        assertThatThrownBy(() -> FabricAttributes.decode(certificate))
                .isInstanceOf(CertificateParsingException.class)
                .hasMessage("attribute extension is not UTF-8");
    }

    private static X509Certificate fabricCaCertificate() throws Exception {
        try (InputStream in = FabricAttributesTest.class.getResourceAsStream("fabric-ca-cert-with-attrs.pem")) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
