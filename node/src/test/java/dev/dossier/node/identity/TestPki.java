package dev.dossier.node.identity;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.protobuf.ByteString;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcECContentSignerBuilder;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;

/** Test certificate authorities and identities with arbitrary names, validity periods, curves and attributes. */
final class TestPki {
    private static final SecureRandom RANDOM = new SecureRandom();
    static final Instant NOW = Instant.now();

    private TestPki() {}

    /** A key pair on P-256 or another named curve. */
    record Keys(ECPrivateKeyParameters privateKey, ECPublicKeyParameters publicKey) {
        static Keys p256() {
            return generate(Signatures.P256);
        }

        static Keys onCurve(String name) {
            ASN1ObjectIdentifier oid = CustomNamedCurves.getOID(name);
            X9ECParameters x9 = CustomNamedCurves.getByOID(oid);
            return generate(new ECNamedDomainParameters(oid, x9));
        }

        private static Keys generate(ECDomainParameters domain) {
            ECKeyPairGenerator generator = new ECKeyPairGenerator();
            generator.init(new ECKeyGenerationParameters(domain, RANDOM));
            AsymmetricCipherKeyPair pair = generator.generateKeyPair();
            return new Keys((ECPrivateKeyParameters) pair.getPrivate(), (ECPublicKeyParameters) pair.getPublic());
        }

        String pkcs8Pem() {
            try {
                return Pem.encode(
                        "PRIVATE KEY",
                        PrivateKeyInfoFactory.createPrivateKeyInfo(privateKey).getEncoded());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String sec1Pem() {
            try {
                byte[] q = publicKey.getQ().getEncoded(false);
                ECPrivateKey sec1 =
                        new ECPrivateKey(256, privateKey.getD(), new DERBitString(q), SECObjectIdentifiers.secp256r1);
                return Pem.encode("EC PRIVATE KEY", sec1.getEncoded());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A self-signed root CA. */
    record Ca(X500Name name, Keys keys, X509Certificate certificate) {
        static Ca create(String commonName) {
            return create(commonName, Keys.p256());
        }

        static Ca create(String commonName, Keys keys) {
            X500Name name = new X500Name("C=IT,O=" + commonName + ",CN=" + commonName);
            X509Certificate certificate = build(
                    name,
                    name,
                    keys.publicKey(),
                    keys.privateKey(),
                    NOW.minus(Duration.ofDays(1)),
                    NOW.plus(Duration.ofDays(3650)),
                    true,
                    null);
            return new Ca(name, keys, certificate);
        }

        Msp msp(String mspId) {
            return new Msp(mspId, java.util.List.of(certificate), java.util.List.of());
        }

        Leaf issue(String commonName) {
            return issue(
                    commonName, Keys.p256(), NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofDays(730)), Map.of());
        }

        Leaf issue(String commonName, Map<String, String> attributes) {
            return issue(
                    commonName,
                    Keys.p256(),
                    NOW.minus(Duration.ofHours(1)),
                    NOW.plus(Duration.ofDays(730)),
                    attributes);
        }

        Leaf issue(String commonName, Instant notBefore, Instant notAfter) {
            return issue(commonName, Keys.p256(), notBefore, notAfter, Map.of());
        }

        Leaf issue(
                String commonName, Keys leafKeys, Instant notBefore, Instant notAfter, Map<String, String> attributes) {
            X500Name subject = new X500Name("C=IT,O=test,OU=client,CN=" + commonName);
            X509Certificate certificate = build(
                    name,
                    subject,
                    leafKeys.publicKey(),
                    keys.privateKey(),
                    notBefore,
                    notAfter,
                    false,
                    attributes.isEmpty() ? null : FabricAttributes.encode(attributes));
            return new Leaf(leafKeys, certificate);
        }

        /** A leaf whose attribute extension holds {@code extensionValue} as is. */
        Leaf issueWithAttributeExtension(String commonName, byte[] extensionValue) {
            Keys leafKeys = Keys.p256();
            X509Certificate certificate = build(
                    name,
                    new X500Name("CN=" + commonName),
                    leafKeys.publicKey(),
                    keys.privateKey(),
                    NOW.minus(Duration.ofHours(1)),
                    NOW.plus(Duration.ofDays(1)),
                    false,
                    extensionValue);
            return new Leaf(leafKeys, certificate);
        }

        /** A certificate for a CA key, as a leaf would be: a CA certificate presented as an identity. */
        Leaf issueCaCertificate(String commonName) {
            Keys leafKeys = Keys.p256();
            X509Certificate certificate = build(
                    name,
                    new X500Name("CN=" + commonName),
                    leafKeys.publicKey(),
                    keys.privateKey(),
                    NOW.minus(Duration.ofHours(1)),
                    NOW.plus(Duration.ofDays(1)),
                    true,
                    null);
            return new Leaf(leafKeys, certificate);
        }
    }

    /** An end-entity certificate and its keys. */
    record Leaf(Keys keys, X509Certificate certificate) {
        String certificatePem() {
            try {
                return Pem.encode("CERTIFICATE", certificate.getEncoded());
            } catch (CertificateException e) {
                throw new AssertionError(e);
            }
        }

        ByteString serializedIdentity(String mspId) {
            return TestPki.serializedIdentity(mspId, ByteString.copyFromUtf8(certificatePem()));
        }

        Signer signer(String mspId, Path directory) throws IOException {
            Path certificateFile = Files.writeString(Files.createTempFile(directory, "cert", ".pem"), certificatePem());
            Path keyFile = Files.writeString(Files.createTempFile(directory, "key", ".pem"), keys.pkcs8Pem());
            return Signer.fromPem(mspId, certificateFile, keyFile);
        }
    }

    static ByteString serializedIdentity(String mspId, ByteString idBytes) {
        return SerializedIdentity.newBuilder()
                .setMspid(mspId)
                .setIdBytes(idBytes)
                .build()
                .toByteString();
    }

    private static X509Certificate build(
            X500Name issuer,
            X500Name subject,
            ECPublicKeyParameters subjectKey,
            ECPrivateKeyParameters issuerKey,
            Instant notBefore,
            Instant notAfter,
            boolean ca,
            byte[] attributeExtension) {
        try {
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(
                    issuer,
                    new BigInteger(128, RANDOM),
                    Date.from(notBefore),
                    Date.from(notAfter),
                    subject,
                    SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(subjectKey));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            builder.addExtension(
                    Extension.keyUsage,
                    true,
                    new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature));
            if (attributeExtension != null) {
                builder.addExtension(new ASN1ObjectIdentifier(FabricAttributes.OID), false, attributeExtension);
            }
            AlgorithmIdentifier signatureAlgorithm =
                    new DefaultSignatureAlgorithmIdentifierFinder().find("SHA256withECDSA");
            AlgorithmIdentifier digestAlgorithm = new DefaultDigestAlgorithmIdentifierFinder().find(signatureAlgorithm);
            byte[] der = builder.build(
                            new BcECContentSignerBuilder(signatureAlgorithm, digestAlgorithm).build(issuerKey))
                    .getEncoded();
            return (X509Certificate)
                    CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (OperatorCreationException | CertificateException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] utf8(String text) {
        return text.getBytes(UTF_8);
    }
}
