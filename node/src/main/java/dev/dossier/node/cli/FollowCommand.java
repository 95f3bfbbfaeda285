package dev.dossier.node.cli;

import com.google.protobuf.ByteString;
import dev.dossier.crypto.Pem;
import dev.dossier.node.NodeSettings;
import dev.dossier.node.config.Consortium;
import dev.dossier.node.config.OrganisationKeys;
import dev.dossier.node.follower.Follower;
import dev.dossier.node.follower.FollowerSettings;
import dev.dossier.node.follower.PeerConnection;
import dev.dossier.node.identity.Msp;
import dev.dossier.node.ordering.BlockLimits;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code dossier node follow}: follow a Fabric channel through a peer and serve receipts for it. */
@Command(
        name = "follow",
        mixinStandardHelpOptions = true,
        description = "Follow a Hyperledger Fabric channel: pull its blocks from a peer's Deliver service (from"
                + " where the ledger in --data stopped), check each (hash chain, data hash, the orderer's signature,"
                + " every VALID notary transaction's creator and endorsements against the consortium's write rules,"
                + " MVCC), store it and derive the commitment log and revocation index from it; serve the HTTP API"
                + " (receipts, status, checkpoints, revocations, verify page, healthz, metrics) for that channel, with"
                + " checkpoints cosigned by the other followers (--cosigner). The consortium (--network) is the Fabric"
                + " network's `network init` material: its organisations' CAs, and its nodes' certificates, which its"
                + " peers endorse with. Writes the followers' trust file to --data/trust.txt.")
final class FollowCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--network",
            required = true,
            description = "consortium directory (consortium.yaml) of the Fabric network's organisations")
    Path network;

    @Option(names = "--org", defaultValue = "Org1MSP", description = "this follower's organisation (MSP id or name)")
    String organisation;

    @Option(
            names = "--node",
            description = "whose identity the follower uses to read the channel and sign checkpoints, and its name in"
                    + " the trust file (default: the organisation's first node)")
    String node;

    @Option(names = "--peer", required = true, paramLabel = "HOST:PORT", description = "the Fabric peer to follow")
    String peer;

    @Option(
            names = "--peer-tls-ca",
            paramLabel = "FILE",
            description = "the peer's TLS CA certificate (PEM; repeatable): connect over TLS")
    List<Path> peerTlsCa = List.of();

    @Option(
            names = "--peer-tls-server-name",
            description = "the name in the peer's TLS certificate, when --peer names it otherwise")
    String peerTlsServerName;

    @Option(names = "--peer-tls-cert", description = "TLS client certificate, for a peer that requires one")
    Path peerTlsCert;

    @Option(names = "--peer-tls-key", description = "its private key")
    Path peerTlsKey;

    @Option(names = "--plaintext", description = "connect to the peer without TLS (a peer that serves no TLS)")
    boolean plaintext;

    @Option(
            names = "--orderer-ca",
            required = true,
            paramLabel = "FILE",
            description = "the orderer organisation's CA certificate (PEM, its msp/cacerts; repeatable): blocks must"
                    + " be signed by its members")
    List<Path> ordererCa;

    @Option(names = "--orderer-msp", defaultValue = "OrdererMSP", description = "the orderer organisation's MSP id")
    String ordererMsp;

    @Option(names = "--channel", description = "the channel (default: the consortium's)")
    String channel;

    @Option(names = "--chaincode", description = "the notary chaincode (default: the consortium's)")
    String chaincode;

    @Option(names = "--data", required = true, description = "data directory of this follower")
    Path data;

    @Option(names = "--http-host", description = "host of the HTTP API (default: the node's host)")
    String httpHost;

    @Option(names = "--http-port", required = true, description = "port of the HTTP API (0: any free port)")
    int httpPort;

    @Option(
            names = "--cosigner",
            paramLabel = "NODE=URL",
            description = "another organisation's follower (repeatable): its node name in the consortium and its HTTP"
                    + " API's base URL, such as node0.org2.dossier.local=http://127.0.0.1:9060; checkpoints need a"
                    + " majority of the followers' signatures")
    Map<String, URI> cosigners = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        if (peerTlsCa.isEmpty() != plaintext) {
            throw new ParameterException(
                    spec.commandLine(),
                    "give the peer's TLS CA (--peer-tls-ca) or, for a peer without TLS, --plaintext");
        }
        Consortium consortium = Consortium.load(network.resolve("consortium.yaml"));
        NodeSettings self = NodeSettings.of(consortium, organisation, node, data, null, BlockLimits.DEFAULT);
        // in the consortium's order, so that every follower of the channel writes the same trust file
        Map<String, Path> followers = new LinkedHashMap<>();
        List<URI> cosignEndpoints = new ArrayList<>();
        Set<ByteString> endorsers = new HashSet<>();
        for (NodeSettings.ClusterNode member :
                NodeSettings.Cluster.of(consortium, self.name()).nodes()) {
            endorsers.add(member.serializedIdentity());
            URI url = cosigners.get(member.name());
            if (member.name().equals(self.name())) {
                followers.put(member.name(), member.certificate());
            } else if (url != null) {
                followers.put(member.name(), member.certificate());
                cosignEndpoints.add(url.resolve("/v1/checkpoint/cosign"));
            }
        }
        for (String name : cosigners.keySet()) {
            if (!followers.containsKey(name) || name.equals(self.name())) {
                throw new ParameterException(
                        spec.commandLine(), "--cosigner " + name + " is not another node of the consortium");
            }
        }
        List<X509Certificate> ordererRoots = new ArrayList<>();
        for (Path ca : ordererCa) {
            ordererRoots.addAll(Pem.readCertificates(ca));
        }
        Path cardKeys = network.resolve(OrganisationKeys.CARDS.fileName());
        Files.createDirectories(data);
        FollowerSettings settings = new FollowerSettings(
                self.name(),
                channel == null ? consortium.channel() : channel,
                chaincode == null ? consortium.chaincode() : chaincode,
                new PeerConnection(peer, peerTlsCa, peerTlsServerName, peerTlsCert, peerTlsKey),
                self.mspId(),
                self.signCertificate(),
                self.signKey(),
                consortium.msps(),
                endorsers,
                new Msp(ordererMsp, ordererRoots, List.of()),
                data,
                httpHost == null ? self.host() : httpHost,
                httpPort,
                followers,
                cosignEndpoints,
                Files.isRegularFile(cardKeys) ? cardKeys : null);
        Follower follower = Follower.start(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(follower::close, "shutdown"));
        System.out.println("following channel " + settings.channel() + " from the peer " + settings.peer() + " as "
                + settings.name() + ", ledger height " + follower.height() + "; HTTP API and verify page on "
                + follower.httpUrl() + "/verify; trust file " + data.resolve(Follower.TRUST_FILE));
        follower.awaitTermination();
        return 0;
    }
}
