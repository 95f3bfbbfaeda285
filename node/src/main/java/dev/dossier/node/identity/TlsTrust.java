package dev.dossier.node.identity;

import static java.util.Objects.requireNonNull;

import dev.dossier.common.hash.Sha256;
import java.io.IOException;
import java.math.BigInteger;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
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
 * The TLS certificates a node accepts, from the consortium in force: replaced whole ({@link #update}) when a change
 * commits, so every handshake after that is checked against the new consortium, while the TLS contexts that use the
 * trust managers ({@link #members}, {@link #nodes}) are built once. A handshake reads one state from start to end.
 *
 * <p>A certificate is accepted by {@link #members} if its chain validates (PKIX, with the JDK's checks of validity
 * period, key usage and, as a client, of the server's host name) against a TLS CA of the consortium in force, and no
 * certificate of that chain below the CA has a serial number the consortium revoked for the CA's organisation.
 * {@link #nodes} accepts only those whose end certificate is, byte for byte, one of the TLS certificates of the
 * consortium's nodes: the TLS CAs also issue every user's TLS client certificate, and the pin keeps users, and
 * certificates an organisation's CA issues later, off the ordering service (Raft).
 *
 * <p>Thread-safe.
 */
public final class TlsTrust {
    private static final Logger LOG = Logger.getLogger(TlsTrust.class.getName());

    /**
     * The TLS CAs of one organisation and the serial numbers of its certificates the consortium revoked.
     *
     * @param name what names the organisation in messages: its MSP id
     * @param roots its TLS CA certificates, at least one
     * @param revokedSerials serial numbers of certificates its TLS CAs issued that are refused
     */
    public record Authority(String name, List<X509Certificate> roots, Set<BigInteger> revokedSerials) {
        public Authority {
            requireNonNull(name, "name");
            roots = List.copyOf(roots);
            revokedSerials = Set.copyOf(revokedSerials);
            if (roots.isEmpty()) {
                throw new IllegalArgumentException(name + " has no TLS CA certificate");
            }
        }

        /** @return true if the chain, which the PKIX check validated, ends at one of these CAs */
        private boolean issued(X509Certificate[] chain) {
            X509Certificate top = chain[chain.length - 1];
            for (X509Certificate root : roots) {
                if (root.equals(top) || root.getSubjectX500Principal().equals(top.getIssuerX500Principal())) {
                    return true;
                }
            }
            return false;
        }
    }

    /** What one consortium makes a node trust; immutable. */
    private record State(
            X509ExtendedTrustManager chains,
            X509Certificate[] issuers,
            List<Authority> authorities,
            Set<String> nodes) {}

    /** One check of the JDK's PKIX trust manager, client or server side. */
    @FunctionalInterface
    private interface ChainCheck {
        void run(X509ExtendedTrustManager chains) throws CertificateException;
    }

    private volatile State state;
    private final Checking members = new Checking(false);
    private final Checking nodes = new Checking(true);

    private TlsTrust(State state) {
        this.state = state;
    }

    /**
     * @param authorities the organisations' TLS CAs and revoked serials, at least one
     * @param nodeCertificates the TLS certificates of the consortium's nodes (none: {@link #nodes} accepts nobody)
     * @throws IllegalArgumentException if there is no authority
     * @throws GeneralSecurityException if the JDK's PKIX trust manager cannot be set up, or a certificate not encoded
     */
    public static TlsTrust of(List<Authority> authorities, List<X509Certificate> nodeCertificates)
            throws GeneralSecurityException {
        return new TlsTrust(state(authorities, nodeCertificates));
    }

    /**
     * Replaces what is trusted: handshakes that start after this call are checked against the new CAs, revocations and
     * nodes; connections already open are not touched.
     *
     * @throws IllegalArgumentException if there is no authority
     * @throws GeneralSecurityException if the JDK's PKIX trust manager cannot be set up; the trust is then unchanged
     */
    public void update(List<Authority> authorities, List<X509Certificate> nodeCertificates)
            throws GeneralSecurityException {
        state = state(authorities, nodeCertificates);
    }

    /** @return the trust manager that accepts any certificate a TLS CA in force issued and the consortium did not revoke */
    public X509ExtendedTrustManager members() {
        return members;
    }

    /** @return the trust manager that accepts, of those, the consortium's nodes' TLS certificates only */
    public X509ExtendedTrustManager nodes() {
        return nodes;
    }

    /** @return the TLS CA certificates in force */
    public List<X509Certificate> roots() {
        return List.of(state.issuers());
    }

    private static State state(List<Authority> authorities, List<X509Certificate> nodeCertificates)
            throws GeneralSecurityException {
        requireNonNull(authorities, "authorities");
        requireNonNull(nodeCertificates, "nodeCertificates");
        if (authorities.isEmpty()) {
            throw new IllegalArgumentException("TLS needs at least one trusted CA certificate");
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new AssertionError("an empty key store loads", e);
        }
        List<X509Certificate> roots = new ArrayList<>();
        for (Authority authority : authorities) {
            for (X509Certificate root : authority.roots()) {
                store.setCertificateEntry("tls-ca-" + roots.size(), root);
                roots.add(root);
            }
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
        return new State(chains, roots.toArray(X509Certificate[]::new), List.copyOf(authorities), Set.copyOf(pinned));
    }

    private static void refuseRevoked(State state, X509Certificate[] chain) throws CertificateException {
        for (Authority authority : state.authorities()) {
            if (authority.revokedSerials().isEmpty() || !authority.issued(chain)) {
                continue;
            }
            for (X509Certificate certificate : chain) {
                if (authority.revokedSerials().contains(certificate.getSerialNumber())
                        && !authority.roots().contains(certificate)) {
                    String subject = certificate.getSubjectX500Principal().getName();
                    LOG.warning(() -> "TLS connection refused: the consortium revoked " + subject + " (serial "
                            + certificate.getSerialNumber().toString(16) + ", " + authority.name() + ")");
                    throw new CertificateException("the TLS certificate " + subject + " (serial "
                            + certificate.getSerialNumber().toString(16) + ") is revoked by the consortium");
                }
            }
        }
    }

    private static void requireNode(State state, X509Certificate[] chain) throws CertificateException {
        if (!state.nodes().contains(fingerprint(chain[0]))) {
            String subject = chain[0].getSubjectX500Principal().getName();
            LOG.warning(() -> "Raft connection refused: " + subject + " is not a node of the consortium");
            throw new CertificateException("the TLS certificate of " + subject
                    + " is not the TLS certificate of a node of the consortium: Raft accepts the consortium's nodes"
                    + " only");
        }
    }

    private static String fingerprint(X509Certificate certificate) throws CertificateEncodingException {
        return HexFormat.of().formatHex(Sha256.of(certificate.getEncoded()));
    }

    /** The trust managers handed to TLS contexts: each check reads the state in force when it starts. */
    private final class Checking extends X509ExtendedTrustManager {
        private final boolean nodesOnly;

        Checking(boolean nodesOnly) {
            this.nodesOnly = nodesOnly;
        }

        private void check(X509Certificate[] chain, ChainCheck pkix) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("no TLS certificate: the consortium's TLS CAs' certificates only");
            }
            State now = state;
            pkix.run(now.chains());
            refuseRevoked(now, chain);
            if (nodesOnly) {
                requireNode(now, chain);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain, chains -> chains.checkClientTrusted(chain, authType));
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            check(chain, chains -> chains.checkClientTrusted(chain, authType, socket));
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            check(chain, chains -> chains.checkClientTrusted(chain, authType, engine));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain, chains -> chains.checkServerTrusted(chain, authType));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            check(chain, chains -> chains.checkServerTrusted(chain, authType, socket));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            check(chain, chains -> chains.checkServerTrusted(chain, authType, engine));
        }

        /** @return the TLS CAs in force: a client offers a certificate one of them issued */
        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return state.issuers().clone();
        }
    }
}
