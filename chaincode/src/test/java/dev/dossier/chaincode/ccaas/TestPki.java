package dev.dossier.chaincode.ccaas;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;

/**
 * A throw-away certificate authority for tests: ECDSA P-256 certificates for Fabric identities (with the Fabric CA
 * attribute extension, OID 1.2.3.4.5.6.7.8.1, that carries {@code dossier.role}) and for TLS.
 */
final class TestPki {
    /** Object identifier of the Fabric CA attribute extension. */
    static final String ATTRIBUTES_OID = "1.2.3.4.5.6.7.8.1";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final X500Name name;
    private final KeyPair keys;
    private final X509Certificate certificate;

    /** An identity: an MSP id, a certificate and its private key. */
    record Identity(String mspId, X509Certificate certificate, PrivateKey key) {
        /** @return the {@code SerializedIdentity} a proposal's creator holds: MSP id and PEM certificate */
        ByteString serialized() {
            return SerializedIdentity.newBuilder()
                    .setMspid(mspId)
                    .setIdBytes(ByteString.copyFromUtf8(pem(certificate)))
                    .build()
                    .toByteString();
        }
    }

    private TestPki(X500Name name, KeyPair keys, X509Certificate certificate) {
        this.name = name;
        this.keys = keys;
        this.certificate = certificate;
    }

    /** A new self-signed CA named {@code CN=<commonName>, O=<organisation>}. */
    static TestPki newCa(String organisation, String commonName) {
        X500Name name = new X500Name("CN=" + commonName + ",O=" + organisation);
        KeyPair keys = newKeyPair();
        return new TestPki(name, keys, issue(name, keys, name, keys.getPublic(), true, Map.of(), null));
    }

    /** @return the CA's certificate */
    X509Certificate certificate() {
        return certificate;
    }

    /** An identity of {@code mspId} issued by this CA, with {@code attributes} in the attribute extension. */
    Identity identity(String mspId, String commonName, Map<String, String> attributes) {
        KeyPair subjectKeys = newKeyPair();
        X500Name subject = new X500Name("CN=" + commonName + ",OU=client,O=" + mspId);
        return new Identity(
                mspId,
                issue(name, keys, subject, subjectKeys.getPublic(), false, attributes, null),
                subjectKeys.getPrivate());
    }

    /** A TLS key pair and certificate issued by this CA, valid for {@code localhost} and {@code 127.0.0.1}. */
    Identity tls(String commonName) {
        KeyPair subjectKeys = newKeyPair();
        GeneralNames names = new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")
        });
        X500Name subject = new X500Name("CN=" + commonName);
        return new Identity(
                null,
                issue(name, keys, subject, subjectKeys.getPublic(), false, Map.of(), names),
                subjectKeys.getPrivate());
    }

    static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new AssertionError("the JDK has ECDSA P-256", e);
        }
    }

    private static X509Certificate issue(
            X500Name issuer,
            KeyPair issuerKeys,
            X500Name subject,
            java.security.PublicKey subjectKey,
            boolean ca,
            Map<String, String> attributes,
            GeneralNames subjectAltNames) {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                issuer,
                new BigInteger(127, RANDOM),
                Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(1))),
                subject,
                subjectKey);
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            builder.addExtension(
                    Extension.keyUsage,
                    true,
                    new KeyUsage(
                            ca
                                    ? KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature
                                    : KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            if (subjectAltNames != null) {
                builder.addExtension(Extension.subjectAlternativeName, false, subjectAltNames);
            }
            if (!attributes.isEmpty()) {
                // As Fabric CA writes it: the extension's value is the JSON itself, with no further ASN.1 wrapping.
                builder.addExtension(
                        new ASN1ObjectIdentifier(ATTRIBUTES_OID),
                        false,
                        attributesJson(attributes).getBytes(UTF_8));
            }
            return new JcaX509CertificateConverter()
                    .getCertificate(builder.build(
                            new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
        } catch (CertIOException | OperatorCreationException | CertificateException e) {
            throw new AssertionError("test certificate", e);
        }
    }

    /** {@code {"attrs":{"name":"value",...}}}, names sorted; the test values need no escaping. */
    private static String attributesJson(Map<String, String> attributes) {
        return new TreeMap<>(attributes)
                .entrySet().stream()
                        .map(e -> '"' + e.getKey() + "\":\"" + e.getValue() + '"')
                        .collect(Collectors.joining(",", "{\"attrs\":{", "}}"));
    }

    static String pem(X509Certificate certificate) {
        try {
            return pem("CERTIFICATE", certificate.getEncoded());
        } catch (CertificateException e) {
            throw new AssertionError(e);
        }
    }

    /** PKCS#8 PEM of a private key. */
    static String pem(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(UTF_8)).encodeToString(der) + "\n-----END " + type
                + "-----\n";
    }

    static Path write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
