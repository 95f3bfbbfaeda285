package dev.dossier.node.log;

import dev.dossier.common.note.Checkpoint;
import dev.dossier.common.note.NoteVerifier;
import dev.dossier.common.note.TrustFile;
import dev.dossier.crypto.Pem;
import dev.dossier.node.config.Consortium;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Trust files ({@link TrustFile}) of a consortium's commitment log: its origin, the public keys of the node
 * certificates under the nodes' names, and a strict majority of them as the cosigners a checkpoint needs.
 *
 * <pre>{@code
 * Files.writeString(network.resolve("trust.txt"), TrustFiles.of(consortium).format());
 * }</pre>
 */
public final class TrustFiles {
    private TrustFiles() {}

    /**
     * @return the trust file of every node of the consortium, cosigners a strict majority ({@code n / 2 + 1})
     * @throws IOException if a node certificate cannot be read
     */
    public static TrustFile of(Consortium consortium) throws IOException {
        Map<String, Path> certificates = new LinkedHashMap<>();
        for (Consortium.Node node : consortium.nodes()) {
            certificates.put(node.name(), node.certificate());
        }
        return majority(Checkpoint.origin(consortium.channel(), consortium.chaincode()), certificates);
    }

    /**
     * @param origin the log's origin
     * @param certificates each node's name and certificate (PEM file), in the order the file lists them
     * @return the trust file pinning those nodes' keys, cosigners a strict majority ({@code n / 2 + 1})
     * @throws IOException if a certificate cannot be read or holds no P-256 key
     */
    public static TrustFile majority(String origin, Map<String, Path> certificates) throws IOException {
        Objects.requireNonNull(origin, "origin");
        List<NoteVerifier.Key> keys = new ArrayList<>();
        for (Map.Entry<String, Path> node : certificates.entrySet()) {
            X509Certificate certificate = Pem.readCertificate(node.getValue());
            try {
                keys.add(new NoteVerifier.Key(node.getKey(), certificate.getPublicKey()));
            } catch (IllegalArgumentException e) {
                throw new IOException(
                        node.getValue() + ": certificate of node " + node.getKey() + ": " + e.getMessage(), e);
            }
        }
        return TrustFile.majority(origin, keys);
    }
}
