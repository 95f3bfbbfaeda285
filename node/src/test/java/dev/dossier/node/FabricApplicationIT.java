package dev.dossier.node;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dossier.common.net.NodeAddress;
import dev.dossier.node.chaincode.ContractJars;
import dev.dossier.node.cli.Main;
import dev.dossier.node.config.Consortium;
import dev.dossier.node.ordering.BlockLimits;
import dev.dossier.testing.FreePorts;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.hyperledger.fabric.client.ChaincodeEvent;
import org.hyperledger.fabric.client.CloseableIterator;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.EndorseException;
import org.hyperledger.fabric.client.FileCheckpointer;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.client.Network;
import org.hyperledger.fabric.client.SubmittedTransaction;
import org.hyperledger.fabric.client.identity.Identities;
import org.hyperledger.fabric.client.identity.Signers;
import org.hyperledger.fabric.client.identity.X509Identity;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Fabric application and its Java contract run on a node as on Fabric's test network, unchanged: the node is made by
 * {@code network init} with the test network's names ({@code Org1MSP}, {@code peer0.org1.example.com},
 * {@code users/User1@org1.example.com/msp}) and started with server-only TLS; the application connects as
 * fabric-samples' {@code application-gateway-java} does (the official client, the peer's TLS CA, TLS server name
 * {@code peer0.org1.example.com}, no client certificate, the first files of {@code signcerts} and {@code keystore});
 * the contract ({@code src/test/resources/contracts/assets}) keeps its state with Genson, emits chaincode events and
 * indexes assets by owner with composite keys, and is packaged without Genson. Chaincode events reach the client's
 * listeners in block order, only from valid transactions, and resume from a checkpoint within a block and across a
 * node restart; state survives the restart.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FabricApplicationIT {
    private static final String CHANNEL_NAME = "mychannel";
    private static final String CHAINCODE_NAME = "basic";
    private static final String OVERRIDE_AUTH = "peer0.org1.example.com";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Path directory;
    private Path cryptoPath;
    private Path contractJar;
    private Consortium consortium;
    private Node node;
    private ManagedChannel channel;
    private Gateway gateway;
    private Contract contract;
    private Network network;

    @BeforeAll
    void start(@TempDir Path temporary) throws Exception {
        directory = temporary;
        int port = FreePorts.base(1, NodeSettings.Cluster.RAFT_PORT_OFFSET, NodeAddress.HTTP_PORT_OFFSET);
        Path out = directory.resolve("network");
        // the test network's names (temporary folders hold no spaces)
        String init = "network init --out " + out + " --channel " + CHANNEL_NAME + " --chaincode " + CHAINCODE_NAME
                + " --port " + port + " --domain example.com --node-name peer0 --user User1=issuer";
        int exit = Main.commandLine().execute(init.split(" "));
        assertThat(exit).isZero();
        consortium = Consortium.load(out.resolve("consortium.yaml"));
        cryptoPath = out.resolve("organizations/peerOrganizations/org1.example.com");
        contractJar = thinContractJar();
        node = startNode();
        channel = newGrpcConnection("localhost:" + port);
        gateway = Gateway.newInstance()
                .identity(new X509Identity("Org1MSP", readCertificate()))
                .signer(Signers.newPrivateKeySigner(readPrivateKey()))
                .connection(channel)
                .evaluateOptions(options -> options.withDeadlineAfter(5, TimeUnit.SECONDS))
                .endorseOptions(options -> options.withDeadlineAfter(15, TimeUnit.SECONDS))
                .submitOptions(options -> options.withDeadlineAfter(5, TimeUnit.SECONDS))
                .commitStatusOptions(options -> options.withDeadlineAfter(1, TimeUnit.MINUTES))
                .connect();
        network = gateway.getNetwork(CHANNEL_NAME);
        contract = network.getContract(CHAINCODE_NAME);
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (gateway != null) {
            gateway.close();
        }
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (node != null) {
            node.close();
        }
    }

    /** The contract compiled against the shim and Genson, and packaged alone. */
    private Path thinContractJar() throws Exception {
        Path sources = Path.of(
                FabricApplicationIT.class.getResource("/contracts/assets").toURI());
        Map<String, String> files = new LinkedHashMap<>();
        try (Stream<Path> walk = Files.walk(sources)) {
            for (Path file : walk.filter(f -> f.toString().endsWith(".java")).toList()) {
                files.put(sources.relativize(file).toString(), Files.readString(file));
            }
        }
        return ContractJars.compile(
                directory.resolve("contract"),
                directory.resolve("asset-transfer.jar"),
                files,
                name -> true,
                org.hyperledger.fabric.contract.ContractInterface.class,
                org.hyperledger.fabric.protos.peer.ChaincodeEvent.class,
                Class.forName("com.owlike.genson.Genson"));
    }

    /** The node of {@code network init}'s material with server-only TLS, blocks cut after 1 s or 1,000 transactions. */
    private Node startNode() throws Exception {
        BlockLimits limits = new BlockLimits(1000, BlockLimits.DEFAULT.maxBytes(), Duration.ofSeconds(1));
        return Node.start(
                NodeSettings.of(consortium, "Org1MSP", null, directory.resolve("data"), contractJar, limits).toBuilder()
                        .httpPort(0)
                        .tls(consortium.tls(OVERRIDE_AUTH))
                        .build());
    }

    // As fabric-samples' application-gateway-java connects and reads its identity.

    private ManagedChannel newGrpcConnection(String peerEndpoint) throws Exception {
        try (Reader tlsCertReader =
                Files.newBufferedReader(cryptoPath.resolve("peers/peer0.org1.example.com/tls/ca.crt"))) {
            return NettyChannelBuilder.forTarget(peerEndpoint)
                    .sslContext(GrpcSslContexts.forClient()
                            .trustManager(Identities.readX509Certificate(tlsCertReader))
                            .build())
                    .overrideAuthority(OVERRIDE_AUTH)
                    .build();
        }
    }

    private java.security.cert.X509Certificate readCertificate() throws Exception {
        try (Reader certReader =
                Files.newBufferedReader(firstFile(cryptoPath.resolve("users/User1@org1.example.com/msp/signcerts")))) {
            return Identities.readX509Certificate(certReader);
        }
    }

    private java.security.PrivateKey readPrivateKey() throws Exception {
        try (Reader keyReader =
                Files.newBufferedReader(firstFile(cryptoPath.resolve("users/User1@org1.example.com/msp/keystore")))) {
            return Identities.readPrivateKey(keyReader);
        }
    }

    private static Path firstFile(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.findFirst().orElseThrow();
        }
    }

    private static JsonNode json(byte[] bytes) throws IOException {
        return JSON.readTree(bytes);
    }

    private static Map<String, Object> asset(String id, String color, int size, String owner, int value) {
        Map<String, Object> asset = new LinkedHashMap<>();
        asset.put("appraisedValue", value);
        asset.put("assetID", id);
        asset.put("color", color);
        asset.put("owner", owner);
        asset.put("size", size);
        return asset;
    }

    private static Map<String, Object> fields(JsonNode node) {
        return JSON.convertValue(node, new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {});
    }

    @Test
    @Order(1)
    void theContractJar_carriesNoGenson() throws IOException {
        try (JarFile jar = new JarFile(contractJar.toFile())) {
            assertThat(jar.stream().map(JarEntry::getName))
                    .contains("demo/assets/AssetTransfer.class", "demo/assets/Asset.class")
                    .noneMatch(name -> name.startsWith("com/owlike/"));
        }
    }

    @Test
    @Order(2)
    void submitAndEvaluate_withGensonObjects_compositeKeys_andFabricsErrors() throws Exception {
        byte[] created = contract.submitTransaction("CreateAsset", "asset1", "yellow", "5", "Tom", "1300");

        assertThat(fields(json(created))).isEqualTo(asset("asset1", "yellow", 5, "Tom", 1300));
        assertThat(fields(json(contract.evaluateTransaction("ReadAsset", "asset1"))))
                .isEqualTo(asset("asset1", "yellow", 5, "Tom", 1300));
        assertThat(new String(contract.submitTransaction("TransferAsset", "asset1", "Saptha"), UTF_8))
                .isEqualTo("Tom");
        JsonNode saptha = json(contract.evaluateTransaction("AssetsByOwner", "Saptha"));
        assertThat(saptha).hasSize(1);
        assertThat(fields(saptha.get(0))).isEqualTo(asset("asset1", "yellow", 5, "Saptha", 1300));
        assertThat(json(contract.evaluateTransaction("AssetsByOwner", "Tom"))).isEmpty();

        long height = node.height();
        assertThatThrownBy(() -> contract.submitTransaction("TransferAsset", "asset70", "Tomoko"))
                .isInstanceOfSatisfying(EndorseException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ABORTED);
                    assertThat(e.getStatus().getDescription())
                            .isEqualTo("failed to endorse transaction, see attached details for more info");
                    assertThat(e.getDetails()).singleElement().satisfies(detail -> {
                        assertThat(detail.getMspId()).isEqualTo("Org1MSP");
                        assertThat(detail.getMessage())
                                .isEqualTo("chaincode response 500, the asset asset70 does not exist");
                    });
                });
        assertThatThrownBy(() -> contract.evaluateTransaction("ReadAsset", "asset70"))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNKNOWN);
                    assertThat(e.getStatus().getDescription())
                            .isEqualTo("evaluate call to endorser returned error: chaincode response 500, the asset"
                                    + " asset70 does not exist");
                });
        assertThat(node.height()).isEqualTo(height);
    }

    @Test
    @Order(3)
    void chaincodeEvents_ofValidTransactions_inBlockOrder_resumeFromACheckpointWithinABlock() throws Exception {
        long start = node.height();
        // endorsed first, submitted together: one block; the second asset2 reads the key the first writes
        List<org.hyperledger.fabric.client.Transaction> endorsed = new ArrayList<>();
        for (String[] args : new String[][] {
            {"asset2", "blue", "3", "Tom", "400"},
            {"asset3", "red", "7", "Max", "900"},
            {"asset2", "green", "1", "Eve", "1"},
            {"asset4", "white", "2", "Tom", "50"}
        }) {
            endorsed.add(contract.newProposal("CreateAsset")
                    .addArguments(args)
                    .build()
                    .endorse());
        }
        List<SubmittedTransaction> submitted = new ArrayList<>();
        for (var transaction : endorsed) {
            submitted.add(transaction.submitAsync());
        }
        List<org.hyperledger.fabric.client.Status> statuses = new ArrayList<>();
        for (SubmittedTransaction transaction : submitted) {
            statuses.add(transaction.getStatus());
        }
        assertThat(statuses)
                .extracting(org.hyperledger.fabric.client.Status::getCode)
                .containsExactly(
                        TxValidationCode.VALID,
                        TxValidationCode.VALID,
                        TxValidationCode.MVCC_READ_CONFLICT,
                        TxValidationCode.VALID);
        assertThat(statuses)
                .extracting(org.hyperledger.fabric.client.Status::getBlockNumber)
                .as("one block")
                .containsOnly(statuses.get(0).getBlockNumber());
        String invalid = statuses.get(2).getTransactionId();

        Path checkpointFile = directory.resolve("checkpoint.json");
        try (FileCheckpointer checkpointer = new FileCheckpointer(checkpointFile)) {
            List<ChaincodeEvent> events = new ArrayList<>();
            try (CloseableIterator<ChaincodeEvent> stream = network.newChaincodeEventsRequest(CHAINCODE_NAME)
                    .startBlock(start)
                    .checkpoint(checkpointer)
                    .build()
                    .getEvents()) {
                for (int i = 0; i < 3; i++) {
                    events.add(stream.next());
                }
                checkpointer.checkpointChaincodeEvent(events.get(0));
            }
            assertThat(events)
                    .extracting(ChaincodeEvent::getTransactionId)
                    .containsExactly(
                            statuses.get(0).getTransactionId(),
                            statuses.get(1).getTransactionId(),
                            statuses.get(3).getTransactionId())
                    .doesNotContain(invalid);
            assertThat(events).extracting(ChaincodeEvent::getEventName).containsOnly("AssetCreated");
            assertThat(events).extracting(ChaincodeEvent::getChaincodeName).containsOnly(CHAINCODE_NAME);
            assertThat(fields(json(events.get(1).getPayload()))).isEqualTo(asset("asset3", "red", 7, "Max", 900));

            // resumed after asset2's transaction, within its block
            try (CloseableIterator<ChaincodeEvent> resumed = network.newChaincodeEventsRequest(CHAINCODE_NAME)
                    .checkpoint(checkpointer)
                    .build()
                    .getEvents()) {
                ChaincodeEvent next = resumed.next();
                assertThat(next.getTransactionId()).isEqualTo(statuses.get(1).getTransactionId());
                checkpointer.checkpointChaincodeEvent(next);
            }
        }
    }

    @Test
    @Order(4)
    void stateAndTheEventCheckpoint_surviveANodeRestart() throws Exception {
        contract.submitTransaction("TransferAsset", "asset3", "Tom");

        node.close();
        node = startNode();

        assertThat(fields(json(contract.evaluateTransaction("ReadAsset", "asset3"))))
                .isEqualTo(asset("asset3", "red", 7, "Tom", 900));
        JsonNode tom = json(contract.evaluateTransaction("AssetsByOwner", "Tom"));
        assertThat(tom)
                .extracting(asset -> asset.get("assetID").asText())
                .containsExactly("asset2", "asset3", "asset4");
        try (FileCheckpointer checkpointer = new FileCheckpointer(directory.resolve("checkpoint.json"));
                CloseableIterator<ChaincodeEvent> resumed = network.newChaincodeEventsRequest(CHAINCODE_NAME)
                        .checkpoint(checkpointer)
                        .build()
                        .getEvents()) {
            ChaincodeEvent asset4 = resumed.next();
            ChaincodeEvent transfer = resumed.next();
            assertThat(fields(json(asset4.getPayload()))).isEqualTo(asset("asset4", "white", 2, "Tom", 50));
            assertThat(transfer.getEventName()).isEqualTo("AssetTransferred");
            assertThat(fields(json(transfer.getPayload()))).isEqualTo(asset("asset3", "red", 7, "Tom", 900));
            assertThat(transfer.getBlockNumber()).isGreaterThan(asset4.getBlockNumber());
        }
        assertThat(fields(json(contract.submitTransaction("CreateAsset", "asset5", "black", "9", "Max", "10"))))
                .isEqualTo(asset("asset5", "black", 9, "Max", 10));
    }
}
