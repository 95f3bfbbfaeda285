package dev.dossier.client;

import static java.util.Objects.requireNonNull;

import dev.dossier.client.card.CardIssuer;
import dev.dossier.client.credential.CredentialIssuer;
import dev.dossier.client.digest.HmacKey;
import dev.dossier.client.transport.Connections;
import dev.dossier.common.card.CardKey;
import dev.dossier.credential.CredentialKey;
import dev.dossier.crypto.Pem;
import dev.dossier.node.Node;
import dev.dossier.node.NodeSettings;
import dev.dossier.node.config.Consortium;
import dev.dossier.node.config.CryptoGen;
import dev.dossier.node.config.GenesisPolicy;
import dev.dossier.node.config.OrganisationKeys;
import dev.dossier.node.ordering.BlockLimits;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.Gateway;

/**
 * A one-organisation consortium generated with {@link CryptoGen} under a directory, with the organisation's card key
 * made by {@link OrganisationKeys#CARDS} as {@code network init} makes it, and a real {@link Node} on a free port serving the notary
 * contract jar the chaincode module built and the card key in its {@code /v1/keys}, for client integration tests.
 * {@link #network} starts one node per organisation of a larger consortium instead, ordering with Raft.
 */
final class LocalNode implements AutoCloseable {
    final Path directory;
    final Path network;
    final NodeSettings settings;
    final Node node;
    /** The organisation's MSP id, such as {@code Org1MSP}. */
    final String mspId;
    /** The organisation's card key, as the node's trust file lists it; its private key is {@link #cardKeyFile()}. */
    final CardKey cardKey;
    /** The organisation's credential key, served in its controller document; its private key is in the network. */
    final CredentialKey credentialKey;

    private final String domain;
    private final ManagedChannel channel;

    LocalNode(Path directory) throws Exception {
        this(directory, false);
    }

    /** @param tls serve gRPC over mutual TLS, as {@code node start --tls} (the tests' own channel then uses TLS too) */
    LocalNode(Path directory, boolean tls) throws Exception {
        this(Keys.generate(directory.resolve("network"), 1, 7051), 0, directory, tls);
    }

    private LocalNode(Keys keys, int org, Path directory, boolean tls) throws Exception {
        this(keys, org, directory, tls, keys.network.resolve(OrganisationKeys.CARDS.fileName()));
    }

    /**
     * @param cardKeys the node's {@code card-keys.txt}; its {@code credential-keys.txt} is the file beside it
     */
    private LocalNode(Keys keys, int org, Path directory, boolean tls, Path cardKeys) throws Exception {
        this.directory = directory;
        this.network = keys.network;
        Consortium.Organisation organisation = keys.consortium.organisations().get(org);
        this.mspId = organisation.mspId();
        this.domain = organisation.domain();
        cardKey = keys.cardKeys.get(org);
        credentialKey = keys.credentialKeys.get(org);
        String jar =
                requireNonNull(System.getProperty("dossier.chaincode.jar"), "system property dossier.chaincode.jar");
        NodeSettings plain = NodeSettings.of(
                        keys.consortium, mspId, null, directory.resolve("node"), Path.of(jar), BlockLimits.DEFAULT)
                .toBuilder()
                .genesisPolicy(GenesisPolicy.load(network).orElseThrow())
                .cardKeys(cardKeys)
                .build();
        if (keys.consortium.organisations().size() == 1) {
            plain = plain.toBuilder().port(0).build();
        } else {
            // several organisations order with Raft on their fixed ports, in plaintext on loopback (--insecure)
            plain = plain.toBuilder().cluster(plain.cluster().insecure(true)).build();
        }
        settings =
                tls ? plain.toBuilder().tls(keys.consortium.tls(plain.name())).build() : plain;
        node = Node.start(settings);
        Path issuerTls = msp("Issuer").resolveSibling("tls");
        channel = Connections.channel(
                "localhost:" + node.port(),
                tls
                        ? new Connections.Tls(
                                issuerTls.resolve("ca.crt"),
                                issuerTls.resolve("client.crt"),
                                issuerTls.resolve("client.key"),
                                null)
                        : null);
    }

    /** A consortium's directory with every organisation's card and credential keys, as {@code network init} makes. */
    private record Keys(
            Path network, Consortium consortium, List<CardKey> cardKeys, List<CredentialKey> credentialKeys) {
        static Keys generate(Path network, int organisations, int port) throws IOException {
            Consortium consortium = CryptoGen.generate(network, organisations, "dossier", "notary", port);
            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            LocalDate until = today.plus(OrganisationKeys.DEFAULT_VALIDITY);
            return new Keys(
                    network,
                    consortium,
                    OrganisationKeys.CARDS.generate(network, consortium, today.minusDays(1), until),
                    OrganisationKeys.CREDENTIALS.generate(network, consortium, today.minusDays(1), until));
        }
    }

    /**
     * Starts a node for each of {@code organisations} organisations (on {@linkplain NodeProcesses#freePorts free
     * ports}, plaintext Raft on loopback), each with its data in {@code directory/org<n>}.
     *
     * @param keyFiles for each organisation, the {@code card-keys.txt} its node reads (the {@code credential-keys.txt}
     *     beside it too): a dishonest operator may start a node with other files than the consortium's
     */
    static List<LocalNode> network(Path directory, int organisations, KeyFiles keyFiles) throws Exception {
        Keys keys = Keys.generate(directory.resolve("network"), organisations, NodeProcesses.freePorts(organisations));
        // started together: each node's Raft waits for the others to elect a leader
        ExecutorService starter = Executors.newFixedThreadPool(organisations);
        List<Future<LocalNode>> starting = new ArrayList<>();
        try {
            for (int org = 0; org < organisations; org++) {
                Path files = keyFiles.cardKeys(org, keys.network);
                Path data = directory.resolve("org" + (org + 1));
                int index = org;
                starting.add(starter.submit(() -> new LocalNode(keys, index, data, false, files)));
            }
            List<LocalNode> nodes = new ArrayList<>();
            Exception failure = null;
            for (Future<LocalNode> node : starting) {
                try {
                    nodes.add(node.get());
                } catch (ExecutionException e) {
                    failure = e.getCause() instanceof Exception cause ? cause : e;
                }
            }
            if (failure != null) {
                nodes.forEach(LocalNode::close);
                throw failure;
            }
            return nodes;
        } finally {
            starter.shutdownNow();
        }
    }

    /** Which {@code card-keys.txt} a node reads, and so which {@code credential-keys.txt} (the file beside it). */
    interface KeyFiles {
        /** The consortium's files, as {@code network init} wrote them. */
        KeyFiles CONSORTIUM = (org, network) -> network.resolve(OrganisationKeys.CARDS.fileName());

        /**
         * @param org the organisation's index in the consortium
         * @param network the consortium's directory
         */
        Path cardKeys(int org, Path network) throws IOException;
    }

    /** @return the MSP folder of the organisation's user with this role */
    Path msp(String user) {
        return network.resolve("organizations/peerOrganizations/" + domain + "/users/" + user + "@" + domain + "/msp");
    }

    /** @return the private key file of {@link #cardKey}, as {@code dossier certificate --card-key} takes it */
    Path cardKeyFile() {
        return OrganisationKeys.CARDS.privateKeyFile(network, cardKey);
    }

    /** @return the private key file of {@link #credentialKey}, as {@code --credential-key} takes it */
    Path credentialKeyFile() {
        return OrganisationKeys.CREDENTIALS.privateKeyFile(network, credentialKey);
    }

    /** @return a signer of credentials with the organisation's credential key, its DID on this node */
    CredentialIssuer credentialIssuer() throws IOException {
        return CredentialIssuer.listed(
                Pem.readEd25519PrivateKey(credentialKeyFile()),
                List.of(credentialKey),
                "localhost:" + URI.create(node.httpUrl()).getPort());
    }

    /** @return a signer of cards with the organisation's card key */
    CardIssuer cardIssuer() throws IOException {
        return new CardIssuer(Pem.readPrivateKey(cardKeyFile()), cardKey);
    }

    Gateway gateway(String user) throws IOException {
        return Connections.gateway(mspId, msp(user), channel).connect();
    }

    static Contract notary(Gateway gateway) {
        return gateway.getNetwork("dossier").getContract("notary");
    }

    /** A Dossier over {@code gateway} with key files in {@code keys} (created on first use). */
    static Dossier dossier(Gateway gateway, Path keys) throws IOException {
        return Dossier.newInstance()
                .contract(notary(gateway))
                .saltKey(HmacKey.loadOrCreate(keys.resolve("issuer-salt.key")))
                .pseudonymKey(HmacKey.loadOrCreate(keys.resolve("sector-pseudonym.key")))
                .build();
    }

    /** Arguments selecting this node for the {@code dossier} client commands. */
    String[] cli(String user, Path keys) {
        return new String[] {
            "--endpoint",
            "localhost:" + node.port(),
            "--msp-id",
            mspId,
            "--msp-dir",
            msp(user).toString(),
            "--config-dir",
            keys.toString()
        };
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        node.close();
    }
}
