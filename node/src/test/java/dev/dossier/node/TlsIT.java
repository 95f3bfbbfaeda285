package dev.dossier.node;

import static dev.dossier.node.TestNetwork.newCommitment;
import static dev.dossier.node.TestNetwork.notary;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dossier.node.config.Consortium;
import dev.dossier.node.config.CryptoGen;
import dev.dossier.node.ordering.BlockLimits;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.client.identity.Signers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node started with {@code node start --tls} serves TLS as a Fabric peer does: the official client with server-only
 * TLS (no client certificate) submits and evaluates, as does one presenting a TLS client certificate of a consortium
 * TLS CA; plaintext and a client certificate of a CA outside the consortium are refused. With {@code
 * --tls-client-auth-required} the client without a certificate is refused at the handshake.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsIT {
    private Path directory;
    private Consortium consortium;
    private Consortium stranger;
    private Node node;
    private Node requiring;

    @BeforeAll
    void start(@TempDir Path temporary) throws Exception {
        directory = temporary;
        consortium = CryptoGen.generate(directory.resolve("network"), 1, "dossier", "notary", 7051);
        stranger = CryptoGen.generate(directory.resolve("stranger"), 1, "dossier", "notary", 7051);
        node = Node.start(settings("node", false));
        requiring = Node.start(settings("requiring", true));
    }

    private NodeSettings settings(String data, boolean clientAuthRequired) {
        return NodeSettings.of(
                        consortium,
                        "Org1MSP",
                        null,
                        directory.resolve(data),
                        TestNetwork.chaincodeJar(),
                        BlockLimits.DEFAULT)
                .toBuilder()
                .port(0)
                .httpPort(0)
                .tls(consortium.tls("node0.org1.dossier.local").withClientAuthRequired(clientAuthRequired))
                .build();
    }

    @AfterAll
    void stop() {
        node.close();
        requiring.close();
    }

    private static Path tls(Consortium of, String user) {
        return of.organisations().get(0).users().stream()
                .filter(u -> u.name().startsWith(user + "@"))
                .findFirst()
                .orElseThrow()
                .certificate()
                .getParent()
                .getParent()
                .resolveSibling("tls");
    }

    private ManagedChannel channel(SslContextBuilder context) throws Exception {
        return channel(node, context);
    }

    private static ManagedChannel channel(Node to, SslContextBuilder context) throws Exception {
        return NettyChannelBuilder.forAddress("localhost", to.port())
                .sslContext(context.build())
                .build();
    }

    private Gateway issuer(ManagedChannel channel) throws Exception {
        Consortium.User issuer = consortium.organisations().get(0).user("issuer");
        return TestNetwork.gateway(
                channel,
                "Org1MSP",
                TestNetwork.certificate(issuer.certificate()),
                Signers.newPrivateKeySigner(TestNetwork.key(issuer.privateKey())));
    }

    /** Anchors a new commitment as the issuer over {@code channel}, reads it back, and closes the channel. */
    private void anchorsAndReads(ManagedChannel channel) throws Exception {
        String commitment = newCommitment();
        try (Gateway gateway = issuer(channel)) {
            notary(gateway).submitTransaction("anchor", commitment, "record");
            assertThat(new String(notary(gateway).evaluateTransaction("status", commitment), StandardCharsets.UTF_8))
                    .contains(commitment);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void clientWithAConsortiumTlsCertificate_anchorsAndReads() throws Exception {
        Path tls = tls(consortium, "Issuer");
        ManagedChannel channel = channel(GrpcSslContexts.forClient()
                .trustManager(tls.resolve("ca.crt").toFile())
                .keyManager(
                        tls.resolve("client.crt").toFile(),
                        tls.resolve("client.key").toFile()));
        anchorsAndReads(channel);
    }

    @Test
    void clientWithoutATlsCertificate_anchorsAndReads_asOnAFabricPeer() throws Exception {
        Path tls = tls(consortium, "Issuer");
        ManagedChannel channel = channel(
                GrpcSslContexts.forClient().trustManager(tls.resolve("ca.crt").toFile()));
        anchorsAndReads(channel);
    }

    @Test
    void withClientAuthRequired_theClientWithoutACertificate_isRefusedAtTheHandshake() throws Exception {
        Path tls = tls(consortium, "Issuer");
        long height = requiring.height();
        ManagedChannel serverAuthOnly = channel(
                requiring,
                GrpcSslContexts.forClient().trustManager(tls.resolve("ca.crt").toFile()));
        try (Gateway gateway = issuer(serverAuthOnly)) {
            assertThatThrownBy(() -> notary(gateway).submitTransaction("anchor", newCommitment(), "record"))
                    .isInstanceOfSatisfying(
                            GatewayException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        } finally {
            serverAuthOnly.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        ManagedChannel mutual = channel(
                requiring,
                GrpcSslContexts.forClient()
                        .trustManager(tls.resolve("ca.crt").toFile())
                        .keyManager(
                                tls.resolve("client.crt").toFile(),
                                tls.resolve("client.key").toFile()));
        try (Gateway gateway = issuer(mutual)) {
            notary(gateway).submitTransaction("anchor", newCommitment(), "record");
        } finally {
            mutual.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        assertThat(requiring.height()).isEqualTo(height + 1);
    }

    @Test
    void plaintext_orAStrangersCertificate_areRefused() throws Exception {
        Path tls = tls(consortium, "Issuer");
        Path strangerTls = tls(stranger, "Issuer");
        ManagedChannel plaintext = NettyChannelBuilder.forAddress("localhost", node.port())
                .usePlaintext()
                .build();
        ManagedChannel strangerCertificate = channel(GrpcSslContexts.forClient()
                .trustManager(tls.resolve("ca.crt").toFile())
                .keyManager(
                        strangerTls.resolve("client.crt").toFile(),
                        strangerTls.resolve("client.key").toFile()));
        long height = node.height();
        for (ManagedChannel channel : new ManagedChannel[] {plaintext, strangerCertificate}) {
            try (Gateway gateway = issuer(channel)) {
                assertThatThrownBy(() -> notary(gateway).evaluateTransaction("status", newCommitment()))
                        .isInstanceOfSatisfying(
                                GatewayException.class,
                                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
        assertThat(node.height()).isEqualTo(height);
    }
}
