package dev.dossier.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.dossier.common.note.Checkpoint;
import dev.dossier.common.note.TrustFile;
import dev.dossier.node.backup.NodeBackup;
import dev.dossier.node.config.OrganisationKeys;
import dev.dossier.node.consortium.ConsortiumInForce;
import dev.dossier.node.gateway.Endorsers;
import dev.dossier.node.identity.Signer;
import dev.dossier.node.identity.TlsSettings;
import dev.dossier.node.ledger.Ledger;
import dev.dossier.node.ledger.LedgerException;
import dev.dossier.node.ledger.StateReader;
import dev.dossier.node.log.CheckpointPublisher;
import dev.dossier.node.log.CheckpointSigner;
import dev.dossier.node.log.CommitmentLog;
import dev.dossier.node.log.TrustFiles;
import dev.dossier.node.ordering.BlockPuller;
import dev.dossier.node.ordering.LostRaftState;
import dev.dossier.node.ordering.RaftSettings;
import io.grpc.ClientInterceptor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;

/**
 * What {@link Node#start} derives from a node's {@link NodeSettings.Cluster}: the other nodes' identities and
 * addresses, endorsers, Raft settings, checkpoint cosigners, a joining node's genesis block, and the rule that several
 * nodes order over TLS unless told otherwise.
 */
final class ClusterWiring {
    private static final Logger LOG = Logger.getLogger(ClusterWiring.class.getName());
    private static final Duration PEER_TIMEOUT = Duration.ofSeconds(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    private ClusterWiring() {}

    /**
     * The checkpoint publisher of the node's log: cosigned by a majority of the nodes of the consortium in force, each
     * pinned by its certificate's key under its name, its trust file following each change ({@link
     * ConsortiumWiring#checkpointKeys}); on a ledger without a consortium document, by a majority of the cluster's
     * nodes of the files (a single node: by itself).
     */
    static CheckpointPublisher checkpoints(
            NodeSettings settings, Signer signer, StateReader ledger, CommitmentLog log, ConsortiumInForce consortium)
            throws IOException {
        CheckpointSigner checkpointSigner = new CheckpointSigner(signer, settings.name());
        if (consortium.document().isPresent()) {
            return ConsortiumWiring.checkpointKeys(settings.name(), ledger, consortium, log, checkpointSigner);
        }
        String origin = Checkpoint.origin(settings.channel(), settings.chaincode());
        NodeSettings.Cluster cluster = settings.cluster();
        if (cluster == null) {
            TrustFile alone = TrustFile.majority(origin, List.of(checkpointSigner.verifierKey()))
                    .withCardKeys(OrganisationKeys.CARDS.load(settings.cardKeys()));
            return CheckpointPublisher.start(log, checkpointSigner, alone, List.of());
        }
        Map<String, Path> certificates = new LinkedHashMap<>();
        List<URI> cosigners = new ArrayList<>();
        for (NodeSettings.ClusterNode node : cluster.nodes()) {
            certificates.put(node.name(), node.certificate());
            if (!node.name().equals(cluster.self())) {
                cosigners.add(httpUrl(node, "/v1/checkpoint/cosign"));
            }
        }
        TrustFile trust = TrustFiles.majority(origin, certificates)
                .withCardKeys(OrganisationKeys.CARDS.load(settings.cardKeys()));
        return CheckpointPublisher.start(log, checkpointSigner, trust, cosigners);
    }

    /**
     * A node of a network of several nodes runs with TLS (Raft then accepts the consortium's nodes only), or without
     * it only when told so in so many words: without TLS, whoever reaches its Raft port can write to the ordering log.
     *
     * @throws IllegalArgumentException if the node would run among several nodes without TLS and without {@code
     *     --insecure}
     */
    static void requireTlsOrInsecure(NodeSettings settings) {
        NodeSettings.Cluster cluster = settings.cluster();
        if (cluster == null || cluster.nodes().size() < 2 || settings.tls() != null || cluster.insecure()) {
            return;
        }
        NodeSettings.ClusterNode me = cluster.me();
        throw new IllegalArgumentException("node " + settings.name() + " is one of "
                + cluster.nodes().size()
                + " nodes and would order with them over plaintext: anyone who reaches its Raft port " + me.host()
                + ":" + me.raftPort() + " could write to the ordering log and change the Raft group. Start every node"
                + " with --tls (mutual TLS; Raft then accepts the consortium's nodes only), or, on a network you"
                + " control end to end (all nodes on one machine, a test), with --insecure");
    }

    static Set<ByteString> nodeIdentities(NodeSettings.Cluster cluster) throws IOException {
        Set<ByteString> out = new HashSet<>();
        for (NodeSettings.ClusterNode node : cluster.nodes()) {
            out.add(node.serializedIdentity());
        }
        return out;
    }

    static Map<String, String> addresses(NodeSettings.Cluster cluster) {
        Map<String, String> out = new LinkedHashMap<>();
        for (NodeSettings.ClusterNode node : cluster.nodes()) {
            out.put(node.name(), node.address());
        }
        return out;
    }

    static Endorsers endorsers(
            NodeSettings.Cluster cluster, String ownMsp, TlsSettings tls, ClientInterceptor metrics) {
        List<Endorsers.Peer> peers = new ArrayList<>();
        for (NodeSettings.ClusterNode node : cluster.nodes()) {
            if (!node.name().equals(cluster.self())) {
                peers.add(new Endorsers.Peer(node.name(), node.mspId(), node.address()));
            }
        }
        return new Endorsers(ownMsp, peers, tls, metrics);
    }

    static RaftSettings raftSettings(NodeSettings.Cluster cluster, Path dataDirectory, TlsSettings tls) {
        List<RaftSettings.Member> members = new ArrayList<>();
        for (NodeSettings.ClusterNode node : cluster.nodes()) {
            members.add(new RaftSettings.Member(node.name(), node.host(), node.raftPort(), node.tlsCertificate()));
        }
        RaftSettings settings = RaftSettings.of(cluster.self(), members, dataDirectory.resolve(NodeBackup.RAFT));
        return settings.withTiming(cluster.electionTimeout(), cluster.snapshotEvery(), cluster.segmentBytes())
                .joining(cluster.join())
                .withTls(tls);
    }

    /**
     * The node's Raft settings, after giving a node whose Raft storage is lost (restored from a backup) a new one at a
     * term above the other nodes' ({@link LostRaftState}).
     */
    static RaftSettings raftSettingsAfterLoss(NodeSettings.Cluster cluster, NodeSettings settings, Ledger ledger)
            throws IOException {
        RaftSettings raft = raftSettings(cluster, settings.dataDirectory(), settings.tls());
        LostRaftState.recover(raft, settings.channel(), ledger, () -> highestPeerTerm(cluster));
        return raft;
    }

    /** @return the address of {@code path} on a node's HTTP API */
    private static URI httpUrl(NodeSettings.ClusterNode node, String path) {
        String host = node.host().contains(":") ? "[" + node.host() + "]" : node.host();
        return URI.create("http://" + host + ":" + node.httpPort() + path);
    }

    /** @return the highest Raft term the other nodes report in their {@code /healthz}, or -1 if none answers */
    static long highestPeerTerm(NodeSettings.Cluster cluster) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(PEER_TIMEOUT).build();
        long highest = -1;
        for (NodeSettings.ClusterNode node : cluster.nodes()) {
            if (node.name().equals(cluster.self())) {
                continue;
            }
            URI health = httpUrl(node, "/healthz");
            try {
                HttpResponse<String> answer = http.send(
                        HttpRequest.newBuilder(health).timeout(PEER_TIMEOUT).build(),
                        HttpResponse.BodyHandlers.ofString());
                JsonNode term = JSON.readTree(answer.body()).path("ordering").path("term");
                if (term.canConvertToLong()) {
                    highest = Math.max(highest, term.asLong());
                }
            } catch (IOException | RuntimeException e) {
                LOG.info(() -> node.name() + " gave no Raft term (" + health + "): " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return highest;
    }

    /** A joining node's ledger starts with the network's genesis block, fetched from the first node that answers. */
    static void fetchGenesis(NodeSettings.Cluster cluster, BlockPuller puller, Ledger ledger)
            throws IOException, LedgerException {
        IOException last = null;
        for (NodeSettings.ClusterNode node : cluster.nodes()) {
            if (node.name().equals(cluster.self())) {
                continue;
            }
            try {
                Block genesis = puller.fetchBlock(node.name(), 0);
                ledger.commitGenesis(Envelope.parseFrom(genesis.getData().getData(0)));
                if (!ledger.block(0).orElseThrow().getHeader().equals(genesis.getHeader())) {
                    throw new LedgerException("the genesis block of " + node.name() + " does not rebuild identically");
                }
                LOG.info(() -> "joined: genesis block taken from " + node.name());
                return;
            } catch (IOException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while fetching the genesis block", e);
            }
        }
        throw new IOException("no node of the network gave its genesis block", last);
    }
}
