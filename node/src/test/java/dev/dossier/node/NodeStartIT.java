package dev.dossier.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dossier.node.config.Consortium;
import dev.dossier.node.config.CryptoGen;
import dev.dossier.node.config.GenesisPolicy;
import dev.dossier.node.ordering.BlockLimits;
import dev.dossier.testing.FreePorts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node whose start fails late leaves nothing behind: its ports are free and its data directory can be opened. */
class NodeStartIT {
    @TempDir
    Path directory;

    @Test
    void start_httpPortTaken_failsNamingIt_andReleasesTheGatewayPortLedgerAndLog() throws Exception {
        NodeSettings defaults = oneOrganisation();
        InetAddress host = InetAddress.getByName(defaults.host());
        int grpcPort = FreePorts.base(2); // below the ephemeral range: no outgoing connection takes it meanwhile
        try (ServerSocket taken = new ServerSocket(grpcPort + 1, 50, host)) {
            NodeSettings settings = defaults.toBuilder()
                    .port(grpcPort)
                    .httpPort(taken.getLocalPort())
                    .genesisPolicy(
                            GenesisPolicy.load(directory.resolve("network")).orElseThrow())
                    .build();

            // the HTTP API is the last part to start: the ledger, the log, ordering and the gateway already run
            assertThatThrownBy(() -> Node.start(settings))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(Integer.toString(taken.getLocalPort()));

            assertThat(canBind(host, grpcPort)).as("gateway port released").isTrue();
            taken.close();
            // the ledger's RocksDB lock, the commitment log and the Raft-free ordering were released: the same data
            // directory opens again, with the genesis block the failed start wrote
            try (Node node = Node.start(settings)) {
                assertThat(node.height()).isEqualTo(1);
                assertThat(node.port()).isEqualTo(grpcPort);
                assertThat(node.httpPort()).isEqualTo(settings.httpPort());
            }
            // and close() released them the same way
            assertThat(canBind(host, grpcPort))
                    .as("gateway port released by close")
                    .isTrue();
            assertThat(canBind(host, settings.httpPort()))
                    .as("HTTP port released by close")
                    .isTrue();
            try (Node again = Node.start(settings)) {
                assertThat(again.height()).isEqualTo(1);
            }
        }
    }

    @Test
    void start_gatewayPortTaken_failsNamingIt_andTheSameDataDirectoryStartsOnceThePortIsFree() throws Exception {
        NodeSettings defaults = oneOrganisation();
        InetAddress host = InetAddress.getByName(defaults.host());
        try (ServerSocket taken = new ServerSocket(FreePorts.base(1), 50, host)) {
            NodeSettings settings = defaults.toBuilder()
                    .port(taken.getLocalPort())
                    .httpPort(0)
                    .genesisPolicy(
                            GenesisPolicy.load(directory.resolve("network")).orElseThrow())
                    .build();

            // the ledger, the commitment log and ordering run when the gateway fails to listen
            assertThatThrownBy(() -> Node.start(settings))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("cannot listen on " + settings.host() + ":" + taken.getLocalPort());

            taken.close();
            try (Node node = Node.start(settings)) {
                assertThat(node.height()).isEqualTo(1);
                assertThat(node.healthy()).isTrue();
            }
        }
    }

    /** A consortium of one organisation; its node's settings with the consortium's first role policy. */
    private NodeSettings oneOrganisation() throws Exception {
        Consortium consortium = CryptoGen.generate(directory.resolve("network"), 1, "dossier", "notary", 7051);
        return NodeSettings.of(
                        consortium,
                        "Org1MSP",
                        null,
                        directory.resolve("node"),
                        TestNetwork.chaincodeJar(),
                        BlockLimits.DEFAULT)
                .toBuilder()
                .genesisPolicy(GenesisPolicy.load(directory.resolve("network")).orElseThrow())
                .build();
    }

    private static boolean canBind(InetAddress host, int port) {
        try (ServerSocket socket = new ServerSocket(port, 50, host)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
