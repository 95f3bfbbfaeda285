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
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;

/**
 * A node's TLS: its TLS certificate and key (Fabric's {@code tls/server.crt} and {@code server.key}), and the TLS CA
 * certificates of every organisation of the consortium. As a gRPC server the node serves TLS as a Fabric peer does:
 * a client certificate is not required (Fabric's {@code peer.tls.clientAuthRequired: false}), but one that is
 * presented must chain to one of those CAs; with {@code clientAuthRequired} a client without one is refused at the
 * handshake. As a client of another node (endorsements, block pulls) it always presents its own certificate and
 * checks the other node's against the same CAs, so node-to-node connections are mutual TLS either way. Who a client
 * is never comes from its TLS certificate: every request carries its signed creator.
 *
 * <p>The CAs are those of the files ({@code trustedRoots}) until a running node hands its TLS a {@link TlsTrust} fed
 * from the consortium in force ({@link #withTrust}): every context built after that checks each handshake against
 * the consortium of that moment.
 *
 * @param certificate the node's TLS certificate (PEM)
 * @param privateKey its private key (PEM: PKCS#8 {@code PRIVATE KEY} or SEC1 {@code EC PRIVATE KEY}, as for signing)
 * @param trustedRoots the consortium's TLS CA certificates (PEM files), at least one
 * @param clientAuthRequired whether gRPC clients must present a TLS certificate of one of those CAs
 * @param trust the trust in force, which replaces {@code trustedRoots} when not null
 */
public record TlsSettings(
        Path certificate, Path privateKey, List<Path> trustedRoots, boolean clientAuthRequired, TlsTrust trust) {
    private static final int MAX_MESSAGE_BYTES = 128 << 20;

    /** The same TLS with client certificates not required of gRPC clients, a Fabric peer's default. */
    public TlsSettings(Path certificate, Path privateKey, List<Path> trustedRoots) {
        this(certificate, privateKey, trustedRoots, false);
    }

    /** TLS that trusts the CAs of the files. */
    public TlsSettings(Path certificate, Path privateKey, List<Path> trustedRoots, boolean clientAuthRequired) {
        this(certificate, privateKey, trustedRoots, clientAuthRequired, null);
    }

    public TlsSettings {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
        trustedRoots = List.copyOf(trustedRoots);
        if (trustedRoots.isEmpty()) {
            throw new IllegalArgumentException("TLS needs at least one trusted CA certificate");
        }
    }

    /** @return the same TLS, with client certificates required of gRPC clients or not */
    public TlsSettings withClientAuthRequired(boolean required) {
        return new TlsSettings(certificate, privateKey, trustedRoots, required, trust);
    }

    /** @return the same TLS, checking certificates against {@code newTrust} from now on instead of the files */
    public TlsSettings withTrust(TlsTrust newTrust) {
        return new TlsSettings(certificate, privateKey, trustedRoots, clientAuthRequired, newTrust);
    }

    /**
     * @param nodeCertificates the TLS certificates of the network's nodes, which {@link TlsTrust#nodes} accepts
     * @return a trust of the files' CAs, with no revoked serial
     * @throws IOException if a file cannot be read or is malformed, or the JDK's PKIX trust manager cannot be set up
     */
    public TlsTrust fileTrust(List<X509Certificate> nodeCertificates) throws IOException {
        try {
            return TlsTrust.of(
                    List.of(new TlsTrust.Authority("the TLS CA files", List.of(roots()), Set.of())), nodeCertificates);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS trust: " + e.getMessage(), e);
        }
    }

    /** @return the trust manager of gRPC: {@link #trust}'s if set, else one of the files' CAs */
    private TrustManager members() throws IOException {
        return (trust != null ? trust : fileTrust(List.of())).members();
    }

    /**
     * @return a key manager that presents this node's certificate in every handshake, whatever CAs the other end lists
     * @throws IOException if a file cannot be read or is malformed
     */
    public KeyManager keyManager() throws IOException {
        return new NodeKeyManager(privateKeyValue(), chain());
    }

    /**
     * @return the server side: this node's certificate; a client certificate checked against the roots when given,
     *     and required when {@link #clientAuthRequired()}
     * @throws IOException if a file cannot be read or is malformed
     */
    public SslContext serverContext() throws IOException {
        try {
            return GrpcSslContexts.configure(SslContextBuilder.forServer(privateKeyValue(), chain()))
                    .trustManager(members())
                    .clientAuth(clientAuthRequired ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL)
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
                            .keyManager(tls.keyManager())
                            .trustManager(tls.members())
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

    /** @return the consortium's TLS CA certificates: those in force when a trust is set, else the files' */
    public List<X509Certificate> rootCertificates() throws IOException {
        return trust != null ? trust.roots() : List.of(roots());
    }

    private X509Certificate[] roots() throws IOException {
        List<X509Certificate> out = new ArrayList<>();
        for (Path root : trustedRoots) {
            out.addAll(Pem.readCertificates(root));
        }
        return out.toArray(X509Certificate[]::new);
    }
}
