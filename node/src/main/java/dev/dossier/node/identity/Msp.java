package dev.dossier.node.identity;

import static java.util.Objects.requireNonNull;

import dev.dossier.crypto.Pem;
import java.math.BigInteger;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;

/**
 * A membership service provider: an organisation's MSP id, the root CA certificates that issue its members'
 * certificates, the revocation lists its CAs published (Fabric's MSP {@code revocation_list}) and the serial numbers
 * the consortium revoked by vote (the consortium document on the ledger). Immutable; the lists are copied.
 *
 * @param mspId the MSP id, such as {@code Org1MSP}
 * @param rootCertificates the organisation's root CA certificates, at least one
 * @param revocationLists the CRLs of those CAs; every node of a network must use the same ones
 * @param revokedSerials serial numbers of the organisation's certificates (issued by any of its root CAs) that are
 *     revoked without a CRL: by the consortium's vote
 */
public record Msp(
        String mspId,
        List<X509Certificate> rootCertificates,
        List<X509CRL> revocationLists,
        Set<BigInteger> revokedSerials) {
    /**
     * @throws NullPointerException if an argument or a certificate is null
     * @throws IllegalArgumentException if the MSP id is blank or there is no root certificate
     */
    public Msp {
        requireNonNull(mspId, "mspId");
        rootCertificates = List.copyOf(requireNonNull(rootCertificates, "rootCertificates"));
        revocationLists = List.copyOf(requireNonNull(revocationLists, "revocationLists"));
        revokedSerials = Set.copyOf(requireNonNull(revokedSerials, "revokedSerials"));
        if (mspId.isBlank()) {
            throw new IllegalArgumentException("mspId is blank");
        }
        if (rootCertificates.isEmpty()) {
            throw new IllegalArgumentException("MSP " + mspId + " has no root certificate");
        }
    }

    /** An MSP whose revocations are its CAs' lists only. */
    public Msp(String mspId, List<X509Certificate> rootCertificates, List<X509CRL> revocationLists) {
        this(mspId, rootCertificates, revocationLists, Set.of());
    }

    /** @return the root certificates as PEM blocks, as Fabric's MSP configuration holds them */
    public List<String> rootCertificatesPem() {
        return rootCertificates.stream().map(Pem::encode).toList();
    }
}
