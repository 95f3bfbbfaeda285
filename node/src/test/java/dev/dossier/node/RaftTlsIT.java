package dev.dossier.node;

import static dev.dossier.node.TestNetwork.newCommitment;
import static dev.dossier.node.TestNetwork.notary;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.hyperledger.fabric.client.Gateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes that all run with mutual TLS ({@code node start --tls}): Raft (Ratis over TLS), cross-organisation
 * endorsements and client gateways all work, and every node commits the same blocks.
 */
class RaftTlsIT {
    /** @return the subject of the certificate the server on {@code port} presents in a TLS handshake */
    private static String raftPortCertificate(int port) throws Exception {
        javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
        context.init(
                null,
                new javax.net.ssl.TrustManager[] {
                    new javax.net.ssl.X509TrustManager() {
                        @Override
                        public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String type) {}

                        @Override
                        public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String type) {}

                        @Override
                        public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                            return new java.security.cert.X509Certificate[0];
                        }
                    }
                },
                null);
        try (var socket = (javax.net.ssl.SSLSocket) context.getSocketFactory().createSocket("localhost", port)) {
            socket.setSSLParameters(new javax.net.ssl.SSLParameters(null, new String[] {"TLSv1.3"}));
            var parameters = socket.getSSLParameters();
            parameters.setApplicationProtocols(new String[] {"h2"});
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return ((java.security.cert.X509Certificate) socket.getSession().getPeerCertificates()[0])
                    .getSubjectX500Principal()
                    .getName();
        }
    }

    @Test
    void tlsNetwork_electsALeader_endorsesAcrossOrganisations_andCommitsTheSameBlocks(@TempDir Path directory)
            throws Exception {
        try (TestCluster cluster = new TestCluster(directory, 3, true)) {
            int follower = (cluster.awaitLeader() + 1) % 3;
            String commitment = newCommitment();
            try (Gateway gateway = cluster.gateway(follower, "issuer", follower)) {
                notary(gateway).submitTransaction("anchor", commitment, "record");
            }
            long height = cluster.awaitSameHeight(2, Duration.ofSeconds(30));
            for (int i = 0; i < 3; i++) {
                // header and data agree; the metadata holds each node's own block signature
                var block = cluster.ledger(i).block(height - 1).orElseThrow();
                var first = cluster.ledger(0).block(height - 1).orElseThrow();
                assertThat(block.getHeader()).isEqualTo(first.getHeader());
                assertThat(block.getData()).isEqualTo(first.getData());
                assertThat(cluster.ledger(i).get("notary", commitment)).isPresent();
                assertThat(raftPortCertificate(
                                cluster.settings.get(i).cluster().me().raftPort()))
                        .as("the Raft port of node %d speaks TLS with the node's TLS certificate", i)
                        .contains("CN=node0.org" + (i + 1) + ".dossier.local");
            }
        }
    }
}
