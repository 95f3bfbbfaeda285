package dev.dossier.node.identity;

import dev.dossier.crypto.Pem;
import io.grpc.ManagedChannel;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * A node's mutual TLS: its TLS certificate and key (Fabric's {@code tls/server.crt} and {@code server.key}), and the
 * TLS CA certificates of every organisation of the consortium. As a server the node requires a client certificate
 * issued by one of those CAs; as a client of another node (endorsements, block pulls) it presents its own certificate
 * and checks the other node's against the same CAs.
 *
 * @param certificate the node's TLS certificate (PEM)
 * @param privateKey its private key (PEM: PKCS#8 {@code PRIVATE KEY} or SEC1 {@code EC PRIVATE KEY}, as for signing)
 * @param trustedRoots the consortium's TLS CA certificates (PEM files), at least one
 */
public record TlsSettings(Path certificate, Path privateKey, List<Path> trustedRoots) {
    private static final int MAX_MESSAGE_BYTES = 128 << 20;

    public TlsSettings {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
        trustedRoots = List.copyOf(trustedRoots);
        if (trustedRoots.isEmpty()) {
            throw new IllegalArgumentException("TLS needs at least one trusted CA certificate");
        }
    }

    /**
     * @return the server side: this node's certificate, client certificates required and checked against the roots
     * @throws IOException if a file cannot be read or is malformed
     */
    public SslContext serverContext() throws IOException {
        try {
            return GrpcSslContexts.configure(SslContextBuilder.forServer(privateKeyValue(), chain()))
                    .trustManager(roots())
                    .clientAuth(ClientAuth.REQUIRE)
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IOException("cannot set up TLS with " + certificate + ": " + e.getMessage(), e);
        }
    }

    /**
     * A channel to another node: TLS with this node's certificate when {@code tls} is not null, plaintext otherwise.
     *
     * @throws IllegalStateException if the TLS files cannot be read (they were read once at start, so they changed)
     */
    public static ManagedChannel channel(String address, TlsSettings tls) {
        NettyChannelBuilder builder = NettyChannelBuilder.forTarget(address).maxInboundMessageSize(MAX_MESSAGE_BYTES);
        if (tls == null) {
            return builder.usePlaintext().build();
        }
        try {
            return builder.sslContext(GrpcSslContexts.forClient()
                            .keyManager(tls.privateKeyValue(), tls.chain())
                            .trustManager(tls.roots())
                            .build())
                    .build();
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot set up TLS to " + address + ": " + e.getMessage(), e);
        }
    }

    /**
     * @return the node's TLS certificate
     * @throws IOException if the file cannot be read or holds no X.509 certificate
     */
    public X509Certificate certificateValue() throws IOException {
        return Pem.readCertificate(certificate);
    }

    /** @return the certificates of the certificate file: the node's, then any intermediate CAs' */
    private X509Certificate[] chain() throws IOException {
        return Pem.readCertificates(certificate).toArray(X509Certificate[]::new);
    }

    /**
     * @return the node's TLS private key
     * @throws IOException if the file cannot be read or holds no P-256 private key in either PEM form
     */
    public PrivateKey privateKeyValue() throws IOException {
        return Pem.readPrivateKey(privateKey).toJca();
    }

    /** @return the consortium's TLS CA certificates */
    public List<X509Certificate> rootCertificates() throws IOException {
        return List.of(roots());
    }

    private X509Certificate[] roots() throws IOException {
        List<X509Certificate> out = new ArrayList<>();
        for (Path root : trustedRoots) {
            out.addAll(Pem.readCertificates(root));
        }
        return out.toArray(X509Certificate[]::new);
    }
}
