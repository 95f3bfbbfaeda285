package dev.dossier.node.identity;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import dev.dossier.crypto.P256PublicKey;
import java.security.SignatureException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Map;

/**
 * An identity that {@link IdentityValidator} has validated: an X.509 certificate with an ECDSA P-256 key, issued by
 * one of its MSP's root CAs and within its validity period when it was validated. Immutable and thread-safe; equal
 * when the serialized identities are equal.
 *
 * <p>Use it to verify signatures made by the identity's private key, as a Fabric peer verifies a proposal's or an
 * envelope's signature against its creator:
 *
 * <pre>{@code
 * Identity creator = validator.validate(signatureHeader.getCreator());
 * creator.verify(proposal.getProposalBytes().toByteArray(), proposal.getSignature().toByteArray());
 * }</pre>
 */
public final class Identity {
    private final String mspId;
    private final X509Certificate certificate;
    private final ByteString serialized;
    private final Map<String, String> attributes;
    private final P256PublicKey publicKey;
    private final Instant notBefore;
    private final Instant notAfter;

    Identity(
            String mspId,
            X509Certificate certificate,
            ByteString serialized,
            Map<String, String> attributes,
            P256PublicKey publicKey) {
        this.mspId = mspId;
        this.certificate = certificate;
        this.serialized = serialized;
        this.attributes = attributes;
        this.publicKey = publicKey;
        this.notBefore = certificate.getNotBefore().toInstant();
        this.notAfter = certificate.getNotAfter().toInstant();
    }

    /** @return the MSP id of the organisation the identity belongs to */
    public String mspId() {
        return mspId;
    }

    /**
     * @return the subject DN of the certificate in RFC 2253 form, as the chaincode's
     *     {@code ClientIdentity.getX509Certificate().getSubjectX500Principal().getName()} gives it
     */
    public String subject() {
        return certificate.getSubjectX500Principal().getName();
    }

    /** @return the identity's certificate */
    public X509Certificate certificate() {
        return certificate;
    }

    /** @return the serialized {@code msp.SerializedIdentity} that was validated, as a Fabric creator field holds it */
    public ByteString serialized() {
        return serialized;
    }

    /**
     * Returns the Fabric CA attributes of the certificate (extension {@value FabricAttributes#OID}), such as {@code
     * dossier.role}. These are what chaincode reads through {@code ClientIdentity.getAttributeValue}.
     *
     * @return the attributes in name order, unmodifiable; empty if the certificate has none
     */
    public Map<String, String> attributes() {
        return attributes;
    }

    /**
     * Verifies an ECDSA P-256 signature with SHA-256 over {@code message} by this identity's key. As Fabric requires,
     * the signature must be strict DER with {@code 1 <= r < n} and {@code 1 <= s <= n/2} (low S), so each message has
     * exactly one accepted signature encoding per signing operation. Does not re-check the certificate's validity
     * period; {@link IdentityValidator#validate} does.
     *
     * @param message the signed bytes
     * @param signature the DER signature
     * @throws SignatureException saying which check failed: encoding, range, high S or the signature equation
     * @throws NullPointerException if an argument is null
     */
    public void verify(byte[] message, byte[] signature) throws SignatureException {
        requireNonNull(message, "message");
        requireNonNull(signature, "signature");
        publicKey.verify(message, signature);
    }

    /**
     * As {@link #verify}, given the SHA-256 digest of the signed bytes ({@link P256PublicKey#verifyDigest}).
     *
     * @throws SignatureException saying which check failed
     */
    public void verifyDigest(byte[] digest, byte[] signature) throws SignatureException {
        publicKey.verifyDigest(digest, signature);
    }

    /** Checks that the certificate is within its validity period at {@code now}. */
    void checkValidity(Instant now) throws IdentityException {
        if (now.isAfter(notAfter)) {
            throw new IdentityException("certificate of " + mspId + ": expired on " + notAfter);
        }
        if (now.isBefore(notBefore)) {
            throw new IdentityException("certificate of " + mspId + ": not valid before " + notBefore);
        }
    }

    /** @return true when {@code now} is past the certificate's validity period, which cannot change */
    boolean expiredAt(Instant now) {
        return now.isAfter(notAfter);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Identity that && serialized.equals(that.serialized);
    }

    @Override
    public int hashCode() {
        return serialized.hashCode();
    }

    /** @return the MSP id and the certificate subject */
    @Override
    public String toString() {
        return mspId + " " + certificate.getSubjectX500Principal().getName();
    }
}
