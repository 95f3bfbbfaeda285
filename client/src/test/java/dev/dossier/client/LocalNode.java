package dev.dossier.client;

import static java.util.Objects.requireNonNull;

import dev.dossier.client.digest.HmacKey;
import dev.dossier.client.transport.Connections;
import dev.dossier.node.Node;
import dev.dossier.node.NodeSettings;
import dev.dossier.node.config.Consortium;
import dev.dossier.node.config.CryptoGen;
import dev.dossier.node.config.GenesisPolicy;
import dev.dossier.node.ordering.BlockLimits;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.Gateway;

/**
 * A one-organisation consortium generated with {@link CryptoGen} under a directory and a real {@link Node} on a free
 * port serving the notary contract jar the chaincode module built, for client integration tests.
 */
final class LocalNode implements AutoCloseable {
    final Path directory;
    final Path network;
    final NodeSettings settings;
    final Node node;
    private final ManagedChannel channel;

    LocalNode(Path directory) throws Exception {
        this(directory, false);
    }

    /** @param tls serve gRPC over mutual TLS, as {@code node start --tls} (the tests' own channel then uses TLS too) */
    LocalNode(Path directory, boolean tls) throws Exception {
        this.directory = directory;
        this.network = directory.resolve("network");
        Consortium consortium = CryptoGen.generate(network, 1, "dossier", "notary", 7051);
        String jar =
                requireNonNull(System.getProperty("dossier.chaincode.jar"), "system property dossier.chaincode.jar");
        NodeSettings plain = NodeSettings.of(
                        consortium, "Org1MSP", null, directory.resolve("node"), Path.of(jar), BlockLimits.DEFAULT)
                .toBuilder()
                .port(0)
                .genesisPolicy(GenesisPolicy.load(network).orElseThrow())
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
