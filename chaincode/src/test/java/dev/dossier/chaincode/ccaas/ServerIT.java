package dev.dossier.chaincode.ccaas;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.dossier.crypto.testing.TestPki;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage;
import org.hyperledger.fabric.protos.peer.Response;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.hyperledger.fabric.shim.ext.sbe.StateBasedEndorsement;
import org.hyperledger.fabric.shim.ext.sbe.impl.StateBasedEndorsementFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The chaincode server jar, run as Fabric operators run it ({@code java -jar}, plaintext, configured by environment
 * variables), driven over real gRPC by a {@link FakePeer} that plays the peer's side of the chaincode protocol:
 * registration, then transactions of {@code NotaryContract} functions whose state requests it serves from memory.
 */
class ServerIT {
    private static final Instant TX_TIME = Instant.parse("2026-03-01T09:30:00Z");
    /** The policy document's key: the composite key {@code policy} with no attributes. */
    private static final String POLICY_KEY = "\u0000policy\u0000";

    private static ServerProcess server;
    private static FakePeer.Creator issuer;
    private static FakePeer.Creator inspector;
    private static FakePeer.Creator noRole;

    private FakePeer peer;

    @BeforeAll
    static void startServer() throws Exception {
        TestPki.Ca ca = TestPki.Ca.create(new X500Name("CN=ca.org1.dossier.local,O=org1.dossier.local"));
        issuer = creator(ca, "Org1MSP", "Issuer@org1.dossier.local", Map.of("dossier.role", "issuer"));
        inspector = creator(ca, "Org1MSP", "Inspector@org1.dossier.local", Map.of("dossier.role", "inspector"));
        noRole = creator(ca, "Org1MSP", "Nobody@org1.dossier.local", Map.of());
        server = ServerProcess.start(Map.of(), Path.of("target", "ccaas-it", "server-plaintext.log"));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void connect() throws Exception {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port())
                .usePlaintext()
                .build();
        peer = FakePeer.connect(channel);
        assertThat(peer.handshake().getName()).isEqualTo(ServerProcess.PACKAGE_ID);
    }

    @AfterEach
    void disconnect() {
        peer.close();
    }

    @Test
    void connect_chaincodeRegistersWithItsPackageId_andServesTheContractMetadata() throws Exception {
        // (registration is checked by connect())
        FakePeer.Execution metadata = peer.execute(issuer, TX_TIME, "org.hyperledger.fabric:GetMetadata");

        assertThat(metadata.response().getStatus()).isEqualTo(200);
        assertThat(metadata.response().getPayload().toStringUtf8())
                .contains("\"notary\"")
                .contains("\"anchorBatch\"");
        assertThat(metadata.writes()).isEmpty();
    }

    @Test
    void getPolicy_beforeInitialisation_returnsTheBuiltInPolicy() throws Exception {
        FakePeer.Execution execution = peer.execute(inspector, TX_TIME, "getPolicy");

        Response response = execution.response();
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getPayload().toStringUtf8())
                .startsWith("{\"hash\":\"")
                .contains("\"initialised\":false")
                .contains("\"inspector\":{");
        assertThat(execution.reads()).contains(POLICY_KEY);
        assertThat(execution.writes()).isEmpty();
    }

    @Test
    void status_ofAnUnknownCommitment_isNotFound() throws Exception {
        String commitment = randomCommitment();

        FakePeer.Execution execution = peer.execute(inspector, TX_TIME, "status", commitment);

        Response response = execution.response();
        assertThat(response.getStatus()).isEqualTo(500);
        assertThat(response.getMessage()).isEqualTo("commitment " + commitment + " is not anchored");
        assertThat(response.getPayload().toStringUtf8()).isEqualTo("NOT_FOUND");
        assertThat(execution.reads())
                .as("the entry, then a draft of it")
                .containsExactly(POLICY_KEY, commitment, "\u0000draft\u0000" + commitment + "\u0000");
        assertThat(execution.writes()).isEmpty();
    }

    @Test
    void anchor_asIssuer_writesTheEntry_thenStatusReadsIt_andAnchoringAgainChangesNothing() throws Exception {
        String commitment = randomCommitment();

        FakePeer.Execution anchor = peer.execute(issuer, TX_TIME, "anchor", commitment, "record");

        assertThat(anchor.last().getType()).isEqualTo(ChaincodeMessage.Type.COMPLETED);
        Response response = anchor.response();
        assertThat(response.getStatus()).as(response.getMessage()).isEqualTo(200);
        String entry = response.getPayload().toStringUtf8();
        assertThat(entry)
                .contains("\"anchoredAt\":\"2026-03-01T09:30:00Z\"")
                .contains("\"commitment\":\"" + commitment + "\"")
                .contains("\"issuerId\":\""
                        + issuer.certificate().getSubjectX500Principal().getName() + "\"")
                .contains("\"kind\":\"record\"")
                .contains("\"mspId\":\"Org1MSP\"")
                .contains("\"status\":\"active\"");
        assertThat(anchor.writes()).containsExactly(Map.entry(commitment, ByteString.copyFromUtf8(entry)));
        assertThat(anchor.validationParameters())
                .as(
                        "the entry's key-level policy: a peer of the anchoring organisation, as the shim's SBE API makes it")
                .containsOnlyKeys(commitment);
        StateBasedEndorsement owner = StateBasedEndorsementFactory.getInstance()
                .newStateBasedEndorsement(
                        anchor.validationParameters().get(commitment).toByteArray());
        assertThat(owner.listOrgs()).containsExactly("Org1MSP");
        assertThat(anchor.event()).isNotNull();
        assertThat(anchor.event().getEventName()).isEqualTo("Anchored");
        assertThat(anchor.event().getPayload().toStringUtf8()).isEqualTo(commitment);
        peer.commit(anchor);

        FakePeer.Execution status = peer.execute(inspector, TX_TIME.plusSeconds(60), "status", commitment);
        assertThat(status.response().getStatus()).isEqualTo(200);
        assertThat(status.response().getPayload().toStringUtf8())
                .as("an inspector reads the entry without the issuing person")
                .isEqualTo(entry.replaceFirst("\"issuerId\":\"[^\"]*\",", ""));
        assertThat(status.writes()).isEmpty();

        FakePeer.Execution again = peer.execute(issuer, TX_TIME.plusSeconds(120), "anchor", commitment, "record");
        assertThat(again.response().getStatus()).isEqualTo(200);
        assertThat(again.response().getPayload().toStringUtf8()).isEqualTo(entry);
        assertThat(again.writes()).isEmpty();
    }

    @Test
    void anchorRecord_withASubject_writesTheEntryAndItsSubjectIndexKey() throws Exception {
        String commitment = randomCommitment();
        String subject = randomCommitment();

        FakePeer.Execution execution = peer.execute(
                issuer,
                TX_TIME,
                "anchorRecord",
                "{\"commitment\":\"" + commitment + "\",\"kind\":\"record\",\"subject\":\"" + subject
                        + "\",\"validUntil\":\"2031-03-01\"}");

        assertThat(execution.response().getStatus())
                .as(execution.response().getMessage())
                .isEqualTo(200);
        String entry = execution.response().getPayload().toStringUtf8();
        assertThat(entry).contains("\"subject\":\"" + subject + "\"").contains("\"validUntil\":\"2031-03-01\"");
        String indexKey = "\u0000subject\u0000" + subject + "\u0000Org1MSP\u0000" + commitment + "\u0000";
        assertThat(execution.writes())
                .containsOnlyKeys(commitment, indexKey)
                .containsEntry(commitment, ByteString.copyFromUtf8(entry));
    }

    @Test
    void anchor_asInspector_isDeniedAndWritesNothing() throws Exception {
        FakePeer.Execution execution = peer.execute(inspector, TX_TIME, "anchor", randomCommitment(), "record");

        Response response = execution.response();
        assertThat(response.getStatus()).isEqualTo(500);
        assertThat(response.getMessage()).isEqualTo("role 'inspector' of Org1MSP may not call 'anchor'");
        assertThat(response.getPayload().toStringUtf8()).isEqualTo("PERMISSION_DENIED");
        assertThat(execution.writes()).isEmpty();
        assertThat(execution.event()).isNull();
    }

    @Test
    void anchor_byAnIdentityWithoutRole_isDenied() throws Exception {
        FakePeer.Execution execution = peer.execute(noRole, TX_TIME, "anchor", randomCommitment(), "record");

        assertThat(execution.response().getStatus()).isEqualTo(500);
        assertThat(execution.response().getMessage())
                .isEqualTo("an identity of Org1MSP without a 'dossier.role' attribute may not call 'anchor'");
        assertThat(execution.writes()).isEmpty();
    }

    @Test
    void transaction_withAMalformedProposal_endsInError() throws Exception {
        SignedProposal garbage = SignedProposal.newBuilder()
                .setProposalBytes(ByteString.copyFrom("not a proposal", UTF_8))
                .build();

        FakePeer.Execution execution = peer.execute("tx-malformed", garbage, "getPolicy");

        assertThat(execution.last().getType()).isEqualTo(ChaincodeMessage.Type.ERROR);
        assertThat(execution.last().getPayload().toStringUtf8()).isNotEmpty();
        assertThat(execution.writes()).isEmpty();
    }

    private static String randomCommitment() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** An identity of {@code mspId} issued by {@code ca}, named {@code CN=<commonName>, OU=client, O=<mspId>}. */
    static FakePeer.Creator creator(TestPki.Ca ca, String mspId, String commonName, Map<String, String> attributes) {
        return new FakePeer.Creator(
                mspId, ca.issue(new X500Name("CN=" + commonName + ",OU=client,O=" + mspId), attributes));
    }
}
