package dev.dossier.crypto.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.dossier.crypto.P256PrivateKey;
import dev.dossier.crypto.Pem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;

/**
 * The test PKI of every module's tests (shipped in dossier-crypto's test-jar): throw-away certificate authorities
 * issuing identities and TLS certificates with arbitrary names, validity periods, curves and Fabric CA attributes.
 * CAs have P-256 keys and sign with {@link P256PrivateKey}; leaves may have keys on any named curve, so that tests can
 * present the keys production code must refuse.
 *
 * <pre>{@code
 * TestPki.Ca ca = TestPki.Ca.create("ca.org1.test");
 * TestPki.Leaf alice = ca.issue("alice", Map.of("dossier.role", "issuer"));
 * Path key = TestPki.write(directory.resolve("priv_sk"), alice.keys().sec1Pem());
 * }</pre>
 */
public final class TestPki {
    /** The instant validity periods are measured from: when the class was loaded. */
    public static final Instant NOW = Instant.now();

    /** Object identifier of Fabric CA's attribute extension. */
    public static final String ATTRIBUTES_OID = "1.2.3.4.5.6.7.8.1";

    private static final SecureRandom RANDOM = new SecureRandom();

    private TestPki() {}

    /** A key pair on P-256 or another named curve. */
    public record Keys(ECPrivateKeyParameters privateKey, ECPublicKeyParameters publicKey) {
        /** @return a new P-256 key pair */
        public static Keys p256() {
            return onCurve("P-256");
        }

        /** @return a new key pair on the named curve, such as {@code P-384} */
        public static Keys onCurve(String name) {
            ASN1ObjectIdentifier oid = CustomNamedCurves.getOID(name);
            X9ECParameters x9 = CustomNamedCurves.getByOID(oid);
            ECKeyPairGenerator generator = new ECKeyPairGenerator();
            generator.init(new ECKeyGenerationParameters(new ECNamedDomainParameters(oid, x9), RANDOM));
            AsymmetricCipherKeyPair pair = generator.generateKeyPair();
            return new Keys((ECPrivateKeyParameters) pair.getPrivate(), (ECPublicKeyParameters) pair.getPublic());
        }

        /** @return the DER PKCS#8 private key */
        public byte[] pkcs8() {
            try {
                return PrivateKeyInfoFactory.createPrivateKeyInfo(privateKey).getEncoded();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** @return the private key as a PKCS#8 {@code PRIVATE KEY} PEM */
        public String pkcs8Pem() {
            return Pem.encode("PRIVATE KEY", pkcs8());
        }

        /** @return the private key as a SEC1 {@code EC PRIVATE KEY} PEM, as {@code openssl ecparam -genkey} writes */
        public String sec1Pem() {
            try {
                byte[] q = publicKey.getQ().getEncoded(false);
                ASN1ObjectIdentifier curve = ((ECNamedDomainParameters) privateKey.getParameters()).getName();
                ECPrivateKey sec1 = new ECPrivateKey(
                        privateKey.getParameters().getN().bitLength(), privateKey.getD(), new DERBitString(q), curve);
                return Pem.encode("EC PRIVATE KEY", sec1.getEncoded());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /**
         * @return the private key in the toolkit's form
         * @throws IllegalStateException if the key is not on P-256
         */
        public P256PrivateKey signingKey() {
            try {
                return P256PrivateKey.fromPkcs8(pkcs8());
            } catch (InvalidKeyException notP256) {
                throw new IllegalStateException(notP256);
            }
        }

        /** @return the private key as a JCA key (P-256 only), for TLS stacks and JCA signers */
        public PrivateKey jca() {
            return signingKey().toJca();
        }
    }

    /** A self-signed root CA with a P-256 key. */
    public record Ca(X500Name name, Keys keys, X509Certificate certificate) {
        /** @return a CA named {@code C=IT, O=<commonName>, CN=<commonName>} */
        public static Ca create(String commonName) {
            return create(new X500Name("C=IT,O=" + commonName + ",CN=" + commonName));
        }

        /** @return a CA with the given name */
        public static Ca create(X500Name name) {
            Keys keys = Keys.p256();
            X509Certificate certificate = build(
                    name,
                    name,
                    keys.publicKey(),
                    keys.signingKey(),
                    NOW.minus(Duration.ofDays(1)),
                    NOW.plus(Duration.ofDays(3650)),
                    true,
                    null,
                    null);
            return new Ca(name, keys, certificate);
        }

        /** @return a leaf {@code C=IT, O=test, OU=client, CN=<commonName>}, valid from an hour ago for two years */
        public Leaf issue(String commonName) {
            return issue(commonName, Map.of());
        }

        /** As {@link #issue(String)}, with Fabric CA attributes such as {@code dossier.role}. */
        public Leaf issue(String commonName, Map<String, String> attributes) {
            return issue(
                    commonName,
                    Keys.p256(),
                    NOW.minus(Duration.ofHours(1)),
                    NOW.plus(Duration.ofDays(730)),
                    attributes);
        }

        /** As {@link #issue(String)}, valid from {@code notBefore} to {@code notAfter}. */
        public Leaf issue(String commonName, Instant notBefore, Instant notAfter) {
            return issue(commonName, Keys.p256(), notBefore, notAfter, Map.of());
        }

        /** As {@link #issue(String)}, for the given keys (on any curve), validity and attributes. */
        public Leaf issue(
                String commonName, Keys leafKeys, Instant notBefore, Instant notAfter, Map<String, String> attributes) {
            return issue(
                    new X500Name("C=IT,O=test,OU=client,CN=" + commonName),
                    leafKeys,
                    notBefore,
                    notAfter,
                    attributes.isEmpty() ? null : attributesJson(attributes),
                    null);
        }

        /** @return a leaf named {@code subject}, valid from an hour ago for a day, with Fabric CA attributes */
        public Leaf issue(X500Name subject, Map<String, String> attributes) {
            return issue(
                    subject,
                    Keys.p256(),
                    NOW.minus(Duration.ofHours(1)),
                    NOW.plus(Duration.ofDays(1)),
                    attributes.isEmpty() ? null : attributesJson(attributes),
                    null);
        }

        /** @return a TLS certificate {@code CN=<commonName>} for {@code localhost} and {@code 127.0.0.1} */
        public Leaf tls(String commonName) {
            GeneralNames names = new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")
            });
            return issue(
                    new X500Name("CN=" + commonName),
                    Keys.p256(),
                    NOW.minus(Duration.ofHours(1)),
                    NOW.plus(Duration.ofDays(1)),
                    null,
                    names);
        }

        /** A leaf whose attribute extension holds {@code extensionValue} as is. */
        public Leaf issueWithAttributeExtension(String commonName, byte[] extensionValue) {
            return issue(
                    new X500Name("CN=" + commonName),
                    Keys.p256(),
                    NOW.minus(Duration.ofHours(1)),
                    NOW.plus(Duration.ofDays(1)),
                    extensionValue,
                    null);
        }

        /** A certificate for a CA key, as a leaf would be: a CA certificate presented as an identity. */
        public Leaf issueCaCertificate(String commonName) {
            Keys leafKeys = Keys.p256();
            X509Certificate certificate = build(
                    name,
                    new X500Name("CN=" + commonName),
                    leafKeys.publicKey(),
                    keys.signingKey(),
                    NOW.minus(Duration.ofHours(1)),
                    NOW.plus(Duration.ofDays(1)),
                    true,
                    null,
                    null);
            return new Leaf(leafKeys, certificate);
        }

        private Leaf issue(
                X500Name subject,
                Keys leafKeys,
                Instant notBefore,
                Instant notAfter,
                byte[] attributeExtension,
                GeneralNames subjectAltNames) {
            X509Certificate certificate = build(
                    name,
                    subject,
                    leafKeys.publicKey(),
                    keys.signingKey(),
                    notBefore,
                    notAfter,
                    false,
                    attributeExtension,
                    subjectAltNames);
            return new Leaf(leafKeys, certificate);
        }
    }

    /** An end-entity certificate and its keys. */
    public record Leaf(Keys keys, X509Certificate certificate) {
        /** @return the certificate as PEM, in the form Fabric's serialized identities hold it */
        public String certificatePem() {
            return Pem.encode(certificate);
        }

        /** @return the private key as a PKCS#8 PEM */
        public String keyPem() {
            return keys.pkcs8Pem();
        }
    }

    /**
     * @return Fabric CA's attribute JSON {@code {"attrs":{"name":"value",...}}}, names sorted; the values of tests need
     *     no escaping beyond quotes and backslashes
     */
    public static byte[] attributesJson(Map<String, String> attributes) {
        return new TreeMap<>(attributes)
                .entrySet().stream()
                        .map(e -> quote(e.getKey()) + ":" + quote(e.getValue()))
                        .collect(Collectors.joining(",", "{\"attrs\":{", "}}"))
                        .getBytes(UTF_8);
    }

    private static String quote(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /** @return the UTF-8 bytes of {@code text} */
    public static byte[] utf8(String text) {
        return text.getBytes(UTF_8);
    }

    /** Writes {@code content} to {@code file}, creating its directory. */
    public static Path write(Path file, String content) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static X509Certificate build(
            X500Name issuer,
            X500Name subject,
            ECPublicKeyParameters subjectKey,
            P256PrivateKey issuerKey,
            Instant notBefore,
            Instant notAfter,
            boolean ca,
            byte[] attributeExtension,
            GeneralNames subjectAltNames) {
        try {
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(
                    issuer,
                    new BigInteger(128, RANDOM).setBit(127),
                    Date.from(notBefore),
                    Date.from(notAfter),
                    subject,
                    SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(subjectKey));
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
            if (attributeExtension != null) {
                builder.addExtension(new ASN1ObjectIdentifier(ATTRIBUTES_OID), false, attributeExtension);
            }
            return Pem.certificateFromDer(
                    builder.build(issuerKey.contentSigner()).getEncoded());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (CertificateException e) {
            throw new AssertionError(e);
        }
    }
}
