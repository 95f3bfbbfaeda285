package dev.dossier.node;

import dev.dossier.node.config.Consortium;
import dev.dossier.node.config.CryptoGen;
import dev.dossier.node.config.GenesisPolicy;
import dev.dossier.node.consortium.ConsortiumFiles;
import dev.dossier.node.ledger.Ledger;
import dev.dossier.node.ordering.BlockLimits;
import dev.dossier.node.ordering.RaftOrderer;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.identity.Signers;

/**
 * A consortium of {@code n} organisations generated on disk, one node each on loopback ports, ordering with Raft
 * (short election timeout, frequent snapshots so that catch-up from blocks is exercised), and official
 * fabric-gateway clients.
 */
final class TestCluster implements AutoCloseable {
    final Consortium consortium;
    final Path directory;
    final List<NodeSettings> settings = new ArrayList<>();
    final Node[] nodes;
    private final ManagedChannel[] channels;

    TestCluster(Path directory, int n) throws Exception {
        this(directory, n, false);
    }

    /** @param tls run every node with mutual TLS ({@code node start --tls}): gateways, endorsements, Raft */
    TestCluster(Path directory, int n, boolean tls) throws Exception {
        this(directory, n, tls, Duration.ofMillis(400), 16);
    }

    /**
     * A cluster whose Raft election timeout is {@code electionTimeout} (longer: fewer elections on a loaded host) and
     * that takes a snapshot, and may purge its log, every {@code snapshotEvery} entries.
     */
    TestCluster(Path directory, int n, boolean tls, Duration electionTimeout, long snapshotEvery) throws Exception {
        this.directory = directory;
        consortium = CryptoGen.generate(
                directory.resolve("network"),
                n,
                "dossier",
                "notary",
                dev.dossier.testing.FreePorts.base(
                        n, NodeSettings.Cluster.RAFT_PORT_OFFSET, dev.dossier.common.net.NodeAddress.HTTP_PORT_OFFSET));
        BlockLimits limits = new BlockLimits(200, BlockLimits.DEFAULT.maxBytes(), Duration.ofMillis(20));
        for (int i = 0; i < n; i++) {
            NodeSettings node = NodeSettings.of(
                            consortium,
                            "Org" + (i + 1) + "MSP",
                            null,
                            directory.resolve("node" + i),
                            TestNetwork.chaincodeJar(),
                            limits)
                    .toBuilder()
                    .genesisPolicy(
                            GenesisPolicy.load(directory.resolve("network")).orElseThrow())
                    .consortium(ConsortiumFiles.genesis(consortium, directory.resolve("network")))
                    .build();
            // without TLS the nodes are told they may order in plaintext (node start --insecure), all on loopback
            settings.add(node.toBuilder()
                    .cluster(node.cluster()
                            .withRaftTiming(electionTimeout, snapshotEvery, 64 << 10)
                            .insecure(!tls))
                    .tls(tls ? consortium.tls(node.name()) : null)
                    .build());
        }
        nodes = new Node[n];
        channels = new ManagedChannel[n];
        List<Thread> starting = new ArrayList<>();
        Exception[] failure = new Exception[1];
        for (int i = 0; i < n; i++) {
            int index = i;
            Thread thread = new Thread(() -> {
                try {
                    start(index);
                } catch (Exception e) {
                    failure[0] = e;
                }
            });
            thread.start();
            starting.add(thread);
        }
        for (Thread thread : starting) {
            thread.join();
        }
        if (failure[0] != null) {
            close();
            throw failure[0];
        }
    }

    void start(int i) throws Exception {
        nodes[i] = Node.start(settings.get(i));
        dev.dossier.node.identity.TlsSettings tls = settings.get(i).tls();
        // over TLS the tests present the node's own TLS certificate, one the consortium's TLS CAs issued
        channels[i] = tls == null
                ? NettyChannelBuilder.forAddress("localhost", nodes[i].port())
                        .usePlaintext()
                        .build()
                : dev.dossier.node.identity.TlsSettings.channel("localhost:" + nodes[i].port(), tls);
    }

    void stop(int i) throws InterruptedException {
        if (nodes[i] != null) {
            channels[i].shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            nodes[i].close();
            nodes[i] = null;
        }
    }

    /** @return the test's gRPC connection to node {@code i} */
    ManagedChannel channel(int i) {
        return channels[i];
    }

    RaftOrderer raft(int i) {
        return (RaftOrderer) nodes[i].context().ordering();
    }

    Ledger ledger(int i) {
        return nodes[i].ledger();
    }

    /** @return the index of the node that is leader, waiting for one to be elected */
    int awaitLeader() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < nodes.length; i++) {
                if (nodes[i] != null && raft(i).isLeader()) {
                    return i;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no leader elected in 30 s");
    }

    /**
     * Waits until every running node has applied the same number of blocks, at least {@code atLeast}.
     *
     * @return that number
     */
    long awaitSameHeight(long atLeast, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long min = Long.MAX_VALUE;
            long max = 0;
            for (int i = 0; i < nodes.length; i++) {
                if (nodes[i] != null) {
                    min = Math.min(min, applied(nodes[i]));
                    max = Math.max(max, nodes[i].height());
                }
            }
            if (min == max && min >= atLeast) {
                return min;
            }
            if (System.nanoTime() > deadline) {
                dumpThreads();
                throw new AssertionError("heights differ: min " + min + ", max " + max + ", wanted " + atLeast
                        + " (by node: " + heights() + ")");
            }
            Thread.sleep(20);
        }
    }

    /**
     * @return each running node's ledger height, commitment log height and Raft status (role, term, commit and applied
     *     index), for a failure's message
     */
    private String heights() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < nodes.length; i++) {
            if (nodes[i] != null) {
                out.append(out.length() == 0 ? "" : "; ")
                        .append("node ")
                        .append(i)
                        .append(" ledger ")
                        .append(nodes[i].height())
                        .append(", commitment log ")
                        .append(nodes[i].commitmentLog().appliedHeight())
                        .append(", ")
                        .append(raft(i).status().orElse(null));
            }
        }
        return out.toString();
    }

    /** Prints every thread's stack to standard error: where a node that stopped catching up waits. */
    private static void dumpThreads() {
        StringBuilder out = new StringBuilder("threads when the nodes' heights still differed:\n");
        for (ThreadInfo thread : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            out.append('"').append(thread.getThreadName()).append("\" ").append(thread.getThreadState());
            if (thread.getLockName() != null) {
                out.append(" on ").append(thread.getLockName());
            }
            if (thread.getLockOwnerName() != null) {
                out.append(" held by \"").append(thread.getLockOwnerName()).append('"');
            }
            out.append('\n');
            for (StackTraceElement frame : thread.getStackTrace()) {
                out.append("    at ").append(frame).append('\n');
            }
        }
        System.err.print(out);
    }

    /**
     * Waits until every running node, and the {@code joined} nodes started beside the cluster, has applied every block
     * one of them holds now: what was just committed through
     * one node can then be read, endorsed or voted on through any other. A node that has not would endorse on the state
     * before that block (refusing a vote on a proposal it does not know, or failing at commit with {@code
     * MVCC_READ_CONFLICT}), as a Fabric peer one block behind would.
     */
    void awaitAllCaughtUp(Node... joined) throws InterruptedException {
        List<Node> running = new ArrayList<>(List.of(joined));
        for (Node node : nodes) {
            if (node != null) {
                running.add(node);
            }
        }
        awaitCaughtUp(running);
    }

    /** Waits until each of {@code which} has applied every block one of them holds now. */
    static void awaitCaughtUp(List<Node> which) throws InterruptedException {
        long latest = which.stream().mapToLong(Node::height).max().orElse(0);
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        for (Node node : which) {
            while (applied(node) < latest) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(node.httpUrl() + " has applied " + applied(node) + " blocks of " + latest
                            + " after " + CATCH_UP.toSeconds() + " s");
                }
                Thread.sleep(20);
            }
        }
    }

    private static final Duration CATCH_UP = Duration.ofSeconds(60);

    /**
     * @return how many blocks the node has applied: the ledger publishes its height once a block is durable, then the
     *     node brings its consortium in force and its commitment log up to it; a read, endorsement or identity check
     *     through the node sees all of the block only after both
     */
    private static long applied(Node node) {
        return Math.min(node.height(), node.commitmentLog().appliedHeight());
    }

    /**
     * Submits a transaction to {@code contract} as the named user through its organisation's node, then {@link
     * #awaitAllCaughtUp waits until every running node has applied its block}: the next step may go through any node.
     *
     * @return the contract's answer
     */
    byte[] submit(String user, String contract, String function, String... args) throws Exception {
        byte[] answer;
        try (Gateway gateway = gatewayOf(user)) {
            answer = gateway.getNetwork(consortium.channel())
                    .getContract(contract)
                    .submitTransaction(function, args);
        }
        awaitAllCaughtUp();
        return answer;
    }

    /** @return the answer of {@code contract} evaluating the call as the named user, on its organisation's node */
    byte[] evaluate(String user, String contract, String function, String... args) throws Exception {
        try (Gateway gateway = gatewayOf(user)) {
            return gateway.getNetwork(consortium.channel())
                    .getContract(contract)
                    .evaluateTransaction(function, args);
        }
    }

    /**
     * Signs a prepared transaction as {@code creator} (a fabric-gateway signer: over the payload's SHA-256), submits
     * it through node {@code via}'s gateway and waits until every running node committed it and {@linkplain
     * #awaitAllCaughtUp applied its block}.
     *
     * @return the validation code, the same on every node (else the call fails)
     */
    org.hyperledger.fabric.protos.peer.TxValidationCode submitSigned(
            org.hyperledger.fabric.protos.common.Envelope unsigned,
            org.hyperledger.fabric.client.identity.Signer creator,
            int via)
            throws Exception {
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                .digest(unsigned.getPayload().toByteArray());
        var signed = unsigned.toBuilder()
                .setSignature(com.google.protobuf.ByteString.copyFrom(creator.sign(digest)))
                .build();
        String txId = org.hyperledger.fabric.protos.common.ChannelHeader.parseFrom(
                        org.hyperledger.fabric.protos.common.Payload.parseFrom(signed.getPayload())
                                .getHeader()
                                .getChannelHeader())
                .getTxId();
        org.hyperledger.fabric.protos.gateway.GatewayGrpc.newBlockingStub(channels[via])
                .submit(org.hyperledger.fabric.protos.gateway.SubmitRequest.newBuilder()
                        .setChannelId(consortium.channel())
                        .setTransactionId(txId)
                        .setPreparedTransaction(signed)
                        .build());
        org.hyperledger.fabric.protos.peer.TxValidationCode first = null;
        for (int i = 0; i < nodes.length; i++) {
            if (nodes[i] != null) {
                var code = awaitCode(i, txId);
                if (first != null && code != first) {
                    throw new AssertionError("node " + i + " gave " + code + ", another " + first);
                }
                first = code;
            }
        }
        awaitAllCaughtUp();
        return first;
    }

    /** @return the validation code node {@code node} committed transaction {@code txId} with, waiting up to 30 s */
    org.hyperledger.fabric.protos.peer.TxValidationCode awaitCode(int node, String txId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            var status = ledger(node).transaction(txId);
            if (status.isPresent()) {
                return status.get().code();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("transaction " + txId + " not committed on node " + node);
    }

    Consortium.User user(int org, String role) {
        return consortium.organisations().get(org).user(role);
    }

    /** A user by name, such as {@code Issuer@org2.dossier.local}. */
    Consortium.User userNamed(String name) {
        return TestNetwork.userNamed(consortium, name);
    }

    /** @return the index of the organisation (and of its node) the named user belongs to */
    int organisationOf(String userName) {
        Consortium.User user = userNamed(userName);
        for (int org = 0; org < consortium.organisations().size(); org++) {
            if (consortium.organisations().get(org).users().contains(user)) {
                return org;
            }
        }
        throw new AssertionError(userName);
    }

    /** A gateway for the named user, connected to its own organisation's node. */
    Gateway gatewayOf(String userName) throws Exception {
        int org = organisationOf(userName);
        Consortium.User user = userNamed(userName);
        return TestNetwork.gateway(
                channels[org],
                consortium.organisations().get(org).mspId(),
                TestNetwork.certificate(user.certificate()),
                Signers.newPrivateKeySigner(TestNetwork.key(user.privateKey())));
    }

    /** The policy document that network init wrote for this consortium, which the genesis block fixed. */
    Path policyDocument() {
        return directory.resolve("network").resolve(GenesisPolicy.POLICY_FILE);
    }

    /** A gateway for organisation {@code org}'s user with {@code role}, connected to node {@code node}. */
    Gateway gateway(int org, String role, int node) throws Exception {
        Consortium.User user = user(org, role);
        return TestNetwork.gateway(
                channels[node],
                consortium.organisations().get(org).mspId(),
                TestNetwork.certificate(user.certificate()),
                Signers.newPrivateKeySigner(TestNetwork.key(user.privateKey())));
    }

    /**
     * A vote on the consortium ({@code propose}, {@code approve}) as the named user through its organisation's node, by
     * {@link #submit}: the next voter's node has this vote.
     *
     * @return the call's answer
     */
    com.fasterxml.jackson.databind.JsonNode vote(String user, String function, String argument) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(submit(user, dev.dossier.node.consortium.ConsortiumChanges.NAMESPACE, function, argument));
    }

    /** @return the consortium document in force, as Org1's auditor reads it through Org1's node */
    dev.dossier.node.consortium.ConsortiumDocument consortiumInForce() throws Exception {
        return dev.dossier.node.consortium.ConsortiumDocument.parse(evaluate(
                "Auditor@org1.dossier.local", dev.dossier.node.consortium.ConsortiumChanges.NAMESPACE, "config"));
    }

    /** @return the node's latest cosigned checkpoint ({@code GET /v1/checkpoint}) once it covers {@code size} leaves */
    static dev.dossier.common.note.SignedNote awaitCheckpoint(Node node, long size) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            java.net.http.HttpResponse<String> answer = httpGet(node, "/v1/checkpoint");
            if (answer.statusCode() == 200) {
                dev.dossier.common.note.SignedNote note = dev.dossier.common.note.SignedNote.parse(answer.body());
                if (dev.dossier.common.note.Checkpoint.parse(note.text()).size() >= size) {
                    return note;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no checkpoint of " + size + " leaves cosigned on " + node.httpUrl());
            }
            Thread.sleep(100);
        }
    }

    /** @return the answer of a node's HTTP API to {@code GET path} */
    static java.net.http.HttpResponse<String> httpGet(Node node, String path) throws Exception {
        return java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(node.httpUrl() + path))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws InterruptedException {
        for (int i = 0; i < nodes.length; i++) {
            stop(i);
        }
    }
}
