package dev.dossier.crypto;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.math.BigInteger;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509v3CertificateBuilder;

/**
 * Issues X.509 v3 certificates for P-256 keys, signed ecdsa-with-SHA256 by the issuer's key with the signatures of
 * {@link P256PrivateKey#sign(byte[])} (deterministic nonce, low S). Extensions appear in the certificate in the order
 * they were added. A builder is used once, by one thread.
 *
 * <pre>{@code
 * X509Certificate ca = CertificateBuilder.issuedBy(caName, caKey)
 *         .subject(caName, caKey.publicKey())
 *         .serial(serial)
 *         .validity(notBefore, notAfter)
 *         .basicConstraints(true)
 *         .keyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)
 *         .subjectKeyIdentifier()
 *         .build();
 * }</pre>
 */
public final class CertificateBuilder {
    private final X500Name issuer;
    private final P256PrivateKey issuerKey;
    private final List<Extension> extensions = new ArrayList<>();
    private X500Name subject;
    private P256PublicKey subjectKey;
    private BigInteger serial;
    private Instant notBefore;
    private Instant notAfter;

    private CertificateBuilder(X500Name issuer, P256PrivateKey issuerKey) {
        this.issuer = issuer;
        this.issuerKey = issuerKey;
    }

    /**
     * @param issuer the issuer's name, the subject of its certificate (or of the certificate being built, when it is
     *     self-signed)
     * @param issuerKey the key that signs
     * @throws NullPointerException if an argument is null
     */
    public static CertificateBuilder issuedBy(X500Name issuer, P256PrivateKey issuerKey) {
        return new CertificateBuilder(requireNonNull(issuer, "issuer"), requireNonNull(issuerKey, "issuerKey"));
    }

    /** Sets the subject's name and public key. */
    public CertificateBuilder subject(X500Name name, P256PublicKey key) {
        this.subject = requireNonNull(name, "name");
        this.subjectKey = requireNonNull(key, "key");
        return this;
    }

    /** Sets the serial number, which must be positive. */
    public CertificateBuilder serial(BigInteger serial) {
        requireNonNull(serial, "serial");
        if (serial.signum() <= 0) {
            throw new IllegalArgumentException("serial " + serial + " is not positive");
        }
        this.serial = serial;
        return this;
    }

    /** Sets the validity period, to the second (X.509 times have no fractions). */
    public CertificateBuilder validity(Instant notBefore, Instant notAfter) {
        requireNonNull(notBefore, "notBefore");
        requireNonNull(notAfter, "notAfter");
        if (notAfter.isBefore(notBefore)) {
            throw new IllegalArgumentException("notAfter " + notAfter + " is before notBefore " + notBefore);
        }
        this.notBefore = notBefore;
        this.notAfter = notAfter;
        return this;
    }

    /** Adds the critical basic constraints extension: a CA certificate or not, without path length. */
    public CertificateBuilder basicConstraints(boolean ca) {
        return extension(Extension.basicConstraints, true, new BasicConstraints(ca));
    }

    /** Adds the critical key usage extension with {@link KeyUsage} bits such as {@code KeyUsage.digitalSignature}. */
    public CertificateBuilder keyUsage(int usage) {
        return extension(Extension.keyUsage, true, new KeyUsage(usage));
    }

    /** Adds the non-critical extended key usage extension with the purposes in the given order. */
    public CertificateBuilder extendedKeyUsage(KeyPurposeId... purposes) {
        return extension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes.clone()));
    }

    /** Adds the non-critical subject alternative name extension. */
    public CertificateBuilder subjectAltNames(GeneralNames names) {
        return extension(Extension.subjectAlternativeName, false, requireNonNull(names, "names"));
    }

    /** Adds the non-critical subject key identifier: SHA-256 of the subject's point, as {@code cryptogen} does. */
    public CertificateBuilder subjectKeyIdentifier() {
        requireNonNull(subjectKey, "subject key: call subject(...) first");
        return extension(Extension.subjectKeyIdentifier, false, new SubjectKeyIdentifier(subjectKey.keyIdentifier()));
    }

    /** Adds the non-critical authority key identifier: SHA-256 of the issuer's point, as {@code cryptogen} does. */
    public CertificateBuilder authorityKeyIdentifier() {
        return extension(
                Extension.authorityKeyIdentifier,
                false,
                new AuthorityKeyIdentifier(issuerKey.publicKey().keyIdentifier()));
    }

    /** Adds an extension whose value is the DER encoding of {@code value}. */
    public CertificateBuilder extension(ASN1ObjectIdentifier oid, boolean critical, ASN1Encodable value) {
        requireNonNull(oid, "oid");
        requireNonNull(value, "value");
        try {
            return extension(oid, critical, value.toASN1Primitive().getEncoded(ASN1Encoding.DER));
        } catch (IOException e) {
            throw new AssertionError("DER encoding in memory cannot fail", e);
        }
    }

    /**
     * Adds an extension whose {@code extnValue} octets are {@code value} as given, such as Fabric CA's attribute JSON.
     *
     * @param value the octets; copied
     */
    public CertificateBuilder extension(ASN1ObjectIdentifier oid, boolean critical, byte[] value) {
        requireNonNull(oid, "oid");
        requireNonNull(value, "value");
        extensions.add(new Extension(oid, critical, new DEROctetString(value.clone())));
        return this;
    }

    /**
     * @return the signed certificate, as the JDK parses it
     * @throws IllegalStateException if the subject, serial or validity is not set, or an extension is added twice
     */
    public X509Certificate build() {
        if (subject == null || serial == null || notBefore == null) {
            throw new IllegalStateException("subject, serial and validity are required");
        }
        X509v3CertificateBuilder builder = new X509v3CertificateBuilder(
                issuer,
                serial,
                Date.from(notBefore),
                Date.from(notAfter),
                subject,
                subjectKey.subjectPublicKeyInfoValue());
        try {
            for (Extension extension : extensions) {
                builder.addExtension(extension);
            }
        } catch (IOException | IllegalArgumentException duplicate) {
            throw new IllegalStateException("cannot add extension: " + duplicate.getMessage(), duplicate);
        }
        try {
            return Pem.certificateFromDer(
                    builder.build(issuerKey.contentSigner()).getEncoded());
        } catch (IOException | CertificateException e) {
            throw new AssertionError("a freshly built certificate parses", e);
        }
    }
}
