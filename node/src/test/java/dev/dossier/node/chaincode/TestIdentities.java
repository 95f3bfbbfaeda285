package dev.dossier.node.chaincode;

import com.google.protobuf.ByteString;
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
    static final ByteString ORG1 = identity("Org1MSP", "alice");
    static final ByteString ORG2 = identity("Org2MSP", "bob");

    private static final AtomicLong TX_IDS = new AtomicLong();

    private TestIdentities() {}

    static ByteString identity(String mspId, String name) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = generator.generateKeyPair();
            X500Name subject = new X500Name("CN=" + name + ",O=" + mspId);
            X509CertificateHolder cert = new JcaX509v3CertificateBuilder(
                            subject,
                            BigInteger.ONE,
                            Date.from(NOW.minus(1, ChronoUnit.DAYS)),
                            Date.from(NOW.plus(365, ChronoUnit.DAYS)),
                            subject,
                            keys.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
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
