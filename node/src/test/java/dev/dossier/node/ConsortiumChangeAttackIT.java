package dev.dossier.node;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.dossier.node.config.Consortium;
import dev.dossier.node.config.CryptoGen;
import dev.dossier.node.consortium.ConsortiumChanges;
import dev.dossier.node.consortium.ConsortiumDocument;
import dev.dossier.node.consortium.ConsortiumFiles;
import dev.dossier.node.gateway.ForgedTransactions;
import dev.dossier.node.ledger.VersionedValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.EndorseException;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.client.identity.Signers;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Consortium changes by vote on a three-organisation network (a majority is two): who may propose and vote, and what
 * a dishonest organisation's node cannot do by skipping the node's own simulation (Org1's node endorses a write set
 * of Org1's choosing, signed by an Org1 user, and submits it). Every refusal must hold at commit on all three nodes
 * and change nothing; the honest votes revoke a certificate and admit a fourth organisation, each in force on every
 * node from the same block, without a restart. The tests run in order: they share the network and one pending
 * proposal.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsortiumChangeAttackIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path directory;

    private static TestCluster cluster;
    /** Org1's proposal to revoke Employer@org2, with Org1's vote only. */
    private static String revocation;

    @BeforeAll
    static void startNetworkAndProposeARevocation() throws Exception {
        cluster = new TestCluster(directory, 3);
        ConsortiumDocument current = config();
        Consortium.User employer = cluster.userNamed("Employer@org2.dossier.local");
        List<ConsortiumDocument.Organisation> organisations = new ArrayList<>(current.organisations());
        organisations.set(
                1,
                organisations
                        .get(1)
                        .revoking(
                                TestNetwork.certificate(employer.certificate()).getSerialNumber()));
        JsonNode answer = submit(
                "Admin@org1.dossier.local",
                "propose",
                new String(current.with(current.sequence() + 1, organisations).toJson(), UTF_8));
        assertThat(answer.get("applied").asBoolean()).isFalse();
        assertThat(answer.get("votes").asInt()).isEqualTo(1);
        assertThat(answer.get("needed").asInt()).isEqualTo(2);
        revocation = answer.get("hash").asText();
    }

    @AfterAll
    static void stopNetwork() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void proposalWithoutMajority_changesNothing() throws Exception {
        assertThat(config().sequence()).isZero();
        assertThat(anchor("Employer@org2.dossier.local", 1))
                .as("the certificate is still valid")
                .isEqualTo("anchored");
        assertThat(proposals()).contains(revocation, "\"votes\":[\"Org1MSP\"]");
    }

    @Test
    @Order(2)
    void voteByANonOperator_isRefused_atEndorsement_andAtCommit() throws Exception {
        assertThatThrownBy(() -> submit("Inspector@org2.dossier.local", "approve", revocation))
                .isInstanceOf(EndorseException.class)
                .satisfies(e -> assertThat(TestNetwork.refusal((GatewayException) e))
                        .contains("role 'inspector' of Org2MSP may not approve a consortium change"));

        TxValidationCode code = forge("Inspector@org2.dossier.local", List.of("approve", revocation), appliedWrites());

        assertThat(code).isEqualTo(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
        assertUnchanged();
    }

    @Test
    @Order(3)
    void doubleVote_isRefused_atEndorsement_andAtCommit() throws Exception {
        assertThatThrownBy(() -> submit("Admin@org1.dossier.local", "approve", revocation))
                .isInstanceOf(EndorseException.class)
                .satisfies(e -> assertThat(TestNetwork.refusal((GatewayException) e))
                        .contains("Org1MSP has voted for proposal " + revocation + " already"));

        TxValidationCode code = forge("Admin@org1.dossier.local", List.of("approve", revocation), appliedWrites());

        assertThat(code).isEqualTo(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
        assertUnchanged();
    }

    @Test
    @Order(4)
    void forgedConfigWrite_endorsedOnlyByItsOwnNode_isRefused() throws Exception {
        ConsortiumDocument current = config();
        ConsortiumDocument takeover =
                current.with(current.sequence() + 1, current.organisations().subList(0, 2));

        TxValidationCode byReading = forge(
                "Admin@org1.dossier.local", List.of("config"), writes(put(ConsortiumChanges.CONFIG_KEY, takeover)));
        TxValidationCode byProposing = forge(
                "Admin@org1.dossier.local",
                List.of("propose", new String(takeover.toJson(), UTF_8)),
                writes(put(ConsortiumChanges.CONFIG_KEY, takeover)));

        assertThat(byReading).as("a read that writes").isEqualTo(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
        assertThat(byProposing)
                .as("a proposal that claims a majority")
                .isEqualTo(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
        assertUnchanged();
    }

    @Test
    @Order(5)
    void malformedOrStaleProposal_isRefused_atEndorsement_andAtCommit() throws Exception {
        ConsortiumDocument current = config();
        ConsortiumDocument.Organisation org3 = current.organisations().get(2);
        ConsortiumDocument.Organisation withoutCa = new ConsortiumDocument.Organisation(
                org3.mspId(),
                org3.name(),
                org3.domain(),
                List.of(),
                org3.tlsCaCertificates(),
                org3.revokedSerials(),
                org3.nodes(),
                org3.cardKeys(),
                org3.credentialKeys());
        String malformed = new String(
                current.with(
                                current.sequence() + 1,
                                List.of(
                                        current.organisations().get(0),
                                        current.organisations().get(1),
                                        withoutCa))
                        .toJson(),
                UTF_8);
        String stale = new String(
                current.with(current.sequence(), current.organisations().subList(0, 2))
                        .toJson(),
                UTF_8);

        assertThatThrownBy(() -> submit("Admin@org3.dossier.local", "propose", malformed))
                .satisfies(e -> assertThat(TestNetwork.refusal((GatewayException) e))
                        .contains("the proposed consortium is malformed", "organisation Org3MSP: CA certificates"));
        assertThatThrownBy(() -> submit("Admin@org3.dossier.local", "propose", stale))
                .satisfies(e -> assertThat(TestNetwork.refusal((GatewayException) e))
                        .contains("the proposal is for sequence 0 but the consortium in force is at sequence 0"));
        String pending = ConsortiumChanges.PROPOSAL_PREFIX + "0".repeat(64);
        assertThat(forge("Admin@org3.dossier.local", List.of("propose", malformed), writes(put(pending, "{}"))))
                .isEqualTo(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
        assertThat(forge("Admin@org3.dossier.local", List.of("propose", "{\"version\":1"), writes(put(pending, "{}"))))
                .isEqualTo(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
        assertUnchanged();
    }

    @Test
    @Order(6)
    void nonMember_isRefused() throws Exception {
        Consortium.Organisation outsider =
                CryptoGen.newOrganisation(directory.resolve("outsider"), 7, "localhost", 7999);
        try (Gateway gateway = gatewayOf(outsider, "operator", 0)) {
            assertThatThrownBy(() -> consortium(gateway).submitTransaction("approve", revocation))
                    .satisfies(e -> assertThat(TestNetwork.refusal((GatewayException) e))
                            .contains("creator rejected", "Org7MSP", "unknown MSP"));
        }
        assertUnchanged();
    }

    @Test
    @Order(7)
    void revocationByVote_takesEffectOnEveryNode_atTheSameBlock_withoutRestart() throws Exception {
        JsonNode answer = submit("Admin@org3.dossier.local", "approve", revocation);

        assertThat(answer.get("applied").asBoolean()).isTrue();
        cluster.awaitAllCaughtUp();
        VersionedValue first = cluster.ledger(0)
                .get(ConsortiumChanges.NAMESPACE, ConsortiumChanges.CONFIG_KEY)
                .orElseThrow();
        for (int node = 0; node < 3; node++) {
            VersionedValue stored = cluster.ledger(node)
                    .get(ConsortiumChanges.NAMESPACE, ConsortiumChanges.CONFIG_KEY)
                    .orElseThrow();
            assertThat(stored)
                    .as("the same document, written by the same block, on node " + node)
                    .isEqualTo(first);
            assertThat(anchor("Employer@org2.dossier.local", node))
                    .as("node " + node)
                    .contains("creator rejected", "revoked");
        }
        assertThat(ConsortiumDocument.parse(first.value()).sequence()).isEqualTo(1);
        assertThat(anchor("Employer@org1.dossier.local", 0)).isEqualTo("anchored");
        assertThat(proposals()).doesNotContain(revocation);
    }

    @Test
    @Order(8)
    void newOrganisation_byVote_isAMember_fromTheNextBlock() throws Exception {
        Consortium.Organisation org4 = CryptoGen.newOrganisation(directory.resolve("org4"), 4, "localhost", 7998);
        try (Gateway gateway = gatewayOf(org4, "operator", 0)) {
            assertThatThrownBy(() -> consortium(gateway).evaluateTransaction("config"))
                    .satisfies(e -> assertThat(TestNetwork.refusal((GatewayException) e))
                            .contains("unknown MSP"));
        }
        ConsortiumDocument current = config();
        List<ConsortiumDocument.Organisation> organisations = new ArrayList<>(current.organisations());
        organisations.add(ConsortiumFiles.organisation(org4, null));
        JsonNode proposed = submit(
                "Admin@org2.dossier.local",
                "propose",
                new String(current.with(current.sequence() + 1, organisations).toJson(), UTF_8));
        assertThat(proposed.get("applied").asBoolean()).isFalse();

        JsonNode approved = submit(
                "Admin@org1.dossier.local", "approve", proposed.get("hash").asText());

        assertThat(approved.get("applied").asBoolean()).isTrue();
        cluster.awaitAllCaughtUp();
        for (int node = 0; node < 3; node++) {
            try (Gateway gateway = gatewayOf(org4, "operator", node)) {
                ConsortiumDocument inForce =
                        ConsortiumDocument.parse(consortium(gateway).evaluateTransaction("config"));
                assertThat(inForce.mspIds()).containsExactly("Org1MSP", "Org2MSP", "Org3MSP", "Org4MSP");
            }
        }
    }

    @Test
    @Order(9)
    void commandLine_revokesByVote_listsProposals_andExportsTheConsortium() throws Exception {
        String network = directory.resolve("network").toString();
        String revoke = cli(
                "network",
                "revoke",
                "--network",
                network,
                "--user",
                "Admin@org1.dossier.local",
                "--name",
                "Inspector@org3.dossier.local");
        String hash = revoke.replaceAll("(?s).*proposal ([0-9a-f]{64}) has 1 of the 3 votes.*", "$1");
        assertThat(hash).hasSize(64);
        // each command goes through its user's organisation's node: the next one must hold the block the last wrote
        cluster.awaitAllCaughtUp();
        assertThat(cli("network", "proposals", "--network", network, "--user", "Admin@org2.dossier.local"))
                .contains("sequence 2", hash, "+ revoked serial");
        cli("network", "approve", "--network", network, "--user", "Admin@org2.dossier.local", "--hash", hash);
        cluster.awaitAllCaughtUp();
        assertThat(cli(
                        "network",
                        "approve",
                        "--network",
                        network,
                        "--user",
                        "Admin@org3.dossier.local",
                        "--hash",
                        hash))
                .contains("applied, consortium sequence 3");
        // the export asks Org1's node, which may not hold the block the approval committed on Org3's node yet
        cluster.awaitAllCaughtUp();
        Path exported = directory.resolve("consortium.json");
        cli(
                "network",
                "config",
                "export",
                "--network",
                network,
                "--user",
                "Auditor@org1.dossier.local",
                "--out",
                exported.toString());
        ConsortiumDocument document = ConsortiumDocument.parse(java.nio.file.Files.readAllBytes(exported));
        assertThat(document.sequence()).isEqualTo(3);
        assertThat(document.organisation("Org3MSP").orElseThrow().revokedSerials())
                .contains(TestNetwork.certificate(cluster.userNamed("Inspector@org3.dossier.local")
                                .certificate())
                        .getSerialNumber()
                        .toString(16));
    }

    private static String cli(String... args) {
        return TestNetwork.cli(args);
    }

    // ---- calls

    private static Contract consortium(Gateway gateway) {
        return gateway.getNetwork("dossier").getContract(ConsortiumChanges.NAMESPACE);
    }

    private static ConsortiumDocument config() throws Exception {
        return cluster.consortiumInForce();
    }

    private static String proposals() throws Exception {
        try (Gateway gateway = cluster.gatewayOf("Auditor@org3.dossier.local")) {
            return new String(consortium(gateway).evaluateTransaction("proposals"), UTF_8);
        }
    }

    private static JsonNode submit(String user, String function, String argument) throws Exception {
        return cluster.vote(user, function, argument);
    }

    /** @return "anchored" when the user anchored a fresh commitment through node {@code node}, else the refusal */
    private static String anchor(String user, int node) throws Exception {
        String result = ConsortiumSteps.anchorAs(
                cluster.channel(node),
                cluster.consortium
                        .organisations()
                        .get(cluster.organisationOf(user))
                        .mspId(),
                cluster.userNamed(user));
        cluster.awaitAllCaughtUp();
        return result;
    }

    private static Gateway gatewayOf(Consortium.Organisation organisation, String role, int node) throws Exception {
        Consortium.User user = organisation.user(role);
        return TestNetwork.gateway(
                cluster.channel(node),
                organisation.mspId(),
                TestNetwork.certificate(user.certificate()),
                Signers.newPrivateKeySigner(TestNetwork.key(user.privateKey())));
    }

    // ---- the forgery: Org-X's node endorses a write set of its choosing for its own user's call

    private static TxValidationCode forge(String user, List<String> call, KVRWSet writes) throws Exception {
        Consortium.User known = cluster.userNamed(user);
        int org = cluster.organisationOf(user);
        byte[] proposal;
        try (Gateway gateway = cluster.gatewayOf(user)) {
            proposal = consortium(gateway)
                    .newProposal(call.get(0))
                    .addArguments(call.subList(1, call.size()).toArray(String[]::new))
                    .build()
                    .getBytes();
        }
        TxReadWriteSet results = TxReadWriteSet.newBuilder()
                .setDataModel(TxReadWriteSet.DataModel.KV)
                .addNsRwset(NsReadWriteSet.newBuilder()
                        .setNamespace(ConsortiumChanges.NAMESPACE)
                        .setRwset(writes.toByteString()))
                .build();
        Consortium.Node node =
                cluster.consortium.organisations().get(org).nodes().get(0);
        Envelope unsigned = ForgedTransactions.endorse(
                proposal, ConsortiumChanges.NAMESPACE, results, cluster.consortium.signer(node.name()));
        return cluster.submitSigned(unsigned, Signers.newPrivateKeySigner(TestNetwork.key(known.privateKey())), org);
    }

    /** The writes of an approval that reaches the majority: the revocation in force, the proposal gone. */
    private static KVRWSet appliedWrites() throws Exception {
        String stored = proposals();
        JsonNode document = JSON.readTree(stored).get(0).get("proposal").get("document");
        return writes(
                put(ConsortiumChanges.CONFIG_KEY, ConsortiumDocument.parse(JSON.writeValueAsBytes(document))),
                KVWrite.newBuilder()
                        .setKey(ConsortiumChanges.PROPOSAL_PREFIX + revocation)
                        .setIsDelete(true)
                        .build());
    }

    private static KVRWSet writes(KVWrite... writes) {
        return KVRWSet.newBuilder().addAllWrites(List.of(writes)).build();
    }

    private static KVWrite put(String key, ConsortiumDocument document) {
        return KVWrite.newBuilder()
                .setKey(key)
                .setValue(ByteString.copyFrom(document.toJson()))
                .build();
    }

    private static KVWrite put(String key, String value) {
        return KVWrite.newBuilder()
                .setKey(key)
                .setValue(ByteString.copyFromUtf8(value))
                .build();
    }

    /** Sequence 0 on every node, the proposal with Org1's vote only, Employer@org2 still valid. */
    private static void assertUnchanged() throws Exception {
        cluster.awaitAllCaughtUp();
        for (int node = 0; node < 3; node++) {
            byte[] stored = cluster.ledger(node)
                    .get(ConsortiumChanges.NAMESPACE, ConsortiumChanges.CONFIG_KEY)
                    .orElseThrow()
                    .value();
            assertThat(ConsortiumDocument.parse(stored).sequence())
                    .as("node " + node)
                    .isZero();
        }
        assertThat(proposals()).contains("\"votes\":[\"Org1MSP\"]");
    }
}
