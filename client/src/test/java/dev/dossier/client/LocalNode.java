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
import dev.dossier.node.config.CardKeys;
import dev.dossier.node.config.Consortium;
import dev.dossier.node.config.CredentialKeys;
import dev.dossier.node.config.CryptoGen;
import dev.dossier.node.config.GenesisPolicy;
import dev.dossier.node.ordering.BlockLimits;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.Gateway;

/**
 * A one-organisation consortium generated with {@link CryptoGen} under a directory, with the organisation's card key
 * made by {@link CardKeys} as {@code network init} makes it, and a real {@link Node} on a free port serving the notary
 * contract jar the chaincode module built and the card key in its {@code /v1/keys}, for client integration tests.
 */
final class LocalNode implements AutoCloseable {
    final Path directory;
    final Path network;
    final NodeSettings settings;
    final Node node;
    /** The organisation's card key, as the node's trust file lists it; its private key is {@link #cardKeyFile()}. */
    final CardKey cardKey;
    /** The organisation's credential key, served in its controller document; its private key is in the network. */
    final CredentialKey credentialKey;

    private final ManagedChannel channel;

    LocalNode(Path directory) throws Exception {
        this(directory, false);
    }

    /** @param tls serve gRPC over mutual TLS, as {@code node start --tls} (the tests' own channel then uses TLS too) */
    LocalNode(Path directory, boolean tls) throws Exception {
        this.directory = directory;
        this.network = directory.resolve("network");
        Consortium consortium = CryptoGen.generate(network, 1, "dossier", "notary", 7051);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        List<CardKey> cardKeys =
                CardKeys.generate(network, consortium, today.minusDays(1), today.plus(CardKeys.DEFAULT_VALIDITY));
        cardKey = cardKeys.get(0);
        credentialKey = CredentialKeys.generate(
                        network, consortium, today.minusDays(1), today.plus(CardKeys.DEFAULT_VALIDITY))
                .get(0);
        String jar =
                requireNonNull(System.getProperty("dossier.chaincode.jar"), "system property dossier.chaincode.jar");
        NodeSettings plain = NodeSettings.of(
                        consortium, "Org1MSP", null, directory.resolve("node"), Path.of(jar), BlockLimits.DEFAULT)
                .toBuilder()
                .port(0)
                .genesisPolicy(GenesisPolicy.load(network).orElseThrow())
                .cardKeys(network.resolve(CardKeys.FILE_NAME))
                .build();
        settings = tls ? plain.toBuilder().tls(consortium.tls(plain.name())).build() : plain;
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

    /** @return the MSP folder of the organisation's user with this role */
    Path msp(String user) {
        return network.resolve(
                "organizations/peerOrganizations/org1.dossier.local/users/" + user + "@org1.dossier.local/msp");
    }

    /** @return the private key file of {@link #cardKey}, as {@code dossier certificate --card-key} takes it */
    Path cardKeyFile() {
        return CardKeys.privateKeyFile(network, cardKey);
    }

    /** @return the private key file of {@link #credentialKey}, as {@code --credential-key} takes it */
    Path credentialKeyFile() {
        return CredentialKeys.privateKeyFile(network, credentialKey);
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
        return Connections.gateway("Org1MSP", msp(user), channel).connect();
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
            "Org1MSP",
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
