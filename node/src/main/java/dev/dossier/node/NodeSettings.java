package dev.dossier.node;

import com.google.protobuf.ByteString;
import dev.dossier.common.net.NodeAddress;
import dev.dossier.crypto.Pem;
import dev.dossier.node.config.Consortium;
import dev.dossier.node.config.GenesisPolicy;
import dev.dossier.node.consortium.ConsortiumDocument;
import dev.dossier.node.identity.Msp;
import dev.dossier.node.identity.Signer;
import dev.dossier.node.identity.TlsSettings;
import dev.dossier.node.ordering.BlockLimits;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything a node needs to start: the channel and chaincode it serves (a contract jar, or the node's classpath when
 * {@code chaincodeJar} is null), its name in the consortium, where it listens (gateway and HTTP), where its ledger
 * lives, the organisations it trusts, its own signing identity, the block cutter's limits, and, on a network of
 * several nodes, its {@link Cluster} (null for a single node, which orders alone).
 *
 * @param name the node's name in the consortium: the key name of its checkpoint signatures
 * @param port the gateway's port (0: any free port)
 * @param httpPort the HTTP API's port (0: any free port), by default the gateway's port plus {@link
 *     NodeAddress#HTTP_PORT_OFFSET}
 * @param tls the node's mutual TLS for gRPC (clients and the other nodes), or null for plaintext
 * @param apiClients the HTTP API's client file ({@code api-clients.yaml} of the consortium directory, see {@link
 *     dev.dossier.node.http.ApiClients}), whose entries of this node's organisation the node loads at start; null or
 *     a missing file: no API clients
 * @param genesisPolicy the channel's first role policy, signed by every founding organisation, which the node writes
 *     into the genesis block when it creates the channel; null: a channel without a stored policy
 * @param cardKeys the organisations' card-signing keys ({@code card-keys.txt} of the consortium directory, see {@link
 *     dev.dossier.node.config.OrganisationKeys#CARDS}; their credential keys are in {@code credential-keys.txt} beside
 *     it), which a node whose ledger holds no consortium document serves ({@code /v1/keys}, controller documents);
 *     with one, the consortium's keys in force are served. Null or a missing file: none
 * @param consortium the consortium at sequence 0, which the node writes into the genesis block when it creates the
 *     channel; from then on the ledger's consortium is in force and changes by vote. Null: a channel whose consortium
 *     is the nodes' files ({@code organisations}, {@code cluster}) and never changes
 */
public record NodeSettings(
        String channel,
        String chaincode,
        Path chaincodeJar,
        String name,
        String host,
        int port,
        int httpPort,
        Path dataDirectory,
        List<Msp> organisations,
        String mspId,
        Path signCertificate,
        Path signKey,
        BlockLimits blockLimits,
        Cluster cluster,
        TlsSettings tls,
        Path apiClients,
        GenesisPolicy genesisPolicy,
        Path cardKeys,
        ConsortiumDocument consortium) {

    public NodeSettings {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(chaincode, "chaincode");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        organisations = List.copyOf(organisations);
        Objects.requireNonNull(mspId, "mspId");
        Objects.requireNonNull(signCertificate, "signCertificate");
        Objects.requireNonNull(signKey, "signKey");
        Objects.requireNonNull(blockLimits, "blockLimits");
        if (cluster != null && cluster.nodes().stream().noneMatch(n -> n.name().equals(cluster.self()))) {
            throw new IllegalArgumentException("node " + cluster.self() + " is not in its cluster");
        }
        if (cluster != null && !cluster.self().equals(name)) {
            throw new IllegalArgumentException(
                    "node " + name + " has the place of node " + cluster.self() + " in its cluster");
        }
        checkPort(port, "port");
        checkPort(httpPort, "HTTP port");
    }

    private static void checkPort(int port, String what) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(what + " out of range: " + port);
        }
    }

    /**
     * Settings for one node of a consortium.
     *
     * @param nodeName the node's name in the consortium, or null for the organisation's first node
     * @param chaincodeJar the contract jar, or null to find the contract on the node's classpath
     * @throws IllegalArgumentException if the organisation or node is not in the consortium
     */
    public static NodeSettings of(
            Consortium consortium,
            String mspId,
            String nodeName,
            Path dataDirectory,
            Path chaincodeJar,
            BlockLimits blockLimits) {
        Consortium.Organisation organisation = consortium.organisations().stream()
                .filter(o -> o.mspId().equals(mspId) || o.name().equals(mspId))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no organisation " + mspId + " in the consortium"));
        Consortium.Node node = organisation.nodes().stream()
                .filter(n -> nodeName == null || n.name().equals(nodeName))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "no node " + nodeName + " in organisation " + organisation.mspId()));
        return new NodeSettings(
                consortium.channel(),
                consortium.chaincode(),
                chaincodeJar,
                node.name(),
                node.host(),
                node.port(),
                NodeAddress.httpPort(node.port()),
                dataDirectory,
                consortium.msps(),
                organisation.mspId(),
                node.certificate(),
                node.privateKey(),
                blockLimits,
                consortium.nodes().size() > 1 ? Cluster.of(consortium, node.name()) : null,
                null,
                null,
                null,
                null,
                null);
    }

    /** @return a builder holding these settings, to change some of them */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Changes some settings of a node and makes new ones; each setter replaces one setting. Setting the gateway's
     * {@linkplain #port port} also puts the HTTP API on that port's {@linkplain NodeAddress#httpPort default HTTP
     * port} (any free port when 0), unless {@link #httpPort} is set after it.
     *
     * <pre>{@code
     * NodeSettings test = NodeSettings.of(consortium, "Org1MSP", null, data, jar, BlockLimits.DEFAULT)
     *         .toBuilder().port(0).cluster(null).build();
     * }</pre>
     */
    public static final class Builder {
        private final String channel;
        private final String chaincode;
        private final Path chaincodeJar;
        private final String name;
        private final String host;
        private int port;
        private int httpPort;
        private Path dataDirectory;
        private final List<Msp> organisations;
        private final String mspId;
        private final Path signCertificate;
        private final Path signKey;
        private final BlockLimits blockLimits;
        private Cluster cluster;
        private TlsSettings tls;
        private Path apiClients;
        private GenesisPolicy genesisPolicy;
        private Path cardKeys;
        private ConsortiumDocument consortium;

        private Builder(NodeSettings from) {
            channel = from.channel;
            chaincode = from.chaincode;
            chaincodeJar = from.chaincodeJar;
            name = from.name;
            host = from.host;
            port = from.port;
            httpPort = from.httpPort;
            dataDirectory = from.dataDirectory;
            organisations = from.organisations;
            mspId = from.mspId;
            signCertificate = from.signCertificate;
            signKey = from.signKey;
            blockLimits = from.blockLimits;
            cluster = from.cluster;
            tls = from.tls;
            apiClients = from.apiClients;
            genesisPolicy = from.genesisPolicy;
            cardKeys = from.cardKeys;
            consortium = from.consortium;
        }

        /**
         * The gateway's port (0: any free port), and the HTTP API on its default port beside it.
         *
         * @throws IllegalArgumentException if the port leaves no default HTTP port; set {@link #httpPort} after
         */
        public Builder port(int newPort) {
            port = newPort;
            httpPort = NodeAddress.httpPort(newPort);
            return this;
        }

        /** The HTTP API's port (0: any free port). */
        public Builder httpPort(int newHttpPort) {
            httpPort = newHttpPort;
            return this;
        }

        /** The directory of the node's ledger, commitment log and Raft log. */
        public Builder dataDirectory(Path directory) {
            dataDirectory = directory;
            return this;
        }

        /** The cluster the node orders with (null: it orders alone). */
        public Builder cluster(Cluster newCluster) {
            cluster = newCluster;
            return this;
        }

        /** Mutual TLS for gRPC (null: plaintext). */
        public Builder tls(TlsSettings newTls) {
            tls = newTls;
            return this;
        }

        /** The HTTP API's client file, the consortium's {@code api-clients.yaml} (null: no API clients). */
        public Builder apiClients(Path file) {
            apiClients = file;
            return this;
        }

        /** The card key file, the consortium's {@code card-keys.txt}, served in {@code /v1/keys} (null: none). */
        public Builder cardKeys(Path file) {
            cardKeys = file;
            return this;
        }

        /** The channel's first role policy, written into a new channel's genesis block (null: none). */
        public Builder genesisPolicy(GenesisPolicy policy) {
            genesisPolicy = policy;
            return this;
        }

        /** The consortium at sequence 0, written into a new channel's genesis block (null: none, never voted on). */
        public Builder consortium(ConsortiumDocument document) {
            consortium = document;
            return this;
        }

        /**
         * @return the settings
         * @throws IllegalArgumentException if they do not hold together (see {@link NodeSettings})
         */
        public NodeSettings build() {
            return new NodeSettings(
                    channel,
                    chaincode,
                    chaincodeJar,
                    name,
                    host,
                    port,
                    httpPort,
                    dataDirectory,
                    organisations,
                    mspId,
                    signCertificate,
                    signKey,
                    blockLimits,
                    cluster,
                    tls,
                    apiClients,
                    genesisPolicy,
                    cardKeys,
                    consortium);
        }
    }

    /**
     * A node's place in a network of several nodes, which order with Raft.
     *
     * @param self this node's name
     * @param nodes every node of the network (this one included), with its Raft port
     * @param electionTimeout Raft's shortest election timeout
     * @param snapshotEvery Raft entries between snapshots (after which the log may be purged)
     * @param segmentBytes size of a Raft log segment, the unit in which the log is purged
     * @param join true for a node joining a running network: it takes the genesis block from the other nodes and
     *     waits to be added to the Raft group (the leader adds it once the consortium in force lists it)
     * @param insecure true to let the node run among several nodes without TLS ({@code node start --insecure}):
     *     then whoever reaches a node's Raft port can write to the ordering log and change the Raft group; without
     *     it, a node of a network of several nodes refuses to start without TLS
     */
    public record Cluster(
            String self,
            List<ClusterNode> nodes,
            Duration electionTimeout,
            long snapshotEvery,
            long segmentBytes,
            boolean join,
            boolean insecure) {
        /** The Raft port of a node is its gateway port plus this, unless set otherwise. */
        public static final int RAFT_PORT_OFFSET = 1000;

        public Cluster {
            Objects.requireNonNull(self, "self");
            nodes = List.copyOf(nodes);
            Objects.requireNonNull(electionTimeout, "electionTimeout");
        }

        /** The cluster of every node of the consortium, with default Raft timing. */
        public static Cluster of(Consortium consortium, String self) {
            List<ClusterNode> nodes = new ArrayList<>();
            for (Consortium.Organisation organisation : consortium.organisations()) {
                for (Consortium.Node node : organisation.nodes()) {
                    nodes.add(new ClusterNode(
                            node.name(),
                            organisation.mspId(),
                            node.host(),
                            node.port(),
                            node.port() + RAFT_PORT_OFFSET,
                            NodeAddress.httpPort(node.port()),
                            node.certificate(),
                            consortium.tlsCertificate(node.name())));
                }
            }
            return new Cluster(self, nodes, Duration.ofMillis(1_000), 10_000, 32L << 20, false, false);
        }

        public Cluster withRaftTiming(Duration newElectionTimeout, long newSnapshotEvery, long newSegmentBytes) {
            return new Cluster(self, nodes, newElectionTimeout, newSnapshotEvery, newSegmentBytes, join, insecure);
        }

        public Cluster joining(boolean newJoin) {
            return new Cluster(self, nodes, electionTimeout, snapshotEvery, segmentBytes, newJoin, insecure);
        }

        /** @return the same cluster, allowed ({@code true}) or not to run without TLS; see {@link #insecure()} */
        public Cluster insecure(boolean newInsecure) {
            return new Cluster(self, nodes, electionTimeout, snapshotEvery, segmentBytes, join, newInsecure);
        }

        /** @return this node's entry */
        public ClusterNode me() {
            return nodes.stream().filter(n -> n.name().equals(self)).findFirst().orElseThrow();
        }
    }

    /**
     * A node of the cluster: name, organisation, gateway address, Raft port, HTTP port (where it cosigns checkpoints),
     * signing certificate and TLS certificate (PEM files; the TLS certificate is read only when nodes run with TLS,
     * and is then the only certificate with which this node may talk Raft).
     */
    public record ClusterNode(
            String name,
            String mspId,
            String host,
            int port,
            int raftPort,
            int httpPort,
            Path certificate,
            Path tlsCertificate) {
        public ClusterNode {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(mspId, "mspId");
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(certificate, "certificate");
            Objects.requireNonNull(tlsCertificate, "tlsCertificate");
        }

        public String address() {
            return host + ":" + port;
        }

        /** @return the node's serialized identity, as it signs endorsements and blocks */
        public ByteString serializedIdentity() throws IOException {
            return Signer.serializedIdentity(mspId, Pem.readCertificate(certificate));
        }
    }
}
