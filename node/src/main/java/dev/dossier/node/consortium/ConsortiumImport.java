package dev.dossier.node.consortium;

import static java.util.Objects.requireNonNull;

import dev.dossier.node.config.Consortium;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A joining organisation's consortium directory made from the consortium in force ({@code network config export}):
 * the other organisations' public material (CA and TLS CA certificates, their nodes' signing and TLS certificates) in
 * the Fabric layout {@code network init} writes, and a {@code consortium.yaml} that lists every organisation, its own
 * with the keys and users {@code network org-init} made. Its node then starts with {@code --join}; the ledger, not
 * this file, says what is in force.
 */
public final class ConsortiumImport {
    private ConsortiumImport() {}

    /**
     * @param document the consortium in force
     * @param network the joining organisation's directory, with the {@code consortium.yaml} {@code org-init} wrote
     * @return the consortium written to {@code network/consortium.yaml}
     * @throws IOException if a file cannot be read or written
     * @throws IllegalArgumentException if the document does not list the directory's organisation
     */
    public static Consortium write(ConsortiumDocument document, Path network) throws IOException {
        requireNonNull(document, "document");
        Path file = network.resolve("consortium.yaml");
        Consortium own = Consortium.load(file);
        List<Consortium.Organisation> organisations = new ArrayList<>();
        boolean listed = false;
        for (ConsortiumDocument.Organisation organisation : document.organisations()) {
            Consortium.Organisation mine = own.organisations().stream()
                    .filter(o -> o.mspId().equals(organisation.mspId()))
                    .findFirst()
                    .orElse(null);
            if (mine != null) {
                organisations.add(mine);
                listed = true;
            } else {
                organisations.add(
                        publicPart(organisation, network.toAbsolutePath().normalize()));
            }
        }
        if (!listed) {
            throw new IllegalArgumentException("the consortium in force does not list "
                    + own.organisations().stream()
                            .map(Consortium.Organisation::mspId)
                            .toList()
                    + " yet: the members have not voted it in");
        }
        Consortium consortium = new Consortium(document.channel(), document.chaincode(), organisations);
        consortium.write(file);
        return Consortium.load(file);
    }

    /** Writes an organisation's certificates in the Fabric layout; its nodes' private keys are not there (not ours). */
    private static Consortium.Organisation publicPart(ConsortiumDocument.Organisation organisation, Path network)
            throws IOException {
        Path root = network.resolve("organizations/peerOrganizations").resolve(organisation.domain());
        Path ca = write(
                root.resolve("ca").resolve("ca." + organisation.domain() + "-cert.pem"),
                organisation.caCertificates().get(0));
        for (int i = 0; i < organisation.tlsCaCertificates().size(); i++) {
            write(
                    root.resolve("msp/tlscacerts").resolve("tlsca-" + i + ".pem"),
                    organisation.tlsCaCertificates().get(i));
        }
        List<Consortium.Node> nodes = new ArrayList<>();
        for (ConsortiumDocument.Node node : organisation.nodes()) {
            Path peer = root.resolve("peers").resolve(node.name());
            Path certificate =
                    write(peer.resolve("msp/signcerts").resolve(node.name() + "-cert.pem"), node.certificate());
            write(peer.resolve("tls/server.crt"), node.tlsCertificate());
            nodes.add(new Consortium.Node(
                    node.name(), node.host(), node.port(), certificate, peer.resolve("msp/keystore/priv_sk")));
        }
        return new Consortium.Organisation(
                organisation.name(), organisation.mspId(), organisation.domain(), ca, nodes, List.of());
    }

    private static Path write(Path file, String pem) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, pem);
        return file;
    }
}
