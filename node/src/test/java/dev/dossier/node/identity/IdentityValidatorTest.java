package dev.dossier.node.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.dossier.crypto.Pem;
import dev.dossier.crypto.testing.TestPki;
import dev.dossier.crypto.testing.TestPki.Ca;
import dev.dossier.crypto.testing.TestPki.Keys;
import dev.dossier.crypto.testing.TestPki.Leaf;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IdentityValidatorTest {
    private static final Ca ORG1 = Ca.create("ca.org1.test");
    private static final Ca ORG2 = Ca.create("ca.org2.test");
    private static final Leaf USER1 = ORG1.issue("User1@org1.test", Map.of("dossier.role", "issuer"));

    private final IdentityValidator validator =
            new IdentityValidator(List.of(TestMsps.msp(ORG1, "Org1MSP"), TestMsps.msp(ORG2, "Org2MSP")));

    @Test
    void validate_certificateIssuedByItsMsp_returnsIdentity() throws Exception {
        ByteString serialized = TestMsps.serializedIdentity(USER1, "Org1MSP");

        Identity identity = validator.validate(serialized);

        assertThat(identity.mspId()).isEqualTo("Org1MSP");
        assertThat(identity.certificate()).isEqualTo(USER1.certificate());
        assertThat(identity.serialized()).isEqualTo(serialized);
        assertThat(identity.attributes()).containsExactly(Map.entry("dossier.role", "issuer"));
        assertThat(identity.toString()).contains("Org1MSP", "CN=User1@org1.test");
    }

    @Test
    void validate_noAttributeExtension_hasEmptyAttributes() throws Exception {
        Identity identity = validator.validate(TestMsps.serializedIdentity(ORG2.issue("User@org2.test"), "Org2MSP"));

        assertThat(identity.attributes()).isEmpty();
    }

    @Test
    void validate_sameBytesTwice_returnsSameObject() throws Exception {
        Identity first = validator.validate(TestMsps.serializedIdentity(USER1, "Org1MSP"));
        Identity second = validator.validate(TestMsps.serializedIdentity(USER1, "Org1MSP"));

        assertThat(second).isSameAs(first);
    }

    @Test
    void validate_unknownMsp_throws() {
        assertThatThrownBy(() -> validator.validate(TestMsps.serializedIdentity(USER1, "Org9MSP")))
                .isInstanceOf(IdentityException.class)
                .hasMessage("certificate of Org9MSP: unknown MSP");
    }

    @Test
    void validate_certificateOfAnotherOrgsCa_throws() {
        Leaf org2User = ORG2.issue("User@org2.test");

        assertThatThrownBy(() -> validator.validate(TestMsps.serializedIdentity(org2User, "Org1MSP")))
                .isInstanceOf(IdentityException.class)
                .hasMessageStartingWith("certificate of Org1MSP: not signed by Org1MSP's CA (issued by ")
                .hasMessageContaining("CN=ca.org2.test");
    }

    @Test
    void validate_caWithSameNameButOtherKey_throws() {
        Ca impostor = Ca.create("ca.org1.test");
        Leaf forged = impostor.issue("User1@org1.test");

        assertThatThrownBy(() -> validator.validate(TestMsps.serializedIdentity(forged, "Org1MSP")))
                .isInstanceOf(IdentityException.class)
                .hasMessage("certificate of Org1MSP: not signed by Org1MSP's CA (signature does not verify)");
    }

    @Test
    void validate_expiredCertificate_throws() {
        Instant notAfter = TestPki.NOW.minus(Duration.ofDays(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Leaf expired = ORG1.issue("Old@org1.test", notAfter.minus(Duration.ofDays(365)), notAfter);

        assertThatThrownBy(() -> validator.validate(TestMsps.serializedIdentity(expired, "Org1MSP")))
                .isInstanceOf(IdentityException.class)
                .hasMessage("certificate of Org1MSP: expired on " + notAfter);
    }

    @Test
    void validate_notYetValidCertificate_throws() {
        Instant notBefore = TestPki.NOW.plus(Duration.ofDays(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Leaf future = ORG1.issue("Future@org1.test", notBefore, notBefore.plus(Duration.ofDays(365)));

        assertThatThrownBy(() -> validator.validate(TestMsps.serializedIdentity(future, "Org1MSP")))
                .isInstanceOf(IdentityException.class)
                .hasMessage("certificate of Org1MSP: not valid before " + notBefore);
    }

    @Test
    void validate_cachedIdentityAfterExpiry_throws() throws Exception {
        MutableClock clock = new MutableClock(TestPki.NOW);
        IdentityValidator clocked = new IdentityValidator(List.of(TestMsps.msp(ORG1, "Org1MSP")), clock, 100);
        Leaf shortLived = ORG1.issue("Brief@org1.test", TestPki.NOW.minusSeconds(60), TestPki.NOW.plusSeconds(60));
        ByteString serialized = TestMsps.serializedIdentity(shortLived, "Org1MSP");
        clocked.validate(serialized);

        clock.now = TestPki.NOW.plusSeconds(120);

        assertThatThrownBy(() -> clocked.validate(serialized))
                .isInstanceOf(IdentityException.class)
                .hasMessageContaining("expired on");
    }

    @Test
    void validate_moreIdentitiesThanCacheSize_staysBoundedAndValid() throws Exception {
        IdentityValidator small = new IdentityValidator(List.of(TestMsps.msp(ORG1, "Org1MSP")), Clock.systemUTC(), 2);
        for (int i = 0; i < 5; i++) {
            ByteString serialized = TestMsps.serializedIdentity(ORG1.issue("U" + i + "@org1.test"), "Org1MSP");
            assertThat(small.validate(serialized).mspId()).isEqualTo("Org1MSP");
        }
    }

    @Test
    void validate_caCertificateAsIdentity_throws() {
        Leaf subCa = ORG1.issueCaCertificate("sub.org1.test");

        assertThatThrownBy(() -> validator.validate(TestMsps.serializedIdentity(subCa, "Org1MSP")))
                .isInstanceOf(IdentityException.class)
                .hasMessageContaining("is a CA certificate");
    }

    @Test
    void validate_p384Key_throws() {
        Leaf p384 = ORG1.issue(
                "P384@org1.test",
                Keys.onCurve("P-384"),
                TestPki.NOW.minusSeconds(60),
                TestPki.NOW.plusSeconds(3600),
                Map.of());

        assertThatThrownBy(() -> validator.validate(TestMsps.serializedIdentity(p384, "Org1MSP")))
                .isInstanceOf(IdentityException.class)
                .hasMessageStartingWith("certificate of Org1MSP: key is not ECDSA P-256");
    }

    @Test
    void validate_notAProtobuf_throws() {
        assertThatThrownBy(() -> validator.validate(ByteString.copyFrom(new byte[] {(byte) 0xff, 0x01})))
                .isInstanceOf(IdentityException.class)
                .hasMessage("serialized identity is not a msp.SerializedIdentity");
    }

    @Test
    void validate_idBytesNotPem_throws() throws Exception {
        ByteString der = ByteString.copyFrom(USER1.certificate().getEncoded());

        assertThatThrownBy(() -> validator.validate(TestMsps.serializedIdentity("Org1MSP", der)))
                .isInstanceOf(IdentityException.class)
                .hasMessage("certificate of Org1MSP: id_bytes is not one PEM CERTIFICATE block");
    }

    @Test
    void validate_pemWithTrailingSecondBlock_throws() {
        String twoBlocks = USER1.certificatePem() + USER1.certificatePem();

        assertThatThrownBy(() ->
                        validator.validate(TestMsps.serializedIdentity("Org1MSP", ByteString.copyFromUtf8(twoBlocks))))
                .isInstanceOf(IdentityException.class);
    }

    @Test
    void validate_pemOfGarbage_throws() {
        String pem = Pem.encode("CERTIFICATE", new byte[] {0x30, 0x03, 0x02, 0x01, 0x01});

        ByteString idBytes = ByteString.copyFromUtf8(pem);

        assertThatThrownBy(() -> validator.validate(TestMsps.serializedIdentity("Org1MSP", idBytes)))
                .isInstanceOf(IdentityException.class)
                .hasMessage("certificate of Org1MSP: malformed X.509 certificate");
    }

    @Test
    void validate_malformedAttributeExtension_throws() throws Exception {
        byte[] extension = TestPki.utf8("{\"attrs\":{\"dossier.role\":1}}");
        Leaf broken = ORG1.issueWithAttributeExtension("Bad@org1.test", extension);

        assertThatThrownBy(() -> validator.validate(TestMsps.serializedIdentity(broken, "Org1MSP")))
                .isInstanceOf(IdentityException.class)
                .hasMessageContaining("value of \"dossier.role\" is not a string");
    }

    @Test
    void validate_controlCharactersInMspId_areNotEchoed() {
        assertThatThrownBy(() -> validator.validate(TestMsps.serializedIdentity(USER1, "Org\n9MSP")))
                .hasMessage("certificate of Org?9MSP: unknown MSP");
    }

    @Test
    void constructor_duplicateMspId_throws() {
        assertThatThrownBy(() ->
                        new IdentityValidator(List.of(TestMsps.msp(ORG1, "Org1MSP"), TestMsps.msp(ORG2, "Org1MSP"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duplicate MSP id Org1MSP");
    }

    @Test
    void constructor_leafAsRoot_throws() {
        assertThatThrownBy(() ->
                        new IdentityValidator(List.of(new Msp("Org1MSP", List.of(USER1.certificate()), List.of()))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a CA certificate");
    }

    @Test
    void mspIds_inConfigurationOrder() {
        assertThat(validator.mspIds()).containsExactly("Org1MSP", "Org2MSP");
    }

    private static final class MutableClock extends Clock {
        volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
