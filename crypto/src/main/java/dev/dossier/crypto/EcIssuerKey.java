package dev.dossier.crypto;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.security.InvalidKeyException;
import java.security.SignatureException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.util.PublicKeyFactory;

/**
 * The EC public key of a certificate authority, on any named curve, prepared once to verify the signatures of the
 * certificates it issues: ecdsa-with-SHA256, -SHA384 or -SHA512 over the to-be-signed certificate, with BouncyCastle's
 * arithmetic (its optimised curves where it has them, P-256 among them). X.509 signatures are not bound to Fabric's
 * rules for transaction signatures: high S is accepted here, as every X.509 verifier does. Immutable and thread-safe.
 *
 * <pre>{@code
 * EcIssuerKey ca = EcIssuerKey.of(rootCertificate);
 * ca.verifySignatureOf(presented); // throws SignatureException unless the root signed it
 * }</pre>
 */
public final class EcIssuerKey {
    private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
    private static final String ECDSA_WITH_SHA384 = "1.2.840.10045.4.3.3";
    private static final String ECDSA_WITH_SHA512 = "1.2.840.10045.4.3.4";

    private final ECPublicKeyParameters key;

    private EcIssuerKey(ECPublicKeyParameters key) {
        this.key = key;
    }

    /**
     * @param authority the authority's certificate
     * @throws InvalidKeyException if its key is unreadable or not an EC key
     */
    public static EcIssuerKey of(X509Certificate authority) throws InvalidKeyException {
        requireNonNull(authority, "authority");
        AsymmetricKeyParameter key;
        try {
            key = PublicKeyFactory.createKey(
                    SubjectPublicKeyInfo.getInstance(authority.getPublicKey().getEncoded()));
        } catch (IOException | RuntimeException malformed) {
            throw new InvalidKeyException("unreadable key", malformed);
        }
        if (!(key instanceof ECPublicKeyParameters ecKey)) {
            throw new InvalidKeyException("key is not EC");
        }
        return new EcIssuerKey(ecKey);
    }

    /**
     * Verifies this authority's signature over {@code issued}. Does not look at names, validity or extensions.
     *
     * @throws SignatureException if the algorithm is not ECDSA with SHA-2, the signature is malformed, or it does not
     *     verify with this key
     */
    public void verifySignatureOf(X509Certificate issued) throws SignatureException {
        requireNonNull(issued, "issued");
        Digest digest = switch (issued.getSigAlgOID()) {
            case ECDSA_WITH_SHA256 -> new SHA256Digest();
            case ECDSA_WITH_SHA384 -> new SHA384Digest();
            case ECDSA_WITH_SHA512 -> new SHA512Digest();
            default ->
                throw new SignatureException(
                        "signature algorithm " + issued.getSigAlgOID() + " is not ECDSA with SHA-2");
        };
        boolean valid;
        try {
            byte[] tbs = issued.getTBSCertificate();
            digest.update(tbs, 0, tbs.length);
            byte[] hash = new byte[digest.getDigestSize()];
            digest.doFinal(hash, 0);
            ASN1Sequence signature = ASN1Sequence.getInstance(issued.getSignature());
            if (signature.size() != 2) {
                throw new SignatureException("malformed certificate signature");
            }
            ECDSASigner verifier = new ECDSASigner();
            verifier.init(false, key);
            valid = verifier.verifySignature(
                    hash,
                    ASN1Integer.getInstance(signature.getObjectAt(0)).getPositiveValue(),
                    ASN1Integer.getInstance(signature.getObjectAt(1)).getPositiveValue());
        } catch (CertificateException | RuntimeException malformed) {
            throw new SignatureException("malformed certificate signature", malformed);
        }
        if (!valid) {
            throw new SignatureException("certificate signature does not verify");
        }
    }
}
