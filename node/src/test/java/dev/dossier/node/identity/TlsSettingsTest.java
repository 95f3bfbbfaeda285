package dev.dossier.node.identity;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dossier.crypto.P256PublicKey;
import dev.dossier.crypto.Pem;
import dev.dossier.crypto.testing.TestPki;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TlsSettingsTest {
    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    private static final MethodDescriptor<byte[], byte[]> PROBE = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("dossier.test.Probe/Call")
            .setRequestMarshaller(BYTES)
            .setResponseMarshaller(BYTES)
            .build();

    @TempDir
    Path directory;

    /**
     * The same key file signs and serves mutual TLS, in either PEM form. The key Raft's TLS takes ({@link
     * TlsSettings#privateKeyValue()}) used to be read as PKCS#8 only, so a SEC1 key that signed failed there.
     */
    @ParameterizedTest
    @ValueSource(strings = {"sec1", "pkcs8"})
    void keyFile_signsAndServesMutualTls(String form) throws Exception {
        TestPki.Ca ca = TestPki.Ca.create("tlsca.org1.test");
        TestPki.Leaf node = ca.tls("node0.org1.test");
        Path certificate = TestPki.write(directory.resolve("server.crt"), node.certificatePem());
        Path key = TestPki.write(
                directory.resolve("server.key"),
                form.equals("sec1") ? node.keys().sec1Pem() : node.keys().pkcs8Pem());
        Path root = TestPki.write(directory.resolve("ca.crt"), Pem.encode(ca.certificate()));

        Signer signer = Signer.fromPem("Org1MSP", certificate, key);
        byte[] message = "endorsement".getBytes(UTF_8);
        P256PublicKey.fromCertificate(node.certificate()).verify(message, signer.sign(message));

        TlsSettings tls = new TlsSettings(certificate, key, List.of(root));
        assertThat(tls.privateKeyValue().getAlgorithm()).isEqualTo("EC");
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .sslContext(tls.serverContext())
                .build()
                .start();
        ManagedChannel channel = TlsSettings.channel("localhost:" + server.getPort(), tls);
        try {
            // the handshake succeeds both ways, so the call reaches the server, which has no such method
            assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(
                            channel, PROBE, CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS), new byte[0]))
                    .isInstanceOfSatisfying(
                            StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
        } finally {
            channel.shutdownNow();
            server.shutdownNow();
        }
    }
}
