package dev.dossier.node.config;

import static java.util.Objects.requireNonNull;

import dev.dossier.crypto.P256PrivateKey;
import dev.dossier.crypto.P256PublicKey;
import dev.dossier.crypto.Pem;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.InvalidKeyException;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.cert.X509v2CRLBuilder;

/**
 * An organisation's certificate revocation list, {@link Consortium#crlDirectory}{@code /crl.pem}: revoking a node or
 * user re-issues it, signed by the organisation's CA, with the serials already listed plus the new one.
 */
final class RevocationList {
    private RevocationList() {}

    /**
     * Revokes the certificate of a node or user of the consortium: its organisation's CA adds its serial number to the
     * organisation's revocation list ({@link Consortium#crlDirectory}{@code /crl.pem}, keeping the serials already
     * there; reason {@code keyCompromise}), valid for {@code validity}. Nodes read revocation lists when they start:
     * restart every node of the network, with the same lists, for the revocation to take effect.
     *
     * @param name the node or user name, such as {@code Employer@org1.dossier.local}
     * @return the revocation list file
     * @throws IOException if the CA's key or the certificates cannot be read, or the list cannot be written
     * @throws IllegalArgumentException if no node or user has that name
     */
    static Path revoke(Consortium consortium, String name, Duration validity) throws IOException {
        requireNonNull(name, "name");
        for (Consortium.Organisation organisation : consortium.organisations()) {
            Path certificate = Stream.concat(
                            organisation.nodes().stream()
                                    .filter(n -> n.name().equals(name))
                                    .map(Consortium.Node::certificate),
                            organisation.users().stream()
                                    .filter(u -> u.name().equals(name))
                                    .map(Consortium.User::certificate))
                    .findFirst()
                    .orElse(null);
            if (certificate != null) {
                return revoke(organisation, Pem.readCertificate(certificate), validity);
            }
        }
        throw new IllegalArgumentException("no node or user " + name + " in the consortium");
    }

    private static Path revoke(Consortium.Organisation organisation, X509Certificate revoked, Duration validity)
            throws IOException {
        Path caCertificate = organisation.caCertificate();
        X509Certificate caCertificateValue = Pem.readCertificate(caCertificate);
        P256PrivateKey caKey = Pem.readPrivateKey(caCertificate.resolveSibling("priv_sk"));
        if (!caKey.publicKey().equals(publicKeyOf(caCertificate, caCertificateValue))) {
            throw new IOException(caCertificate.resolveSibling("priv_sk") + ": private key does not belong to the"
                    + " certificate " + caCertificate);
        }
        Path file = Consortium.crlDirectory(organisation).resolve("crl.pem");
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        X509v2CRLBuilder builder = new X509v2CRLBuilder(
                X500Name.getInstance(
                        caCertificateValue.getSubjectX500Principal().getEncoded()),
                Date.from(now));
        builder.setNextUpdate(Date.from(now.plus(validity)));
        Set<BigInteger> serials = new LinkedHashSet<>();
        if (Files.exists(file)) {
            for (X509CRL previous : Pem.readCrls(file)) {
                if (previous.getRevokedCertificates() != null) {
                    for (X509CRLEntry entry : previous.getRevokedCertificates()) {
                        if (serials.add(entry.getSerialNumber())) {
                            builder.addCRLEntry(
                                    entry.getSerialNumber(), entry.getRevocationDate(), CRLReason.keyCompromise);
                        }
                    }
                }
            }
        }
        if (serials.add(revoked.getSerialNumber())) {
            builder.addCRLEntry(revoked.getSerialNumber(), Date.from(now), CRLReason.keyCompromise);
        }
        byte[] der = builder.build(caKey.contentSigner()).getEncoded();
        Files.createDirectories(file.getParent());
        Path temporary = file.resolveSibling("crl.pem.tmp");
        Files.writeString(temporary, Pem.encode("X509 CRL", der));
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        return file;
    }

    private static P256PublicKey publicKeyOf(Path file, X509Certificate certificate) throws IOException {
        try {
            return P256PublicKey.fromCertificate(certificate);
        } catch (InvalidKeyException notP256) {
            throw new IOException(file + ": " + notP256.getMessage(), notP256);
        }
    }
}
