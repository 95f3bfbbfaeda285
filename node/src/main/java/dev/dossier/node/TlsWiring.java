package dev.dossier.node;

import dev.dossier.crypto.Pem;
import dev.dossier.node.consortium.ConsortiumDocument;
import dev.dossier.node.consortium.ConsortiumInForce;
import dev.dossier.node.identity.TlsSettings;
import dev.dossier.node.identity.TlsTrust;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * The TLS trust of a running node ({@link TlsTrust}): at start the CAs and nodes of its files, so that a joining node
 * can fetch the genesis block; from the moment the ledger's consortium document is known, the TLS CAs, revoked serials
 * and nodes of the consortium in force, replaced after each block that changes it. The gRPC server, the node's gRPC
 * clients (endorsements, block pulls) and Raft (server, client and admin) check every new handshake against it. A
 * ledger whose genesis holds no consortium document keeps the files'.
 */
final class TlsWiring {
    private TlsWiring() {}

    /**
     * @return the settings with TLS checked against a trust that {@link #follow} can change, first that of the files
     * @throws IOException if a TLS file cannot be read
     */
    static NodeSettings withLiveTrust(NodeSettings settings) throws IOException {
        TlsSettings tls = settings.tls();
        if (tls == null) {
            return settings;
        }
        List<X509Certificate> nodes = new ArrayList<>();
        if (settings.cluster() != null) {
            for (NodeSettings.ClusterNode node : settings.cluster().nodes()) {
                nodes.add(Pem.readCertificate(node.tlsCertificate()));
            }
        }
        return settings.toBuilder().tls(tls.withTrust(tls.fileTrust(nodes))).build();
    }

    /** Has the node's TLS trust follow the consortium in force: the document the ledger holds now, then each change. */
    static void follow(NodeSettings settings, ConsortiumInForce consortium) {
        TlsSettings tls = settings.tls();
        if (tls == null || tls.trust() == null) {
            return;
        }
        consortium.document().ifPresent(document -> apply(tls.trust(), document));
        consortium.onChange(document -> apply(tls.trust(), document));
    }

    private static void apply(TlsTrust trust, ConsortiumDocument document) {
        try {
            trust.update(document.tlsAuthorities(), document.nodeTlsCertificates());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "cannot apply the TLS CAs of consortium sequence " + document.sequence() + ": " + e.getMessage(),
                    e);
        }
    }
}
