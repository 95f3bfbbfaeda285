package dev.dossier.node.identity;

import io.grpc.ManagedChannel;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
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
 * @param privateKey its private key (PKCS#8 PEM)
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
            return GrpcSslContexts.forServer(certificate.toFile(), privateKey.toFile())
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
                            .keyManager(
                                    tls.certificate().toFile(), tls.privateKey().toFile())
                            .trustManager(tls.roots())
                            .build())
                    .build();
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot set up TLS to " + address + ": " + e.getMessage(), e);
        }
    }

    /** @return the node's TLS certificate */
    public X509Certificate certificateValue() throws IOException {
        return readCertificate(certificate);
    }

    /**
     * @return the certificate in a PEM (or DER) file, such as another node's TLS certificate
     * @throws IOException if the file cannot be read or holds no X.509 certificate
     */
    public static X509Certificate readCertificate(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (CertificateException e) {
            throw new IOException(file + ": not a PEM X.509 certificate", e);
        }
    }

    /** @return the node's TLS private key */
    public java.security.PrivateKey privateKeyValue() throws IOException {
        String pem = Files.readString(privateKey, java.nio.charset.StandardCharsets.US_ASCII);
        try {
            byte[] der = Pem.decode("PRIVATE KEY", pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                    .orElseThrow(() -> new IOException(privateKey + ": not one PEM PRIVATE KEY block"));
            return java.security.KeyFactory.getInstance("EC")
                    .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(der));
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(privateKey + ": not a PKCS#8 EC private key", e);
        }
    }

    /** @return the consortium's TLS CA certificates */
    public List<X509Certificate> rootCertificates() throws IOException {
        return List.of(roots());
    }

    private X509Certificate[] roots() throws IOException {
        List<X509Certificate> out = new ArrayList<>();
        for (Path root : trustedRoots) {
            try (InputStream in = Files.newInputStream(root)) {
                for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    out.add((X509Certificate) certificate);
                }
            } catch (CertificateException e) {
                throw new IOException(root + ": not a PEM X.509 certificate", e);
            }
        }
        return out.toArray(X509Certificate[]::new);
    }
}
