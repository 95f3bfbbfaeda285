package dev.dossier.node.follower;

import static java.util.Objects.requireNonNull;

import dev.dossier.crypto.Pem;
import io.grpc.ManagedChannel;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLException;

/**
 * How a follower reaches its Fabric peer: the peer's address and, for TLS (what Fabric peers serve), the peer's TLS CA
 * certificates, the name its certificate holds when it differs from the address's host, and a client certificate and
 * key for a peer that requires one. Without {@code tlsRoots} the connection is plaintext.
 *
 * @param address the peer's {@code host:port}
 * @param tlsRoots PEM files of the CA certificates the peer's TLS certificate must chain to; empty: plaintext
 * @param serverName the name to check the peer's certificate against, or null for the address's host
 * @param clientCertificate PEM client certificate for a peer that requires one, or null
 * @param clientKey its PEM private key, or null
 */
public record PeerConnection(
        String address, List<Path> tlsRoots, String serverName, Path clientCertificate, Path clientKey) {
    /** Blocks of several megabytes are normal on Fabric (its default batch is 10 MB before overhead). */
    private static final int MAX_MESSAGE_BYTES = 128 << 20;

    public PeerConnection {
        requireNonNull(address, "address");
        tlsRoots = List.copyOf(tlsRoots);
        if ((clientCertificate == null) != (clientKey == null)) {
            throw new IllegalArgumentException("a TLS client certificate needs its key, and the key its certificate");
        }
        if (clientCertificate != null && tlsRoots.isEmpty()) {
            throw new IllegalArgumentException("a TLS client certificate needs the peer's TLS CA (TLS)");
        }
    }

    /** @return whether the connection uses TLS */
    public boolean tls() {
        return !tlsRoots.isEmpty();
    }

    /**
     * @return a channel to the peer whose calls run on {@code executor}
     * @throws IOException if a TLS file cannot be read or is malformed
     */
    ManagedChannel open(Executor executor) throws IOException {
        NettyChannelBuilder builder = NettyChannelBuilder.forTarget(address)
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .executor(executor);
        if (!tls()) {
            return builder.usePlaintext().build();
        }
        List<X509Certificate> roots = new ArrayList<>();
        for (Path root : tlsRoots) {
            roots.addAll(Pem.readCertificates(root));
        }
        SslContextBuilder ssl = GrpcSslContexts.forClient().trustManager(roots.toArray(X509Certificate[]::new));
        if (clientCertificate != null) {
            ssl.keyManager(
                    Pem.readPrivateKey(clientKey).toJca(),
                    Pem.readCertificates(clientCertificate).toArray(X509Certificate[]::new));
        }
        try {
            builder.sslContext(ssl.build());
        } catch (SSLException e) {
            throw new IOException("cannot set up TLS to the peer " + address + ": " + e.getMessage(), e);
        }
        if (serverName != null) {
            builder.overrideAuthority(serverName);
        }
        return builder.build();
    }

    @Override
    public String toString() {
        return address + (tls() ? " over TLS" : " in plaintext");
    }
}
