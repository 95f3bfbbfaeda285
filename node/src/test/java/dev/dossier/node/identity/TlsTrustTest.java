package dev.dossier.node.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dossier.crypto.Pem;
import dev.dossier.node.config.Consortium;
import dev.dossier.node.config.CryptoGen;
import dev.dossier.node.consortium.ConsortiumDocument;
import dev.dossier.node.consortium.ConsortiumFiles;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsTrustTest {
    private static final String AUTH = "ECDHE_ECDSA";

    private Consortium consortium;
    private Consortium stranger;
    private ConsortiumDocument document;
    private ConsortiumDocument strangers;
    private TlsTrust trust;

    @BeforeAll
    void generate(@TempDir Path directory) throws Exception {
        consortium = CryptoGen.generate(directory.resolve("network"), 2, "dossier", "notary", 7051);
        stranger = CryptoGen.generate(directory.resolve("stranger"), 1, "dossier", "notary", 7061);
        document = ConsortiumFiles.genesis(consortium, directory.resolve("network"));
        strangers = ConsortiumFiles.genesis(stranger, directory.resolve("stranger"));
    }

    @BeforeEach
    void trustTheConsortium() throws Exception {
        trust = TlsTrust.of(document.tlsAuthorities(), document.nodeTlsCertificates());
    }

    private static X509Certificate[] chain(Path pem) throws Exception {
        return new X509Certificate[] {Pem.readCertificate(pem)};
    }

    private static X509Certificate[] node(Consortium of, int index) throws Exception {
        return chain(of.tlsCertificate(of.nodes().get(index).name()));
    }

    private static X509Certificate[] userTls(Consortium of, int organisation, String role) throws Exception {
        Path msp = of.organisations()
                .get(organisation)
                .user(role)
                .certificate()
                .getParent()
                .getParent();
        return chain(msp.resolveSibling("tls").resolve("client.crt"));
    }

    private static void accepted(X509ExtendedTrustManager manager, X509Certificate[] chain) {
        assertThatCode(() -> manager.checkClientTrusted(chain, AUTH)).doesNotThrowAnyException();
        assertThatCode(() -> manager.checkServerTrusted(chain, AUTH)).doesNotThrowAnyException();
    }

    private static void refused(X509ExtendedTrustManager manager, X509Certificate[] chain, String why) {
        assertThatThrownBy(() -> manager.checkClientTrusted(chain, AUTH))
                .isInstanceOf(CertificateException.class)
                .hasMessageContaining(why);
        assertThatThrownBy(() -> manager.checkServerTrusted(chain, AUTH))
                .isInstanceOf(CertificateException.class)
                .hasMessageContaining(why);
    }

    @Test
    void nodeTlsCertificates_areTrustedAsClientAndServer_byBothManagers() throws Exception {
        for (int i = 0; i < consortium.nodes().size(); i++) {
            accepted(trust.nodes(), node(consortium, i));
            accepted(trust.members(), node(consortium, i));
        }
    }

    @Test
    void userTlsCertificateOfAConsortiumCa_isAMember_butNoNode() throws Exception {
        X509Certificate[] worker = userTls(consortium, 0, "worker");

        accepted(trust.members(), worker);
        refused(trust.nodes(), worker, "not the TLS certificate of a node of the consortium");
    }

    @Test
    void certificatesOfAnotherConsortium_areRefused() throws Exception {
        refused(trust.nodes(), node(stranger, 0), "");
        refused(trust.members(), userTls(stranger, 0, "issuer"), "");
    }

    @Test
    void noCertificate_isRefused() {
        assertThatThrownBy(() -> trust.members().checkClientTrusted(new X509Certificate[0], AUTH))
                .isInstanceOf(CertificateException.class);
        assertThatThrownBy(() -> trust.nodes().checkServerTrusted(null, AUTH)).isInstanceOf(CertificateException.class);
    }

    @Test
    void anOrganisationAdmitted_isTrustedByTheManagersAlreadyHandedOut() throws Exception {
        X509ExtendedTrustManager members = trust.members();
        X509ExtendedTrustManager nodes = trust.nodes();
        List<TlsTrust.Authority> authorities = new ArrayList<>(document.tlsAuthorities());
        authorities.addAll(strangers.tlsAuthorities());
        List<X509Certificate> nodeCertificates = new ArrayList<>(document.nodeTlsCertificates());
        nodeCertificates.addAll(strangers.nodeTlsCertificates());

        trust.update(authorities, nodeCertificates);

        accepted(nodes, node(stranger, 0));
        accepted(members, userTls(stranger, 0, "issuer"));
        assertThat(members.getAcceptedIssuers())
                .hasSize(3)
                .contains(strangers.tlsAuthorities().get(0).roots().get(0));
        assertThat(trust.roots()).hasSize(3);
    }

    @Test
    void anOrganisationRemoved_isRefused_theOthersStay() throws Exception {
        trust.update(
                List.of(document.tlsAuthorities().get(0)),
                List.of(document.nodeTlsCertificates().get(0)));

        refused(trust.nodes(), node(consortium, 1), "");
        refused(trust.members(), userTls(consortium, 1, "issuer"), "");
        accepted(trust.nodes(), node(consortium, 0));
        accepted(trust.members(), userTls(consortium, 0, "issuer"));
    }

    @Test
    void aNodeRemoved_isNoLongerANode_butItsOrganisationsUsersStay() throws Exception {
        trust.update(
                document.tlsAuthorities(),
                List.of(document.nodeTlsCertificates().get(0)));

        refused(trust.nodes(), node(consortium, 1), "not the TLS certificate of a node");
        accepted(trust.members(), node(consortium, 1));
    }

    @Test
    void aRevokedSerial_isRefused_theOtherCertificatesStay() throws Exception {
        X509Certificate[] issuer = userTls(consortium, 1, "issuer");
        X509Certificate[] node = node(consortium, 1);
        List<TlsTrust.Authority> authorities = new ArrayList<>(document.tlsAuthorities());
        TlsTrust.Authority org2 = authorities.get(1);
        authorities.set(
                1,
                new TlsTrust.Authority(
                        org2.name(), org2.roots(), Set.of(issuer[0].getSerialNumber(), node[0].getSerialNumber())));

        trust.update(authorities, document.nodeTlsCertificates());

        refused(trust.members(), issuer, "is revoked by the consortium");
        refused(trust.nodes(), node, "is revoked by the consortium");
        accepted(trust.members(), userTls(consortium, 0, "issuer"));
        accepted(trust.members(), userTls(consortium, 1, "worker"));
    }

    @Test
    void of_withoutAuthorities_throws() {
        assertThatThrownBy(() -> TlsTrust.of(List.of(), List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
