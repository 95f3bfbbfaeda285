package dev.dossier.node;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dossier.node.config.Consortium;
import dev.dossier.node.config.CryptoGen;
import dev.dossier.node.config.GenesisPolicy;
import dev.dossier.node.consortium.ConsortiumChanges;
import dev.dossier.node.consortium.ConsortiumDocument;
import dev.dossier.node.consortium.ConsortiumFiles;
import dev.dossier.node.ledger.TxStatus;
import dev.dossier.node.ordering.BlockLimits;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.Status;
import org.hyperledger.fabric.client.SubmittedTransaction;
import org.hyperledger.fabric.client.Transaction;
import org.hyperledger.fabric.client.identity.Signers;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node that orders alone checks identities again when it commits: a transaction its gateway accepted just before a
 * revocation came into force, but ordered into a block after the revocation's, is invalid, as on a network ordered by
 * Raft. One node, its consortium on the ledger, one transaction per block; heavy transactions queued ahead of the
 * revocation keep the victim's submission (checked at once by the gateway) before the revocation's block is committed.
 */
class OneNodeRevocationIT {
    private static final int FILLERS = 4;
    private static final int ENTRIES_PER_FILLER = 1_500;

    @TempDir
    Path directory;

    @Test
    void transactionSubmittedBeforeARevocation_butCommittedAfterIt_isInvalid() throws Exception {
        Path network = directory.resolve("network");
        Consortium consortium = CryptoGen.generate(network, 1, "dossier", "notary", 7051);
        NodeSettings settings = NodeSettings.of(
                        consortium,
                        "Org1MSP",
                        null,
                        directory.resolve("node"),
                        TestNetwork.chaincodeJar(),
                        new BlockLimits(1, BlockLimits.DEFAULT.maxBytes(), Duration.ofMillis(5)))
                .toBuilder()
                .port(0)
                .cluster(null)
                .genesisPolicy(GenesisPolicy.load(network).orElseThrow())
                .consortium(ConsortiumFiles.genesis(consortium, network))
                .build();
        try (Node node = Node.start(settings)) {
            ManagedChannel channel = NettyChannelBuilder.forAddress("localhost", node.port())
                    .usePlaintext()
                    .build();
            try (Gateway issuer = gateway(channel, consortium, "Issuer@org1.dossier.local");
                    Gateway employer = gateway(channel, consortium, "Employer@org1.dossier.local");
                    Gateway admin = gateway(channel, consortium, "Admin@org1.dossier.local")) {
                List<Transaction> fillers = new ArrayList<>();
                for (int i = 0; i < FILLERS; i++) {
                    fillers.add(TestNetwork.notary(issuer)
                            .newProposal("anchorBatch")
                            .addArguments(batch())
                            .build()
                            .endorse());
                }
                Transaction revocation = admin.getNetwork("dossier")
                        .getContract(ConsortiumChanges.NAMESPACE)
                        .newProposal("propose")
                        .addArguments(revoking(admin, consortium, "Employer@org1.dossier.local"))
                        .build()
                        .endorse();
                String commitment = TestNetwork.newCommitment();
                Transaction victim = TestNetwork.notary(employer)
                        .newProposal("anchor")
                        .addArguments(commitment, "record")
                        .build()
                        .endorse();

                List<SubmittedTransaction> queued = new ArrayList<>();
                for (Transaction filler : fillers) {
                    queued.add(filler.submitAsync());
                }
                SubmittedTransaction revoked = revocation.submitAsync();
                SubmittedTransaction submitted = victim.submitAsync(); // the gateway accepts it: not yet revoked

                for (SubmittedTransaction filler : queued) {
                    assertThat(filler.getStatus().getCode()).isEqualTo(TxValidationCode.VALID);
                }
                Status revocationStatus = revoked.getStatus();
                assertThat(revocationStatus.getCode()).isEqualTo(TxValidationCode.VALID);
                // the employer may no longer ask for its transaction's status: the ledger tells it
                TxStatus victimStatus = awaitCommitted(node, submitted.getTransactionId());
                assertThat(victimStatus.blockNumber())
                        .as("the victim's block comes after the revocation's")
                        .isGreaterThan(revocationStatus.getBlockNumber());
                assertThat(victimStatus.code()).isEqualTo(TxValidationCode.BAD_CREATOR_SIGNATURE);
                assertThat(node.ledger().get("notary", commitment))
                        .as("nothing anchored")
                        .isEmpty();
                assertThatThrownBy(() -> TestNetwork.notary(employer)
                                .submitTransaction("anchor", TestNetwork.newCommitment(), "record"))
                        .satisfies(
                                e -> assertThat(TestNetwork.refusal((org.hyperledger.fabric.client.GatewayException) e))
                                        .contains("creator rejected", "revoked"));
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    private static TxStatus awaitCommitted(Node node, String txId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (node.ledger().transaction(txId).isEmpty()) {
            assertThat(System.nanoTime()).as("transaction committed").isLessThan(deadline);
            Thread.sleep(20);
        }
        return node.ledger().transaction(txId).get();
    }

    /** @return an anchorBatch argument of fresh commitments: a transaction slow enough to commit */
    private static String batch() {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < ENTRIES_PER_FILLER; i++) {
            json.append(i == 0 ? "" : ",")
                    .append("{\"commitment\":\"")
                    .append(TestNetwork.newCommitment())
                    .append("\",\"kind\":\"record\"}");
        }
        return json.append(']').toString();
    }

    /** @return the next consortium document, revoking the user's certificate */
    private static String revoking(Gateway admin, Consortium consortium, String user) throws Exception {
        ConsortiumDocument current = ConsortiumDocument.parse(admin.getNetwork("dossier")
                .getContract(ConsortiumChanges.NAMESPACE)
                .evaluateTransaction("config"));
        java.math.BigInteger serial = TestNetwork.certificate(
                        TestNetwork.userNamed(consortium, user).certificate())
                .getSerialNumber();
        return new String(
                current.with(
                                current.sequence() + 1,
                                List.of(current.organisations().get(0).revoking(serial)))
                        .toJson(),
                UTF_8);
    }

    private static Gateway gateway(ManagedChannel channel, Consortium consortium, String name) throws Exception {
        Consortium.User user = TestNetwork.userNamed(consortium, name);
        return TestNetwork.gateway(
                channel,
                "Org1MSP",
                TestNetwork.certificate(user.certificate()),
                Signers.newPrivateKeySigner(TestNetwork.key(user.privateKey())));
    }
}
