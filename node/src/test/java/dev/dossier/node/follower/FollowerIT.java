package dev.dossier.node.follower;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dossier.common.note.TrustFile;
import dev.dossier.common.receipt.Receipt;
import dev.dossier.common.receipt.VerifiedReceipt;
import dev.dossier.node.TestNetwork;
import dev.dossier.node.config.Consortium;
import dev.dossier.node.identity.IdentityValidator;
import dev.dossier.node.identity.Signer;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.peer.DeliverGrpc;
import org.hyperledger.fabric.protos.peer.DeliverResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower process end to end without Fabric: a real node writes the blocks, a gRPC server plays the peer's Deliver
 * service (it checks the follower's signed seek request, as a peer checks it against the channel's Readers, and
 * streams the node's blocks from the number asked), and the follower, over real gRPC with RocksDB on disk, serves a
 * receipt through its HTTP API that verifies offline against the trust file it wrote; restarted, it asks for the
 * blocks from where it stopped.
 */
class FollowerIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path directory;

    private static TestNetwork network;
    private static Server peer;
    /** The start of every seek request the peer accepted, in order. */
    private static final List<Long> seeks = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startNodeAndPeer() throws Exception {
        network = new TestNetwork(directory);
        IdentityValidator readers = new IdentityValidator(network.consortium.msps());
        peer = NettyServerBuilder.forPort(0)
                .addService(new DeliverGrpc.DeliverImplBase() {
                    @Override
                    public StreamObserver<Envelope> deliver(StreamObserver<DeliverResponse> responses) {
                        return new StreamObserver<>() {
                            @Override
                            public void onNext(Envelope request) {
                                try {
                                    Payload payload = Payload.parseFrom(request.getPayload());
                                    SignatureHeader header = SignatureHeader.parseFrom(
                                            payload.getHeader().getSignatureHeader());
                                    readers.validate(header.getCreator())
                                            .verify(
                                                    request.getPayload().toByteArray(),
                                                    request.getSignature().toByteArray());
                                    long from = SeekInfo.parseFrom(payload.getData())
                                            .getStart()
                                            .getSpecified()
                                            .getNumber();
                                    seeks.add(from);
                                    for (long n = from; n < network.node.height(); n++) {
                                        responses.onNext(DeliverResponse.newBuilder()
                                                .setBlock(network.node
                                                        .ledger()
                                                        .block(n)
                                                        .orElseThrow())
                                                .build());
                                    }
                                } catch (Exception e) {
                                    responses.onNext(DeliverResponse.newBuilder()
                                            .setStatus(org.hyperledger.fabric.protos.common.Status.FORBIDDEN)
                                            .build());
                                    responses.onCompleted();
                                }
                            }

                            @Override
                            public void onError(Throwable t) {}

                            @Override
                            public void onCompleted() {
                                responses.onCompleted();
                            }
                        };
                    }
                })
                .build()
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        peer.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        network.close();
    }

    @Test
    void servesAReceiptThatVerifiesOfflineAndResumesAfterARestart() throws Exception {
        String first = anchor();
        FollowerSettings settings = settings(directory.resolve("follower"));
        String receipt;
        long height;
        try (Follower follower = Follower.start(settings)) {
            JsonNode answer = awaitReceipt(follower, first);
            receipt = answer.get("receipt").asText();
            height = follower.height();
            assertThat(follower.healthy()).isTrue();
            assertThat(answer.get("entry").get("status").asText()).isEqualTo("active");
        }
        assertThat(seeks).containsExactly(0L);
        TrustFile trust =
                TrustFile.parse(Files.readString(settings.dataDirectory().resolve(Follower.TRUST_FILE)));
        VerifiedReceipt verified = Receipt.decode(receipt).verify(trust);
        assertThat(verified.commitment()).isEqualTo(first);

        String second = anchor();
        try (Follower follower = Follower.start(settings)) {
            awaitReceipt(follower, second);
            assertThat(follower.commitmentLog().size())
                    .isEqualTo(network.node.commitmentLog().size());
            assertThat(follower.commitmentLog().root(follower.commitmentLog().size()))
                    .isEqualTo(network.node
                            .commitmentLog()
                            .root(network.node.commitmentLog().size()));
        }
        assertThat(seeks).containsExactly(0L, height);
    }

    private static String anchor() throws Exception {
        String commitment = TestNetwork.newCommitment();
        try (Gateway issuer = network.gateway("issuer")) {
            TestNetwork.notary(issuer).submitTransaction("anchor", commitment, "record");
        }
        return commitment;
    }

    /** Polls the follower's {@code /v1/receipts} until it covers the commitment (at most 30 s). */
    private static JsonNode awaitReceipt(Follower follower, String commitment) throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        HttpResponse<String> response;
        do {
            response = HTTP.send(
                    HttpRequest.newBuilder(URI.create(follower.httpUrl() + "/v1/receipts/" + commitment))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                return JSON.readTree(response.body());
            }
            Thread.sleep(200);
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError(
                "no receipt of " + commitment + " from the follower: " + response.statusCode() + " " + response.body());
    }

    /** A follower of the test network's channel through the peer above, trusting the node as orderer and endorser. */
    private static FollowerSettings settings(Path data) throws Exception {
        Files.createDirectories(data);
        Consortium.Node node = network.consortium.nodes().get(0);
        Signer nodeIdentity = Signer.fromPem("Org1MSP", node.certificate(), node.privateKey());
        return new FollowerSettings(
                node.name(),
                network.consortium.channel(),
                network.consortium.chaincode(),
                new PeerConnection("localhost:" + peer.getPort(), List.of(), null, null, null),
                "Org1MSP",
                node.certificate(),
                node.privateKey(),
                network.consortium.msps(),
                Set.of(nodeIdentity.serializedIdentity()),
                network.consortium.msps().get(0),
                data,
                "localhost",
                0,
                Map.of(node.name(), node.certificate()),
                List.of(),
                null);
    }
}
