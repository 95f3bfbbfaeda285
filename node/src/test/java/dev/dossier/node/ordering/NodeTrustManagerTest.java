package dev.dossier.node.ordering;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dossier.crypto.Pem;
import dev.dossier.node.config.Consortium;
import dev.dossier.node.config.CryptoGen;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeTrustManagerTest {
    private static final String AUTH = "ECDHE_ECDSA";

    private Consortium consortium;
    private Consortium stranger;
    private NodeTrustManager trust;

    @BeforeAll
    void generate(@TempDir Path directory) throws Exception {
        consortium = CryptoGen.generate(directory.resolve("network"), 2, "dossier", "notary", 7051);
        stranger = CryptoGen.generate(directory.resolve("stranger"), 1, "dossier", "notary", 7051);
        List<X509Certificate> nodes = new ArrayList<>();
        for (Consortium.Node node : consortium.nodes()) {
            nodes.add(Pem.readCertificate(consortium.tlsCertificate(node.name())));
        }
        trust = NodeTrustManager.of(
                consortium.tls(consortium.nodes().get(0).name()).rootCertificates(), nodes);
    }

    private static X509Certificate[] chain(Path pem) throws Exception {
        return new X509Certificate[] {Pem.readCertificate(pem)};
    }

    private Path userTlsCertificate(Consortium of, String role) {
        Path msp = of.organisations().get(0).users().stream()
                .filter(u -> u.role().equals(role))
                .findFirst()
                .orElseThrow()
                .certificate()
                .getParent()
                .getParent();
        return msp.resolveSibling("tls").resolve("client.crt");
    }

    @Test
    void nodeTlsCertificates_areTrustedAsClientAndServer() throws Exception {
        for (Consortium.Node node : consortium.nodes()) {
            X509Certificate[] chain = chain(consortium.tlsCertificate(node.name()));
            assertThatCode(() -> trust.checkClientTrusted(chain, AUTH)).doesNotThrowAnyException();
            assertThatCode(() -> trust.checkServerTrusted(chain, AUTH)).doesNotThrowAnyException();
        }
    }

    @Test
    void userTlsCertificateOfAConsortiumCa_isRefused() throws Exception {
        X509Certificate[] worker = chain(userTlsCertificate(consortium, "worker"));

        assertThatThrownBy(() -> trust.checkClientTrusted(worker, AUTH))
                .isInstanceOf(CertificateException.class)
                .hasMessageContaining("not the TLS certificate of a node of the consortium");
        assertThatThrownBy(() -> trust.checkServerTrusted(worker, AUTH)).isInstanceOf(CertificateException.class);
    }

    @Test
    void nodeOfAnotherConsortium_isRefused() throws Exception {
        X509Certificate[] other =
                chain(stranger.tlsCertificate(stranger.nodes().get(0).name()));

        assertThatThrownBy(() -> trust.checkClientTrusted(other, AUTH)).isInstanceOf(CertificateException.class);
    }

    @Test
    void noCertificate_isRefused() {
        assertThatThrownBy(() -> trust.checkClientTrusted(new X509Certificate[0], AUTH))
                .isInstanceOfAny(IllegalArgumentException.class, CertificateException.class);
    }

    @Test
    void of_withoutNodes_throws() {
        assertThatThrownBy(() -> NodeTrustManager.of(List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
