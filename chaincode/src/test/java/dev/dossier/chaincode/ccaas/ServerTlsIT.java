package dev.dossier.chaincode.ccaas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dossier.crypto.Pem;
import dev.dossier.crypto.testing.TestPki;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chaincode server jar serving mutual TLS ({@code CHAINCODE_TLS_KEY}, {@code CHAINCODE_TLS_CERT},
 * {@code CHAINCODE_CLIENT_CA_CERT}), as a peer reaches it with {@code tls_required} and {@code client_auth_required}
 * in the package's connection.json.
 */
class ServerTlsIT {
    private static final Path DIR = Path.of("target", "ccaas-it", "tls");

    private static ServerProcess server;
    private static FakePeer.Creator caller;
    private static Path caFile;
    private static Path peerCert;
    private static Path peerKey;

    @BeforeAll
    static void startServer() throws Exception {
        TestPki.Ca tlsCa = TestPki.Ca.create(new X500Name("CN=tlsca.dossier.local,O=dossier.local"));
        TestPki.Leaf serverTls = tlsCa.tls("notary-ccaas");
        TestPki.Leaf peerTls = tlsCa.tls("peer0.org1.dossier.local");
        caFile = TestPki.write(DIR.resolve("ca.crt"), Pem.encode(tlsCa.certificate()));
        peerCert = TestPki.write(DIR.resolve("peer.crt"), peerTls.certificatePem());
        peerKey = TestPki.write(DIR.resolve("peer.key"), peerTls.keyPem());
        Path serverCert = TestPki.write(DIR.resolve("server.crt"), serverTls.certificatePem());
        Path serverKey = TestPki.write(DIR.resolve("server.key"), serverTls.keyPem());
        TestPki.Ca ca = TestPki.Ca.create(new X500Name("CN=ca.org1.dossier.local,O=org1.dossier.local"));
        caller = ServerIT.creator(ca, "Org1MSP", "Auditor@org1.dossier.local", Map.of("dossier.role", "auditor"));
        server = ServerProcess.start(
                Map.of(
                        "CHAINCODE_TLS_KEY", serverKey.toString(),
                        "CHAINCODE_TLS_CERT", serverCert.toString(),
                        "CHAINCODE_CLIENT_CA_CERT", caFile.toString()),
                Path.of("target", "ccaas-it", "server-tls.log"));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void peerWithAClientCertificate_registersAndInvokes() throws Exception {
        SslContextBuilder tls = GrpcSslContexts.forClient()
                .trustManager(caFile.toFile())
                .keyManager(peerCert.toFile(), peerKey.toFile());
        try (FakePeer peer = FakePeer.connect(NettyChannelBuilder.forAddress("127.0.0.1", server.port())
                .sslContext(tls.build())
                .build())) {
            assertThat(peer.handshake().getName()).isEqualTo(ServerProcess.PACKAGE_ID);

            FakePeer.Execution execution = peer.execute(caller, Instant.parse("2026-03-01T09:30:00Z"), "getPolicy");

            assertThat(execution.response().getStatus()).isEqualTo(200);
        }
    }

    @Test
    void peerWithoutAClientCertificate_isRefused() throws Exception {
        SslContextBuilder tls = GrpcSslContexts.forClient().trustManager(caFile.toFile());
        try (FakePeer peer = FakePeer.connect(NettyChannelBuilder.forAddress("127.0.0.1", server.port())
                .sslContext(tls.build())
                .build())) {
            Throwable failure = peer.failure();

            assertThat(failure).isInstanceOf(StatusRuntimeException.class);
            assertThat(((StatusRuntimeException) failure).getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        }
    }

    @Test
    void plaintextPeer_isRefused() throws Exception {
        try (FakePeer peer = FakePeer.connect(NettyChannelBuilder.forAddress("127.0.0.1", server.port())
                .usePlaintext()
                .build())) {
            assertThat(peer.failure()).isInstanceOf(StatusRuntimeException.class);
        }
    }
}
