package dev.dossier.node;

import static dev.dossier.node.TestNetwork.newCommitment;
import static dev.dossier.node.TestNetwork.notary;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dossier.common.note.NoteSignature;
import dev.dossier.common.note.SignedNote;
import dev.dossier.common.note.TrustFile;
import dev.dossier.common.receipt.Receipt;
import dev.dossier.common.receipt.VerifiedReceipt;
import dev.dossier.node.identity.IdentityValidator;
import dev.dossier.node.ledger.BlockHashes;
import dev.dossier.node.ledger.Ledger;
import dev.dossier.node.ledger.TxStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.Status;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeInvocationSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.hyperledger.fabric.protos.peer.Transaction;
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
 * Three organisations, one node each, ordering with Raft over loopback, driven by the official fabric-gateway client.
 * The tests run in order on one network: what a test leaves is what the next one starts from.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RaftNetworkIT {
    @TempDir
    static Path directory;

    private TestCluster cluster;

    @BeforeAll
    void startNetwork() throws Exception {
        cluster = new TestCluster(directory, 3);
        cluster.awaitLeader();
    }

    @AfterAll
    void stopNetwork() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void submitThroughAFollower_isCommittedByEveryNode_inTheSameBlock() throws Exception {
        int follower = (cluster.awaitLeader() + 1) % 3;
        String commitment = newCommitment();
        Status status;
        try (Gateway gateway = cluster.gateway(follower, "issuer", follower)) {
            status = anchor(notary(gateway), commitment);
        }

        assertThat(status.getCode()).isEqualTo(TxValidationCode.VALID);
        cluster.awaitSameHeight(status.getBlockNumber() + 1, Duration.ofSeconds(30));
        for (int i = 0; i < 3; i++) {
            assertThat(cluster.ledger(i).transaction(status.getTransactionId()))
                    .contains(new TxStatus(status.getBlockNumber(), 0, TxValidationCode.VALID));
            try (Gateway gateway = cluster.gateway(i, "inspector", i)) {
                assertThat(new String(
                                notary(gateway).evaluateTransaction("status", commitment), StandardCharsets.UTF_8))
                        .contains(commitment);
            }
        }
        assertIdenticalBlocks();
    }

    @Test
    @Order(2)
    void clientOfAnotherOrganisation_getsAnEndorsementFromItsOwnOrganisationsNode() throws Exception {
        Status status;
        try (Gateway gateway = cluster.gateway(0, "issuer", 1)) {
            status = anchor(notary(gateway), newCommitment());
        }

        assertThat(status.getCode()).isEqualTo(TxValidationCode.VALID);
        Block block = cluster.ledger(1).block(status.getBlockNumber()).orElseThrow();
        Set<String> endorsers = new HashSet<>();
        for (Endorsement endorsement : endorsements(block, status.getTransactionId())) {
            endorsers.add(
                    SerializedIdentity.parseFrom(endorsement.getEndorser()).getMspid());
        }
        assertThat(endorsers).containsExactlyInAnyOrder("Org1MSP", "Org2MSP");
    }

    @Test
    @Order(3)
    void receiptFromEveryNode_verifiesOffline_withCheckpointsCosignedByAMajorityOfTheNodes() throws Exception {
        String commitment = newCommitment();
        try (Gateway gateway = cluster.gateway(0, "issuer", 0)) {
            assertThat(anchor(notary(gateway), commitment).getCode()).isEqualTo(TxValidationCode.VALID);
        }
        cluster.awaitAllCaughtUp(); // each node serves the receipt once it holds the block
        HttpClient http = HttpClient.newHttpClient();
        String trustText =
                dev.dossier.node.log.TrustFiles.of(cluster.consortium).format();
        TrustFile trust = TrustFile.parse(trustText);
        assertThat(trust.cosigners()).isEqualTo(2);
        for (int i = 0; i < 3; i++) {
            String base = "http://localhost:" + cluster.nodes[i].httpPort();
            assertThat(http.send(
                                    HttpRequest.newBuilder(URI.create(base + "/v1/keys"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body())
                    .as("keys served by node " + i)
                    .isEqualTo(trustText);
            HttpResponse<String> response;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            do {
                response = http.send(
                        HttpRequest.newBuilder(URI.create(base + "/v1/receipts/" + commitment))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 503 && System.nanoTime() < deadline) {
                    Thread.sleep(250);
                }
            } while (response.statusCode() == 503 && System.nanoTime() < deadline);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            String compact =
                    new ObjectMapper().readTree(response.body()).get("receipt").asText();
            Receipt receipt = Receipt.decode(compact);

            VerifiedReceipt verified = receipt.verify(trust);

            assertThat(verified.commitment()).isEqualTo(commitment);
            assertThat(verified.signers()).hasSizeGreaterThanOrEqualTo(2);
            assertThat(SignedNote.parse(receipt.checkpoint()).signatures().stream()
                            .map(NoteSignature::keyName)
                            .distinct())
                    .as("distinct node signatures on the checkpoint of node " + i)
                    .hasSizeGreaterThanOrEqualTo(2);
        }
    }

    @Test
    @Order(4)
    void leaderStoppedDuringBulkUpload_noAcknowledgedTransactionLostOrDuplicated_andItCatchesUpAfterRestart()
            throws Exception {
        int leader = cluster.awaitLeader();
        int[] survivors = {(leader + 1) % 3, (leader + 2) % 3};
        int attempts = 400;
        Map<String, Status> acknowledged = new ConcurrentHashMap<>();
        AtomicInteger started = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        List<Gateway> gateways = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try {
            for (int survivor : survivors) {
                gateways.add(cluster.gateway(survivor, "issuer", survivor));
            }
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < 16; c++) {
                Contract contract = notary(gateways.get(c % 2));
                running.add(clients.submit(() -> {
                    while (started.getAndIncrement() < attempts) {
                        String commitment = newCommitment();
                        try {
                            Status status = anchor(contract, commitment);
                            if (status.getCode() == TxValidationCode.VALID) {
                                acknowledged.put(commitment, status);
                            } else {
                                failed.incrementAndGet();
                            }
                        } catch (Exception e) {
                            failed.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            while (acknowledged.size() < 80) {
                assertThat(running)
                        .as("clients still uploading, " + acknowledged.size() + " acknowledged, " + failed + " failed")
                        .anyMatch(result -> !result.isDone());
                Thread.sleep(10);
            }
            cluster.stop(leader);
            for (Future<?> result : running) {
                result.get(120, TimeUnit.SECONDS);
            }
        } finally {
            clients.shutdownNow();
            for (Gateway gateway : gateways) {
                gateway.close();
            }
        }
        assertThat(acknowledged.size())
                .as("acknowledged after the leader stopped")
                .isGreaterThan(attempts / 2);

        cluster.start(leader);
        long height = cluster.awaitSameHeight(0, Duration.ofSeconds(60));

        Map<String, Integer> validAnchors = validAnchorsPerCommitment(cluster.ledger(leader));
        for (Map.Entry<String, Status> ack : acknowledged.entrySet()) {
            assertThat(validAnchors.get(ack.getKey()))
                    .as("anchors of acknowledged " + ack.getKey())
                    .isEqualTo(1);
            for (int i = 0; i < 3; i++) {
                assertThat(cluster.ledger(i).transaction(ack.getValue().getTransactionId()))
                        .map(TxStatus::code)
                        .contains(TxValidationCode.VALID);
            }
        }
        assertThat(validAnchors.values()).allMatch(count -> count == 1);
        assertThat(height)
                .isGreaterThan(acknowledged.values().stream()
                        .mapToLong(Status::getBlockNumber)
                        .max()
                        .orElseThrow());
        assertIdenticalBlocks();
    }

    @Test
    @Order(5)
    void followerCutOffFromRaft_rejoinsAndCatchesUpFromTheLeadersBlocks() throws Exception {
        int leader = cluster.awaitLeader();
        int follower = (leader + 1) % 3;
        cluster.raft(follower).leave();
        long before = cluster.ledger(follower).height();
        List<String> commitments = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try (Gateway gateway = cluster.gateway(leader, "issuer", leader)) {
            Contract contract = notary(gateway);
            // enough Raft entries for several snapshots: the leader purges the log the follower would need
            for (int round = 0; round < 40; round++) {
                List<Future<?>> batch = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    String commitment = newCommitment();
                    commitments.add(commitment);
                    batch.add(clients.submit(() -> contract.submitTransaction("anchor", commitment, "record")));
                }
                for (Future<?> result : batch) {
                    result.get(60, TimeUnit.SECONDS);
                }
            }
        } finally {
            clients.shutdownNow();
        }
        assertThat(cluster.ledger(follower).height()).isEqualTo(before);

        cluster.raft(follower).rejoin();
        cluster.awaitSameHeight(cluster.ledger(leader).height(), Duration.ofSeconds(60));

        assertThat(cluster.raft(follower).blocksFetched())
                .as("blocks fetched from the leader")
                .isPositive();
        try (Gateway gateway = cluster.gateway(follower, "inspector", follower)) {
            for (String commitment : commitments.subList(0, 5)) {
                assertThat(new String(
                                notary(gateway).evaluateTransaction("status", commitment), StandardCharsets.UTF_8))
                        .contains(commitment);
            }
        }
        assertIdenticalBlocks();
    }

    @Test
    @Order(6)
    void stoppedNetwork_auditIsClean_everyBlockSignedByItsNode_andAllNodesAgree() throws Exception {
        cluster.awaitSameHeight(0, Duration.ofSeconds(30));
        cluster.close();
        Map<String, Path> ledgers = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            ledgers.put(
                    cluster.settings.get(i).cluster().self(),
                    directory.resolve("node" + i).resolve("ledger"));
        }
        NetworkAudit.Report report = NetworkAudit.audit(
                cluster.settings.get(0).cluster(), new IdentityValidator(cluster.consortium.msps()), ledgers);

        assertThat(report.lines()).anyMatch(line -> line.contains("identical on all 3 nodes"));
        assertThat(report.clean()).as(String.join("\n", report.lines())).isTrue();
    }

    /** Anchors a commitment and waits for its commit status. */
    private static Status anchor(Contract contract, String commitment) throws Exception {
        return contract.newProposal("anchor")
                .addArguments(commitment, "record")
                .build()
                .endorse()
                .submitAsync()
                .getStatus();
    }

    /** Every running node holds the same blocks: header (hash chain), transactions, validation codes. */
    private void assertIdenticalBlocks() {
        List<Ledger> ledgers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            if (cluster.nodes[i] != null) {
                ledgers.add(cluster.ledger(i));
            }
        }
        long height = ledgers.stream().mapToLong(Ledger::height).min().orElseThrow();
        for (long number = 0; number < height; number++) {
            Block first = ledgers.get(0).block(number).orElseThrow();
            for (Ledger other : ledgers.subList(1, ledgers.size())) {
                Block block = other.block(number).orElseThrow();
                assertThat(BlockHashes.headerHash(block.getHeader()))
                        .as("hash of block " + number)
                        .isEqualTo(BlockHashes.headerHash(first.getHeader()));
                assertThat(block.getMetadata().getMetadata(BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE))
                        .isEqualTo(first.getMetadata().getMetadata(BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE));
            }
        }
        // The commitment logs, derived from those blocks, agree on every leaf they share.
        List<dev.dossier.node.log.CommitmentLog> logs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            if (cluster.nodes[i] != null) {
                logs.add(cluster.nodes[i].commitmentLog());
            }
        }
        long size = logs.stream()
                .mapToLong(dev.dossier.node.log.CommitmentLog::size)
                .min()
                .orElseThrow();
        assertThat(size).isPositive();
        for (var log : logs.subList(1, logs.size())) {
            assertThat(log.root(size))
                    .as("commitment log root at size " + size)
                    .isEqualTo(logs.get(0).root(size));
        }
    }

    private static List<Endorsement> endorsements(Block block, String txId) throws Exception {
        for (var data : block.getData().getDataList()) {
            Envelope envelope = Envelope.parseFrom(data);
            Payload payload = Payload.parseFrom(envelope.getPayload());
            var header = org.hyperledger.fabric.protos.common.ChannelHeader.parseFrom(
                    payload.getHeader().getChannelHeader());
            if (header.getTxId().equals(txId)) {
                Transaction transaction = Transaction.parseFrom(payload.getData());
                return ChaincodeActionPayload.parseFrom(
                                transaction.getActions(0).getPayload())
                        .getAction()
                        .getEndorsementsList();
            }
        }
        throw new AssertionError(
                "no transaction " + txId + " in block " + block.getHeader().getNumber());
    }

    /** Counts, per commitment, the VALID {@code anchor} transactions in the whole ledger. */
    private static Map<String, Integer> validAnchorsPerCommitment(Ledger ledger) throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        for (long number = 1; number < ledger.height(); number++) {
            Block block = ledger.block(number).orElseThrow();
            byte[] filter = block.getMetadata()
                    .getMetadata(BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE)
                    .toByteArray();
            for (int i = 0; i < block.getData().getDataCount(); i++) {
                if (filter[i] != TxValidationCode.VALID_VALUE) {
                    continue;
                }
                Payload payload = Payload.parseFrom(
                        Envelope.parseFrom(block.getData().getData(i)).getPayload());
                ChaincodeActionPayload action = ChaincodeActionPayload.parseFrom(
                        Transaction.parseFrom(payload.getData()).getActions(0).getPayload());
                var args = ChaincodeInvocationSpec.parseFrom(
                                ChaincodeProposalPayload.parseFrom(action.getChaincodeProposalPayload())
                                        .getInput())
                        .getChaincodeSpec()
                        .getInput()
                        .getArgsList();
                if (args.get(0).toStringUtf8().endsWith("anchor")) {
                    counts.merge(args.get(1).toStringUtf8(), 1, Integer::sum);
                }
            }
        }
        return counts;
    }
}
