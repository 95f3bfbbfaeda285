package dev.dossier.client.transport;

import dev.dossier.crypto.P256PrivateKey;
import dev.dossier.crypto.Pem;
import dev.dossier.crypto.PemException;
import io.grpc.ManagedChannel;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.Hash;
import org.hyperledger.fabric.client.identity.X509Identity;

/**
 * Opens fabric-gateway connections from a user's MSP folder (Fabric layout: {@code signcerts/*.pem},
 * {@code keystore/*}) to a node endpoint, with timeouts suited to a ledger that answers commit status after fsync.
 */
public final class Connections {
    private Connections() {}

    /** Plaintext gRPC channel to {@code host:port}. The caller shuts it down. */
    public static ManagedChannel channel(String endpoint) {
        return channel(endpoint, null);
    }

    /**
     * TLS settings of a connection: the CA that issued the server's TLS certificate, this client's TLS certificate and
     * key for mutual TLS (both null for server authentication only), and the name the server's certificate must carry
     * when it differs from the endpoint's host (as Fabric's {@code ssl-target-name-override}), or null.
     */
    public record Tls(Path caCertificate, Path clientCertificate, Path clientKey, String serverName) {
        public Tls {
            Objects.requireNonNull(caCertificate, "caCertificate");
            if ((clientCertificate == null) != (clientKey == null)) {
                throw new IllegalArgumentException(
                        "a TLS client certificate needs its key, and the key its certificate");
            }
        }
    }

    /**
     * A gRPC channel to {@code host:port}: TLS (mutual when {@code tls} has a client certificate) or plaintext when
     * {@code tls} is null. The caller shuts it down.
     *
     * @throws IllegalArgumentException if a TLS file cannot be read
     */
    public static ManagedChannel channel(String endpoint, Tls tls) {
        Objects.requireNonNull(endpoint, "endpoint");
        NettyChannelBuilder builder = NettyChannelBuilder.forTarget(endpoint).maxInboundMessageSize(128 << 20);
        if (tls == null) {
            return builder.usePlaintext().build();
        }
        try {
            var context = GrpcSslContexts.forClient()
                    .trustManager(Pem.readCertificates(tls.caCertificate()).toArray(X509Certificate[]::new));
            if (tls.clientCertificate() != null) {
                context.keyManager(
                        Pem.readPrivateKey(tls.clientKey()).toJca(),
                        Pem.readCertificates(tls.clientCertificate()).toArray(X509Certificate[]::new));
            }
            builder.sslContext(context.build());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot set up TLS from " + tls + ": " + e.getMessage(), e);
        }
        if (tls.serverName() != null) {
            builder.overrideAuthority(tls.serverName());
        }
        return builder.build();
    }

    /**
     * A gateway for the user whose MSP folder is {@code mspDirectory}, over {@code channel}.
     *
     * @throws IOException if the certificate or key cannot be read or parsed
     */
    public static Gateway.Builder gateway(String mspId, Path mspDirectory, ManagedChannel channel) throws IOException {
        Objects.requireNonNull(mspId, "mspId");
        Path certificateFile = firstFile(mspDirectory.resolve("signcerts"));
        Path keyFile = firstFile(mspDirectory.resolve("keystore"));
        X509Certificate certificate;
        P256PrivateKey key;
        try {
            certificate = Pem.readCertificate(certificateFile);
            key = Pem.readPrivateKey(keyFile);
        } catch (PemException e) {
            throw new IOException("cannot read identity in " + mspDirectory + ": " + e.getMessage(), e);
        }
        return Gateway.newInstance()
                .identity(new X509Identity(mspId, certificate))
                // BouncyCastle's optimised P-256 directly: the same DER low-S signatures as the gateway's default
                // signer, about three times faster, with deterministic nonces (RFC 6979)
                .signer(key::signDigest)
                .hash(Hash.SHA256)
                .connection(channel)
                .evaluateOptions(options -> options.withDeadlineAfter(30, TimeUnit.SECONDS))
                .endorseOptions(options -> options.withDeadlineAfter(60, TimeUnit.SECONDS))
                .submitOptions(options -> options.withDeadlineAfter(60, TimeUnit.SECONDS))
                .commitStatusOptions(options -> options.withDeadlineAfter(120, TimeUnit.SECONDS));
    }

    private static Path firstFile(Path directory) throws IOException {
        try (var files = Files.list(directory)) {
            return files.filter(Files::isRegularFile)
                    .sorted()
                    .findFirst()
                    .orElseThrow(() -> new IOException("no file in " + directory));
        }
    }
}
