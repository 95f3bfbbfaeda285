package dev.dossier.node;

import static dev.dossier.node.TestNetwork.newCommitment;
import static dev.dossier.node.TestNetwork.notary;
import static io.grpc.Status.Code.PERMISSION_DENIED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.dossier.node.config.Consortium;
import dev.dossier.node.config.CryptoGen;
import dev.dossier.node.identity.Signer;
import dev.dossier.node.ordering.BlockPuller;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.client.CallOption;
import org.hyperledger.fabric.client.ChaincodeEvent;
import org.hyperledger.fabric.client.CloseableIterator;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.GatewayRuntimeException;
import org.hyperledger.fabric.client.identity.Signers;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.orderer.SeekPosition;
import org.hyperledger.fabric.protos.orderer.SeekSpecified;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rebuilding other people's dossiers from the event stream, replayed against a two-node, two-organisation network over
 * real gRPC with the official client, each user on its own organisation's node: two organisations anchor in turn, then each role follows ChaincodeEvents from the
 * first of those blocks and asks Deliver for blocks. Operators and auditors see every organisation's events and
 * blocks; an issuer or employer sees only its own organisation's events and no blocks; workers, inspectors and the
 * users of another consortium get neither.
 */
class EventPrivacyAttackIT {
    @TempDir
    static Path directory;

    private static TestCluster network;
    private static long firstBlock;
    /** Transaction ids in commit order: Org1, Org2, Org1, Org2. */
    private static final List<String> TRANSACTIONS = new ArrayList<>();

    @BeforeAll
    static void anchorInTurn() throws Exception {
        network = new TestCluster(directory, 2);
        String[] anchorers = {
            "Issuer@org1.dossier.local",
            "Issuer@org2.dossier.local",
            "Employer@org1.dossier.local",
            "Employer@org2.dossier.local"
        };
        for (String anchorer : anchorers) {
            try (Gateway gateway = network.gatewayOf(anchorer)) {
                var status = notary(gateway)
                        .newProposal("anchor")
                        .addArguments(newCommitment(), "record")
                        .build()
                        .endorse()
                        .submitAsync()
                        .getStatus();
                assertThat(status.isSuccessful()).as(anchorer + " anchors").isTrue();
                if (TRANSACTIONS.isEmpty()) {
                    firstBlock = status.getBlockNumber();
                }
                TRANSACTIONS.add(status.getTransactionId());
            }
        }
        network.awaitAllCaughtUp(); // the tests read events and blocks through either node
    }

    @AfterAll
    static void stopNodes() throws Exception {
        if (network != null) {
            network.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"Auditor@org1.dossier.local", "Admin@org2.dossier.local"})
    void auditorsAndOperators_receiveEveryOrganisationsEvents(String user) throws Exception {
        assertThat(firstEvents(user, 4)).containsExactlyElementsOf(TRANSACTIONS);
    }

    @Test
    void issuerOfOrg2_receivesOnlyOrg2Events_andOrg1ItsOwn() throws Exception {
        assertThat(firstEvents("Issuer@org2.dossier.local", 2))
                .containsExactly(TRANSACTIONS.get(1), TRANSACTIONS.get(3));
        assertThat(firstEvents("Employer@org1.dossier.local", 2))
                .containsExactly(TRANSACTIONS.get(0), TRANSACTIONS.get(2));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Worker1@org1.dossier.local", "Inspector@org1.dossier.local", "Worker2@org2.dossier.local"})
    void workersAndInspectors_areRefusedChaincodeEvents_namingTheirRole(String user) throws Exception {
        String role = network.userNamed(user).role();
        try (Gateway gateway = network.gatewayOf(user);
                CloseableIterator<ChaincodeEvent> events = events(gateway)) {
            assertThatThrownBy(events::next).isInstanceOfSatisfying(GatewayRuntimeException.class, e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(PERMISSION_DENIED);
                assertThat(e.getMessage()).contains("role '" + role + "'").contains("may not read chaincode events");
            });
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Worker1@org1.dossier.local",
                "Inspector@org1.dossier.local",
                "Issuer@org2.dossier.local",
                "Employer@org1.dossier.local"
            })
    void onlyOperatorsAuditorsAndNodes_getBlocksFromDeliver(String user) throws Exception {
        assertThatThrownBy(() -> blocks(user)).isInstanceOf(IOException.class).hasMessageContaining("FORBIDDEN");
        for (String reader : List.of("Auditor@org2.dossier.local", "Admin@org1.dossier.local")) {
            Block block = blocks(reader);
            assertThat(block.getHeader().getNumber()).isEqualTo(firstBlock);
        }
    }

    @Test
    void anAuditorOfAnotherConsortium_getsNeitherEventsNorBlocks() throws Exception {
        Consortium other = CryptoGen.generate(directory.resolve("outsiders"), 1, "dossier", "notary", 9051);
        Consortium.User stranger = other.organisations().get(0).user("auditor");
        try (Gateway gateway = TestNetwork.gateway(
                        network.channel(0),
                        "Org1MSP",
                        TestNetwork.certificate(stranger.certificate()),
                        Signers.newPrivateKeySigner(TestNetwork.key(stranger.privateKey())));
                CloseableIterator<ChaincodeEvent> events = events(gateway)) {
            assertThatThrownBy(events::next).isInstanceOfSatisfying(GatewayRuntimeException.class, e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(PERMISSION_DENIED);
                assertThat(e.getMessage()).contains("creator rejected");
            });
        }
        assertThatThrownBy(() -> blocks(other.signer(stranger.name())))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("FORBIDDEN");
    }

    @Test
    void aDeliverRequestDatedOutsideTheTimeWindow_isRefused_soASeenRequestCannotBeReplayedLater() throws Exception {
        Signer auditor = network.consortium.signer("Auditor@org1.dossier.local");

        assertThat(deliverStatus(auditor, Instant.now().minus(Duration.ofMinutes(20))))
                .isEqualTo(Status.BAD_REQUEST);
        assertThat(deliverStatus(auditor, Instant.now().plus(Duration.ofMinutes(20))))
                .isEqualTo(Status.BAD_REQUEST);
        assertThat(deliverStatus(auditor, Instant.now()))
                .as("the same request dated now")
                .isEqualTo(Status.SUCCESS);
    }

    /** The final status of a Deliver request for block {@link #firstBlock} dated {@code at}, signed by {@code signer}. */
    private static Status deliverStatus(Signer signer, Instant at) {
        ChannelHeader channelHeader = ChannelHeader.newBuilder()
                .setType(HeaderType.DELIVER_SEEK_INFO_VALUE)
                .setChannelId("dossier")
                .setTimestamp(
                        Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()))
                .build();
        SeekPosition block = SeekPosition.newBuilder()
                .setSpecified(SeekSpecified.newBuilder().setNumber(firstBlock))
                .build();
        ByteString payload = Payload.newBuilder()
                .setHeader(Header.newBuilder()
                        .setChannelHeader(channelHeader.toByteString())
                        .setSignatureHeader(SignatureHeader.newBuilder()
                                .setCreator(signer.serializedIdentity())
                                .setNonce(ByteString.copyFromUtf8(at.toString()))
                                .build()
                                .toByteString()))
                .setData(SeekInfo.newBuilder()
                        .setStart(block)
                        .setStop(block)
                        .setBehavior(SeekInfo.SeekBehavior.FAIL_IF_NOT_READY)
                        .build()
                        .toByteString())
                .build()
                .toByteString();
        Envelope request = Envelope.newBuilder()
                .setPayload(payload)
                .setSignature(ByteString.copyFrom(signer.sign(payload.toByteArray())))
                .build();
        BlockingQueue<DeliverResponse> responses = new LinkedBlockingQueue<>();
        StreamObserver<Envelope> requests = AtomicBroadcastGrpc.newStub(network.channel(0))
                .deliver(new StreamObserver<>() {
                    @Override
                    public void onNext(DeliverResponse response) {
                        responses.add(response);
                    }

                    @Override
                    public void onError(Throwable t) {}

                    @Override
                    public void onCompleted() {}
                });
        requests.onNext(request);
        try {
            while (true) {
                DeliverResponse response = responses.poll(30, TimeUnit.SECONDS);
                assertThat(response).as("an answer within 30 s").isNotNull();
                if (response.hasStatus()) {
                    return response.getStatus();
                }
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        } finally {
            requests.onCompleted();
        }
    }

    /** The transaction ids of the first {@code count} events {@code user} receives from {@link #firstBlock}. */
    private static List<String> firstEvents(String user, int count) throws Exception {
        List<String> txIds = new ArrayList<>();
        try (Gateway gateway = network.gatewayOf(user);
                CloseableIterator<ChaincodeEvent> events = events(gateway)) {
            while (txIds.size() < count) {
                txIds.add(events.next().getTransactionId());
            }
        }
        return txIds;
    }

    private static CloseableIterator<ChaincodeEvent> events(Gateway gateway) {
        return gateway.getNetwork("dossier")
                .newChaincodeEventsRequest("notary")
                .startBlock(firstBlock)
                .build()
                .getEvents(CallOption.deadlineAfter(30, TimeUnit.SECONDS));
    }

    /** Block {@link #firstBlock}, as {@code user} gets it through Deliver. */
    private static Block blocks(String user) throws Exception {
        return blocks(network.consortium.signer(user));
    }

    /** Block {@link #firstBlock}, as the holder of {@code signer} gets it through Deliver. */
    private static Block blocks(Signer signer) throws Exception {
        String node = network.settings.get(0).name();
        BlockPuller puller = new BlockPuller(
                "dossier", signer, Map.of(node, network.settings.get(0).host() + ":" + network.nodes[0].port()), null);
        return puller.fetchBlock(node, firstBlock);
    }
}
