package dev.dossier.node;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/** TLS handshakes with a node's gRPC or Raft port, as a client presenting a given certificate. */
final class TlsHandshakes {
    private TlsHandshakes() {}

    /**
     * A TLS handshake with {@code port}, presenting {@code certificate} (the JDK's key manager: offered only when its
     * issuer is one the server lists), then reads the server's first bytes (its HTTP/2 settings): in TLS 1.3 a server
     * refuses a client certificate only after the client's handshake is done.
     *
     * @throws java.io.IOException (an {@link SSLException} or a reset connection) if the server refuses it
     */
    static void handshake(int port, PrivateKey key, X509Certificate certificate, List<X509Certificate> roots)
            throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("me", key, new char[0], new X509Certificate[] {certificate});
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, new char[0]);
        handshake(port, keyManagers.getKeyManagers(), roots);
    }

    /** The same handshake, presenting what {@code keys} chooses (a node's: its certificate, always). */
    static void handshake(int port, KeyManager keys, List<X509Certificate> roots) throws Exception {
        handshake(port, new KeyManager[] {keys}, roots);
    }

    private static void handshake(int port, KeyManager[] keys, List<X509Certificate> roots) throws Exception {
        KeyStore anchors = KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        for (int i = 0; i < roots.size(); i++) {
            anchors.setCertificateEntry("ca" + i, roots.get(i));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(anchors);
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(keys, trust.getTrustManagers(), null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("localhost", port)) {
            socket.setSoTimeout(10_000);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setApplicationProtocols(new String[] {"h2"});
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            socket.getOutputStream().write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            if (in.read() < 0) {
                throw new SSLException("the server closed the connection");
            }
        }
    }
}
