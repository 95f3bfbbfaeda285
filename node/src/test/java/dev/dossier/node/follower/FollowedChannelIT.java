package dev.dossier.node.follower;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.dossier.common.note.Checkpoint;
import dev.dossier.node.TestNetwork;
import dev.dossier.node.config.Consortium;
import dev.dossier.node.config.CryptoGen;
import dev.dossier.node.identity.Signer;
import dev.dossier.node.ledger.AuditReport;
import dev.dossier.node.ledger.BlockHashes;
import dev.dossier.node.ledger.BlockRefusedException;
import dev.dossier.node.ledger.Ledger;
import dev.dossier.node.ledger.LedgerAudit;
import dev.dossier.node.log.CommitmentLog;
import dev.dossier.node.ordering.BlockSignatures;
import dev.dossier.node.revocation.RevocationIndex;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower against a peer that lies. The blocks are Fabric's format, written by a real Dossier node (over its
 * gRPC gateway, RocksDB on disk), which plays the orderer (it signs every block with Org1's node key) and the peer
 * (it marks each transaction in the filter). Genuine blocks are followed and give the node's own commitment log;
 * every forgery (bad data hash, broken chain, a transaction marked VALID without the endorsements it needs, a
 * signature not by the orderer's organisation, a filter that lies about a valid transaction) is refused with its
 * reason and leaves the follower's ledger and log as they were; the genuine block is then taken.
 */
class FollowedChannelIT {
    @TempDir
    static Path directory;

    private static TestNetwork network;
    private static List<Block> blocks;
    private static String anchored;
    private static Signer orderer;

    @TempDir
    Path followerDirectory;

    private Ledger ledger;
    private CommitmentLog log;
    private RevocationIndex revocations;
    private FollowedChannel channel;

    @BeforeAll
    static void writeBlocksOnANode() throws Exception {
        network = new TestNetwork(directory);
        try (Gateway issuer = network.gateway("issuer")) {
            Contract notary = TestNetwork.notary(issuer);
            anchored = TestNetwork.newCommitment();
            notary.submitTransaction("anchor", anchored, "record");
            String revoked = TestNetwork.newCommitment();
            notary.submitTransaction("anchor", revoked, "record");
            notary.submitTransaction("revoke", revoked, "fraud");
        }
        blocks = new ArrayList<>();
        for (long n = 0; n < network.node.height(); n++) {
            blocks.add(network.node.ledger().block(n).orElseThrow());
        }
        Consortium.Node node = network.consortium.nodes().get(0);
        orderer = Signer.fromPem("Org1MSP", node.certificate(), node.privateKey());
    }

    @AfterAll
    static void stopNode() throws Exception {
        network.close();
    }

    @BeforeEach
    void openFollower() throws Exception {
        ledger = Ledger.open(followerDirectory.resolve("ledger"));
        log = CommitmentLog.open(followerDirectory.resolve("log"), "notary");
        revocations = RevocationIndex.open(
                followerDirectory.resolve("revocations"), "notary", Checkpoint.origin("dossier", "notary"));
        channel =
                new FollowedChannel(Follower.verifier(settings(network.consortium)), ledger, List.of(log, revocations));
    }

    @AfterEach
    void closeFollower() {
        revocations.close();
        log.close();
        ledger.close();
    }

    /** The trust of a follower of the test network: its organisation, its node as endorser and as orderer. */
    private FollowerSettings settings(Consortium consortium) throws Exception {
        Consortium.Node node = consortium.nodes().get(0);
        ByteString endorser = orderer.serializedIdentity();
        return new FollowerSettings(
                node.name(),
                consortium.channel(),
                consortium.chaincode(),
                new PeerConnection("localhost:1", List.of(), null, null, null),
                "Org1MSP",
                node.certificate(),
                node.privateKey(),
                consortium.msps(),
                Set.of(endorser),
                consortium.msps().get(0),
                followerDirectory,
                "localhost",
                0,
                Map.of(node.name(), node.certificate()),
                List.of(),
                null);
    }

    @Test
    void followsGenuineBlocksToTheNodesOwnLogAndAuditsClean() throws Exception {
        for (Block block : blocks) {
            channel.accept(block);
        }
        CommitmentLog nodeLog = network.node.commitmentLog();
        assertThat(log.size()).isEqualTo(nodeLog.size()).isEqualTo(2);
        assertThat(log.root(log.size())).isEqualTo(nodeLog.root(nodeLog.size()));
        assertThat(log.leafData(0)).isEqualTo(nodeLog.leafData(0));
        assertThat(revocations.version()).isEqualTo(1);
        assertThat(ledger.get("notary", anchored).orElseThrow().value())
                .isEqualTo(network.node
                        .ledger()
                        .get("notary", anchored)
                        .orElseThrow()
                        .value());
        ledger.close();
        AuditReport report = LedgerAudit.audit(followerDirectory.resolve("ledger"));
        assertThat(report.problem()).isEmpty();
        assertThat(report.blocksChecked()).isEqualTo(blocks.size());
    }

    @Test
    void refusesABadDataHash() throws Exception {
        int k = firstNotaryBlock();
        Block forged = withData(blocks.get(k), 0, tamperedSignature(envelope(blocks.get(k), 0)));
        assertRefused(k, forged, "data hash mismatch");
    }

    @Test
    void refusesABrokenChainEvenWhenSigned() throws Exception {
        int k = firstNotaryBlock();
        Block genuine = blocks.get(k);
        Block unsigned = genuine.toBuilder()
                .setHeader(genuine.getHeader().toBuilder().setPreviousHash(ByteString.copyFrom(new byte[32])))
                .build();
        assertRefused(k, resigned(unsigned, orderer), "broken hash chain");
    }

    @Test
    void refusesATransactionMarkedValidWithoutItsEndorsements() throws Exception {
        int k = firstNotaryBlock();
        Envelope genuine = envelope(blocks.get(k), 0);
        Payload payload = Payload.parseFrom(genuine.getPayload());
        Transaction transaction = Transaction.parseFrom(payload.getData());
        ChaincodeActionPayload action =
                ChaincodeActionPayload.parseFrom(transaction.getActions(0).getPayload());
        ChaincodeActionPayload unendorsed = action.toBuilder()
                .setAction(action.getAction().toBuilder().clearEndorsements())
                .build();
        Payload forgedPayload = payload.toBuilder()
                .setData(transaction.toBuilder()
                        .setActions(0, transaction.getActions(0).toBuilder().setPayload(unendorsed.toByteString()))
                        .build()
                        .toByteString())
                .build();
        // the creator signs the changed transaction itself: only the endorsements are missing
        Consortium.User issuer = network.consortium.organisations().get(0).user("issuer");
        Signer creator = Signer.fromPem("Org1MSP", issuer.certificate(), issuer.privateKey());
        Envelope forged = Envelope.newBuilder()
                .setPayload(forgedPayload.toByteString())
                .setSignature(ByteString.copyFrom(creator.sign(forgedPayload.toByteArray())))
                .build();
        Block block = withData(blocks.get(k), 0, forged);
        assertRefused(
                k,
                resigned(withDataHash(block), orderer),
                "is marked VALID by the peer but is ENDORSEMENT_POLICY_FAILURE: transaction has no endorsement");
    }

    @Test
    void refusesASignatureByAnotherOrganisationThanTheOrderers() throws Exception {
        int k = firstNotaryBlock();
        Consortium other = CryptoGen.generate(directory.resolve("other"), 1, "dossier", "notary", 7051);
        Consortium.Node stranger = other.nodes().get(0);
        Signer impostor = Signer.fromPem("Org1MSP", stranger.certificate(), stranger.privateKey());
        assertRefused(k, resigned(blocks.get(k), impostor), "orderer signature");
    }

    @Test
    void refusesACorruptOrdererSignature() throws Exception {
        int k = firstNotaryBlock();
        Block genuine = blocks.get(k);
        Metadata signatures =
                Metadata.parseFrom(genuine.getMetadata().getMetadata(BlockMetadataIndex.SIGNATURES_VALUE));
        byte[] bytes = signatures.getSignatures(0).getSignature().toByteArray();
        bytes[bytes.length - 1] ^= 1;
        Metadata corrupt = signatures.toBuilder()
                .setSignatures(0, signatures.getSignatures(0).toBuilder().setSignature(ByteString.copyFrom(bytes)))
                .build();
        assertRefused(k, withSignatures(genuine, corrupt), "orderer signature");
    }

    @Test
    void refusesAFilterThatLiesAboutAValidTransaction() throws Exception {
        int k = firstNotaryBlock();
        Block genuine = blocks.get(k);
        byte[] filter = genuine.getMetadata()
                .getMetadata(BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE)
                .toByteArray();
        filter[0] = (byte) TxValidationCode.MVCC_READ_CONFLICT_VALUE;
        Block lying = genuine.toBuilder()
                .setMetadata(genuine.getMetadata().toBuilder()
                        .setMetadata(BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE, ByteString.copyFrom(filter)))
                .build();
        assertRefused(k, lying, ": marked MVCC_READ_CONFLICT but re-validation gives VALID");
    }

    /** Follows the blocks before {@code k}, offers {@code forged} as block k: refused, nothing stored, the genuine one taken. */
    private void assertRefused(int k, Block forged, String reason) throws Exception {
        for (int i = 0; i < k; i++) {
            channel.accept(blocks.get(i));
        }
        long logSize = log.size();
        long revocationVersion = revocations.version();
        assertThatThrownBy(() -> channel.accept(forged))
                .isInstanceOf(BlockRefusedException.class)
                .hasMessageStartingWith("block " + k + " refused: ")
                .hasMessageContaining(reason);
        assertThat(ledger.height()).isEqualTo(k);
        assertThat(log.size()).isEqualTo(logSize);
        assertThat(log.appliedHeight()).isEqualTo(k);
        assertThat(revocations.version()).isEqualTo(revocationVersion);
        assertThat(ledger.transaction(txId(envelope(blocks.get(k), 0)))).isEmpty();
        channel.accept(blocks.get(k));
        assertThat(log.size()).isEqualTo(logSize + 1);
    }

    /** The block of the anchoring of {@code anchored}, a notary transaction, the first of its block. */
    private static int firstNotaryBlock() {
        String txId = network.node.ledger().history("notary", anchored).get(0).txId();
        var status = network.node.ledger().transaction(txId).orElseThrow();
        assertThat(status.txNumber()).isZero();
        return (int) status.blockNumber();
    }

    private static Envelope envelope(Block block, int i) throws Exception {
        return Envelope.parseFrom(block.getData().getData(i));
    }

    private static String txId(Envelope envelope) throws Exception {
        return org.hyperledger.fabric.protos.common.ChannelHeader.parseFrom(
                        Payload.parseFrom(envelope.getPayload()).getHeader().getChannelHeader())
                .getTxId();
    }

    private static Envelope tamperedSignature(Envelope envelope) {
        byte[] signature = envelope.getSignature().toByteArray();
        signature[signature.length - 1] ^= 1;
        return envelope.toBuilder().setSignature(ByteString.copyFrom(signature)).build();
    }

    private static Block withData(Block block, int i, Envelope envelope) {
        return block.toBuilder()
                .setData(block.getData().toBuilder().setData(i, envelope.toByteString()))
                .build();
    }

    private static Block withDataHash(Block block) {
        return block.toBuilder()
                .setHeader(block.getHeader().toBuilder()
                        .setDataHash(ByteString.copyFrom(BlockHashes.dataHash(block.getData()))))
                .build();
    }

    /** The block with its signatures replaced by {@code signer}'s over it as it is. */
    private static Block resigned(Block block, Signer signer) throws Exception {
        Metadata signatures = Metadata.parseFrom(block.getMetadata().getMetadata(BlockMetadataIndex.SIGNATURES_VALUE));
        Block unsigned =
                withSignatures(block, signatures.toBuilder().clearSignatures().build());
        return withSignatures(
                unsigned,
                signatures.toBuilder()
                        .clearSignatures()
                        .addSignatures(BlockSignatures.sign(signer, unsigned))
                        .build());
    }

    private static Block withSignatures(Block block, Metadata signatures) {
        return block.toBuilder()
                .setMetadata(block.getMetadata().toBuilder()
                        .setMetadata(BlockMetadataIndex.SIGNATURES_VALUE, signatures.toByteString()))
                .build();
    }
}
