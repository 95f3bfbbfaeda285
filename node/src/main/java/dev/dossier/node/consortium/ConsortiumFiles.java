package dev.dossier.node.consortium;

import static java.util.Objects.requireNonNull;

import dev.dossier.common.card.CardKey;
import dev.dossier.credential.CredentialKey;
import dev.dossier.crypto.Pem;
import dev.dossier.node.config.Consortium;
import dev.dossier.node.config.OrganisationKeys;
import dev.dossier.node.identity.Msp;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The consortium document made from a consortium directory ({@code network init}'s layout): what the genesis block
 * holds at sequence 0, and what an organisation proposes to add ({@link #organisation}). Only a node's file
 * bootstraps the ledger; after the genesis block the ledger's document is the one in force.
 */
public final class ConsortiumFiles {
    private ConsortiumFiles() {}

    /**
     * @param consortium the loaded {@code consortium.yaml}
     * @param network its directory, where {@code card-keys.txt} and {@code credential-keys.txt} are read if present
     * @return the document at sequence 0, every rule checked
     * @throws IOException if a certificate, revocation list or key file cannot be read
     * @throws IllegalArgumentException if the document breaks a rule of {@link DocumentRules}
     */
    public static ConsortiumDocument genesis(Consortium consortium, Path network) throws IOException {
        requireNonNull(consortium, "consortium");
        List<ConsortiumDocument.Organisation> organisations = new ArrayList<>();
        List<Msp> msps = consortium.msps();
        for (int i = 0; i < consortium.organisations().size(); i++) {
            organisations.add(
                    organisation(consortium, consortium.organisations().get(i), msps.get(i), network));
        }
        return new ConsortiumDocument(
                        ConsortiumDocument.FORMAT_VERSION,
                        0,
                        consortium.channel(),
                        consortium.chaincode(),
                        organisations)
                .checked();
    }

    /**
     * The document's entry of one organisation of a consortium directory: its CA and TLS CAs, the serials its CRLs
     * revoke, its nodes with their certificates, its card and credential keys.
     *
     * @param network the consortium directory, or null to read no key file
     * @throws IOException if a file cannot be read
     */
    public static ConsortiumDocument.Organisation organisation(
            Consortium consortium, Consortium.Organisation organisation, Msp msp, Path network) throws IOException {
        TreeSet<BigInteger> revoked = new TreeSet<>();
        for (X509CRL crl : msp.revocationLists()) {
            if (crl.getRevokedCertificates() != null) {
                crl.getRevokedCertificates().forEach(entry -> revoked.add(entry.getSerialNumber()));
            }
        }
        List<ConsortiumDocument.Node> nodes = new ArrayList<>();
        for (Consortium.Node node : organisation.nodes()) {
            nodes.add(new ConsortiumDocument.Node(
                    node.name(),
                    node.host(),
                    node.port(),
                    Pem.encode(Pem.readCertificate(node.certificate())),
                    Pem.encode(Pem.readCertificate(consortium.tlsCertificate(node.name())))));
        }
        List<String> cardKeys = new ArrayList<>();
        List<String> credentialKeys = new ArrayList<>();
        if (network != null) {
            for (CardKey key : OrganisationKeys.CARDS.load(network.resolve(OrganisationKeys.CARDS.fileName()))) {
                if (key.organisation().equals(organisation.mspId())) {
                    cardKeys.add(key.line());
                }
            }
            for (CredentialKey key : CredentialKey.load(network.resolve(OrganisationKeys.CREDENTIALS.fileName()))) {
                if (key.organisation().equals(organisation.mspId())) {
                    credentialKeys.add(key.line());
                }
            }
        }
        return new ConsortiumDocument.Organisation(
                organisation.mspId(),
                organisation.name(),
                organisation.domain(),
                List.of(Pem.encode(Pem.readCertificate(organisation.caCertificate()))),
                tlsCas(organisation),
                revoked.stream().map(serial -> serial.toString(16)).toList(),
                nodes,
                cardKeys,
                credentialKeys);
    }

    /**
     * The document's entry of an organisation on its own (made by {@code CryptoGen.newOrganisation} for an
     * organisation that joins by vote), with the card and credential keys of {@code network}'s key files.
     *
     * @throws IOException if a file cannot be read
     */
    public static ConsortiumDocument.Organisation organisation(Consortium.Organisation organisation, Path network)
            throws IOException {
        Consortium alone = new Consortium("dossier", "notary", List.of(organisation));
        return organisation(alone, organisation, alone.msps().get(0), network);
    }

    private static List<String> tlsCas(Consortium.Organisation organisation) throws IOException {
        Path folder = Consortium.crlDirectory(organisation).resolveSibling("tlscacerts");
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                out.add(Pem.encode(Pem.readCertificate(file)));
            }
        }
        return out;
    }
}
