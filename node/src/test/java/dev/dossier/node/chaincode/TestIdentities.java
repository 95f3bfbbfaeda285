package dev.dossier.node.chaincode;

import com.google.protobuf.ByteString;
import dev.dossier.node.identity.FabricAttributes;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;

/** Serialized identities (self-signed P-256 certificates) and invocations for tests. */
final class TestIdentities {
    static final String CHANNEL = "dossier";
    static final Instant NOW = Instant.parse("2025-03-01T09:30:00.123Z");
    /** An issuer of Org1MSP. */
    static final ByteString ORG1 = identity("Org1MSP", "alice", Map.of("dossier.role", "issuer"));
    /** An issuer of Org2MSP. */
    static final ByteString ORG2 = identity("Org2MSP", "bob", Map.of("dossier.role", "issuer"));

    private static final AtomicLong TX_IDS = new AtomicLong();

    private TestIdentities() {}

    /** A serialized identity whose certificate has subject {@code CN=<name>,O=<mspId>} and no attributes. */
    static ByteString identity(String mspId, String name) {
        return identity(mspId, name, Map.of());
    }

    /** A serialized identity whose certificate carries {@code attributes} in the Fabric CA attribute extension. */
    static ByteString identity(String mspId, String name, Map<String, String> attributes) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = generator.generateKeyPair();
            X500Name subject = new X500Name("CN=" + name + ",O=" + mspId);
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    subject,
                    BigInteger.ONE,
                    Date.from(NOW.minus(1, ChronoUnit.DAYS)),
                    Date.from(NOW.plus(365, ChronoUnit.DAYS)),
                    subject,
                    keys.getPublic());
            if (!attributes.isEmpty()) {
                builder.addExtension(
                        new ASN1ObjectIdentifier(FabricAttributes.OID), false, FabricAttributes.encode(attributes));
            }
            X509CertificateHolder cert =
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
            StringWriter pem = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
                writer.writeObject(cert);
            }
            return SerializedIdentity.newBuilder()
                    .setMspid(mspId)
                    .setIdBytes(ByteString.copyFromUtf8(pem.toString()))
                    .build()
                    .toByteString();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static Invocation invocation(ByteString creator, String txId, String... args) {
        return new Invocation(
                CHANNEL,
                txId,
                Arrays.stream(args).map(ByteString::copyFromUtf8).toList(),
                Map.of(),
                creator,
                "Org1MSP",
                NOW,
                null,
                null);
    }

    static Invocation invocation(String... args) {
        return invocation(ORG1, "tx-" + TX_IDS.incrementAndGet(), args);
    }
}
