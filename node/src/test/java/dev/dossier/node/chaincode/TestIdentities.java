package dev.dossier.node.chaincode;

import com.google.protobuf.ByteString;
import dev.dossier.crypto.testing.TestPki;
import dev.dossier.node.identity.Signer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;

/** Serialized identities (P-256 certificates of one test CA) and invocations for tests. */
final class TestIdentities {
    static final String CHANNEL = "dossier";
    /** The CA of every test identity; the contract does not check issuers, the gateway did. */
    private static final TestPki.Ca CA = TestPki.Ca.create("ca.test");

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
        TestPki.Leaf leaf = CA.issue(new X500Name("CN=" + name + ",O=" + mspId), attributes);
        return Signer.serializedIdentity(mspId, leaf.certificate());
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
