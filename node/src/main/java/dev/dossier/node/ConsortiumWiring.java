package dev.dossier.node;

import com.google.protobuf.ByteString;
import dev.dossier.common.net.NodeAddress;
import dev.dossier.credential.CredentialKey;
import dev.dossier.node.config.OrganisationKeys;
import dev.dossier.node.consortium.ConsortiumDocument;
import dev.dossier.node.consortium.ConsortiumInForce;
import dev.dossier.node.consortium.ConsortiumTrust;
import dev.dossier.node.gateway.Endorsers;
import dev.dossier.node.gateway.GatewayContext;
import dev.dossier.node.identity.Msp;
import dev.dossier.node.ledger.Ledger;
import dev.dossier.node.ledger.StateReader;
import dev.dossier.node.log.CheckpointPublisher;
import dev.dossier.node.log.CheckpointSigner;
import dev.dossier.node.log.CommitmentLog;
import dev.dossier.node.ordering.BlockListener;
import dev.dossier.node.ordering.RaftOrderer;
import dev.dossier.node.ordering.RaftReconciler;
import dev.dossier.node.ordering.RaftSettings;
import dev.dossier.node.validation.WriteRules;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.hyperledger.fabric.protos.common.Block;

/**
 * What {@link Node#start} derives from the consortium in force ({@link ConsortiumInForce}): the gateway's members
 * (nodes' identities, write rules), the endorsers' peers, the Raft group's wanted members, and the block listener that
 * applies a change before the next block is checked.
 */
final class ConsortiumWiring {
    private static final Duration PEER_TIMEOUT = Duration.ofSeconds(2);

    private ConsortiumWiring() {}

    /**
     * @param fileNodes the nodes of the node's files, in force when the ledger holds no consortium document
     * @return the gateway's members of the consortium in force, replaced when a change commits
     */
    static Supplier<GatewayContext.Members> members(
            NodeSettings settings, ConsortiumInForce consortium, Set<ByteString> fileNodes) {
        AtomicReference<GatewayContext.Members> members = new AtomicReference<>(consortium
                .document()
                .map(document -> members(settings, document))
                .orElseGet(() -> new GatewayContext.Members(
                        fileNodes,
                        new WriteRules(
                                settings.chaincode(),
                                settings.organisations().stream()
                                        .map(Msp::mspId)
                                        .toList()))));
        consortium.onChange(document -> members.set(members(settings, document)));
        return members::get;
    }

    /** What the gateway needs of a consortium document: its nodes' identities and the write rules over its members. */
    static GatewayContext.Members members(NodeSettings settings, ConsortiumDocument document) {
        return new GatewayContext.Members(
                document.nodeIdentities(), new WriteRules(settings.chaincode(), document.mspIds()));
    }

    /**
     * @return the orderer's listener, preceded by the consortium's: a change that a block commits is in force before
     *     the next block is checked
     */
    static BlockListener following(ConsortiumInForce consortium, Ledger ledger, BlockListener next) {
        return new BlockListener() {
            @Override
            public void committed(Block block, List<String> txIds) {
                consortium.follow(ledger);
                next.committed(block, txIds);
            }

            @Override
            public void dropped(List<String> txIds) {
                next.dropped(txIds);
            }
        };
    }

    /** @return the nodes of a consortium document but {@code self}, as endorsers */
    static List<Endorsers.Peer> peers(ConsortiumDocument document, String self) {
        List<Endorsers.Peer> peers = new ArrayList<>();
        for (ConsortiumDocument.Member member : document.nodes()) {
            if (!member.node().name().equals(self)) {
                peers.add(new Endorsers.Peer(
                        member.node().name(),
                        member.mspId(),
                        member.node().host() + ":" + member.node().port()));
            }
        }
        return peers;
    }

    /**
     * On a network ordered by Raft whose consortium is on the ledger: the Raft group follows the nodes of the
     * consortium in force ({@link RaftReconciler}), from the document the ledger holds now and after each change.
     */
    static void raftMembership(
            NodeSettings settings, GatewayContext context, ConsortiumInForce consortium, StartedParts parts) {
        if (!(context.ordering() instanceof RaftOrderer raft)
                || consortium.document().isEmpty()) {
            return;
        }
        RaftReconciler reconciler = parts.add(
                "Raft membership",
                new RaftReconciler(raft, settings.channel(), settings.name(), settings.tls(), ConsortiumWiring::health),
                RaftReconciler::close);
        Path certificates = settings.dataDirectory().resolve("consortium-tls");
        reconciler.want(ConsortiumWiring.raftMembers(consortium.document().get(), certificates));
        consortium.onChange(document -> reconciler.want(ConsortiumWiring.raftMembers(document, certificates)));
    }

    /**
     * @return the Raft members a consortium document lists, each node's TLS certificate written under {@code
     *     directory} (Ratis reads it from a file when the group runs over TLS)
     * @throws UncheckedIOException if a certificate cannot be written
     */
    static List<RaftSettings.Member> raftMembers(ConsortiumDocument document, Path directory) {
        List<RaftSettings.Member> members = new ArrayList<>();
        try {
            Files.createDirectories(directory);
            for (ConsortiumDocument.Member member : document.nodes()) {
                ConsortiumDocument.Node node = member.node();
                Path certificate = directory.resolve(node.name() + "-tls.pem");
                Files.writeString(certificate, node.tlsCertificate());
                members.add(new RaftSettings.Member(
                        node.name(), node.host(), node.port() + NodeSettings.Cluster.RAFT_PORT_OFFSET, certificate));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the nodes' TLS certificates: " + e.getMessage(), e);
        }
        return members;
    }

    /**
     * The checkpoint publisher of a ledger that holds the consortium: its trust file ({@code /v1/keys}) and the nodes
     * it asks to cosign are those of the consortium in force, replaced when a change commits (before the log takes the
     * change's block), so a node voted in cosigns and a removed node's cosignature stops counting. The trust file also
     * lists the key sets of before each change, for the checkpoints cosigned then ({@link ConsortiumTrust}).
     */
    static CheckpointPublisher checkpointKeys(
            String self, StateReader ledger, ConsortiumInForce consortium, CommitmentLog log, CheckpointSigner signer) {
        ConsortiumDocument document = consortium.document().orElseThrow();
        CheckpointPublisher publisher = CheckpointPublisher.start(
                log, signer, ConsortiumTrust.of(ledger, log::sizeAfter), cosignUris(document, self));
        consortium.onChange(
                changed -> publisher.update(ConsortiumTrust.of(ledger, log::sizeAfter), cosignUris(changed, self)));
        return publisher;
    }

    /**
     * @return the organisations' credential keys in force: the consortium's, replaced when a change commits; on a
     *     ledger without a consortium document, those of {@code credential-keys.txt} beside the node's card key file
     * @throws IOException if that file cannot be read
     */
    static Supplier<List<CredentialKey>> credentialKeys(NodeSettings settings, ConsortiumInForce consortium)
            throws IOException {
        if (consortium.document().isEmpty()) {
            List<CredentialKey> files = settings.cardKeys() == null
                    ? List.of()
                    : OrganisationKeys.CREDENTIALS.load(
                            settings.cardKeys().resolveSibling(OrganisationKeys.CREDENTIALS.fileName()));
            return () -> files;
        }
        AtomicReference<List<CredentialKey>> keys =
                new AtomicReference<>(consortium.document().get().credentialKeys());
        consortium.onChange(document -> keys.set(document.credentialKeys()));
        return keys::get;
    }

    /** @return the cosign endpoints of a document's nodes but {@code self} */
    private static List<URI> cosignUris(ConsortiumDocument document, String self) {
        List<URI> out = new ArrayList<>();
        for (ConsortiumDocument.Member member : document.nodes()) {
            if (!member.node().name().equals(self)) {
                out.add(httpUrl(member.node().host(), member.node().port(), "/v1/checkpoint/cosign"));
            }
        }
        return out;
    }

    /** @return {@code path} on the HTTP API of the node whose gateway listens on {@code host:gatewayPort} */
    private static URI httpUrl(String host, int gatewayPort, String path) {
        String bracketed = host.contains(":") ? "[" + host + "]" : host;
        return URI.create("http://" + bracketed + ":" + NodeAddress.httpPort(gatewayPort) + path);
    }

    /** @return the HTTP status a Raft member's node answers on its {@code /healthz} (default HTTP port), or -1 */
    static int health(RaftSettings.Member member) {
        URI health = httpUrl(member.host(), member.port() - NodeSettings.Cluster.RAFT_PORT_OFFSET, "/healthz");
        try {
            HttpResponse<Void> answer = HttpClient.newBuilder()
                    .connectTimeout(PEER_TIMEOUT)
                    .build()
                    .send(
                            HttpRequest.newBuilder(health).timeout(PEER_TIMEOUT).build(),
                            HttpResponse.BodyHandlers.discarding());
            return answer.statusCode();
        } catch (IOException | RuntimeException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
