package dev.dossier.node.ordering;

import static java.util.Objects.requireNonNull;

import dev.dossier.common.hash.Sha256;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts the consortium's nodes, and only them, on both ends of a Raft connection. A peer is accepted only if its
 * certificate chain validates (PKIX, with the JDK's checks of validity period, key usage and, as a client, of the
 * server's host name) against the consortium's TLS CAs, <b>and</b> its end certificate is, byte for byte, one of the
 * TLS certificates of the consortium's nodes ({@code peers/<node>/tls/server.crt}). The TLS CAs also issue every
 * user's TLS client certificate (workers' included): the pin is what keeps users, and certificates an organisation's
 * CA issues later, off the ordering service. Adding a node to the network means giving every node the new node's TLS
 * certificate (in the consortium folder) and restarting it, as for any change of {@code consortium.yaml}.
 *
 * <p>Immutable and thread-safe.
 */
final class NodeTrustManager extends X509ExtendedTrustManager {
    private static final Logger LOG = Logger.getLogger(NodeTrustManager.class.getName());
    private final X509ExtendedTrustManager chains;
    private final X509Certificate[] issuers;
    private final Set<String> nodes;

    private NodeTrustManager(X509ExtendedTrustManager chains, List<X509Certificate> roots, Set<String> nodes) {
        this.chains = chains;
        this.issuers = roots.toArray(X509Certificate[]::new);
        this.nodes = Set.copyOf(nodes);
    }

    /**
     * @param roots the consortium's TLS CA certificates, at least one
     * @param nodeCertificates the TLS certificates of the consortium's nodes, at least one
     * @throws IllegalArgumentException if a list is empty
     * @throws GeneralSecurityException if the JDK's PKIX trust manager cannot be set up, or a certificate not encoded
     */
    static NodeTrustManager of(List<X509Certificate> roots, List<X509Certificate> nodeCertificates)
            throws GeneralSecurityException {
        requireNonNull(roots, "roots");
        requireNonNull(nodeCertificates, "nodeCertificates");
        if (roots.isEmpty() || nodeCertificates.isEmpty()) {
            throw new IllegalArgumentException("Raft TLS needs the consortium's TLS CAs and its nodes' certificates");
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new AssertionError("an empty key store loads", e);
        }
        for (int i = 0; i < roots.size(); i++) {
            store.setCertificateEntry("tls-ca-" + i, roots.get(i));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(store);
        X509ExtendedTrustManager chains = null;
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager extended) {
                chains = extended;
            }
        }
        if (chains == null) {
            throw new GeneralSecurityException("the JDK offers no PKIX X509ExtendedTrustManager");
        }
        Set<String> pinned = new HashSet<>();
        for (X509Certificate certificate : nodeCertificates) {
            pinned.add(fingerprint(certificate));
        }
        return new NodeTrustManager(chains, List.copyOf(roots), pinned);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        chains.checkClientTrusted(chain, authType);
        requireNode(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        chains.checkClientTrusted(chain, authType, socket);
        requireNode(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        chains.checkClientTrusted(chain, authType, engine);
        requireNode(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        chains.checkServerTrusted(chain, authType);
        requireNode(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        chains.checkServerTrusted(chain, authType, socket);
        requireNode(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        chains.checkServerTrusted(chain, authType, engine);
        requireNode(chain);
    }

    /** @return the consortium's TLS CAs: a client offers a certificate one of them issued */
    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return issuers.clone();
    }

    private void requireNode(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("no certificate: Raft accepts the consortium's nodes only");
        }
        if (!nodes.contains(fingerprint(chain[0]))) {
            LOG.warning(() -> "Raft connection refused: "
                    + chain[0].getSubjectX500Principal().getName() + " is not a node of the consortium");
            throw new CertificateException("the TLS certificate of "
                    + chain[0].getSubjectX500Principal().getName()
                    + " is not the TLS certificate of a node of the consortium: Raft accepts the consortium's nodes"
                    + " only");
        }
    }

    private static String fingerprint(X509Certificate certificate) throws CertificateEncodingException {
        return HexFormat.of().formatHex(Sha256.of(certificate.getEncoded()));
    }
}
