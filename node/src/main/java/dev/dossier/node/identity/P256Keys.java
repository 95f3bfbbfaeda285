package dev.dossier.node.identity;

import java.io.IOException;
import java.math.BigInteger;
import java.security.InvalidKeyException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.math.ec.ECPoint;

/** Conversion of P-256 keys to BouncyCastle's lightweight parameters on the optimised curve. */
final class P256Keys {
    private P256Keys() {}

    /**
     * Returns the certificate's public key when it is an EC key on the named curve P-256.
     *
     * @throws InvalidKeyException if the key is of another type or curve, uses explicit curve parameters, or is not a
     *     valid point of the group
     */
    static ECPublicKeyParameters publicKey(X509Certificate certificate) throws InvalidKeyException {
        SubjectPublicKeyInfo info;
        try {
            info = SubjectPublicKeyInfo.getInstance(certificate.getPublicKey().getEncoded());
        } catch (RuntimeException malformed) {
            throw new InvalidKeyException("malformed public key", malformed);
        }
        return publicKey(info);
    }

    /** As {@link #publicKey(X509Certificate)}, from the encoded key. */
    static ECPublicKeyParameters publicKey(SubjectPublicKeyInfo info) throws InvalidKeyException {
        AlgorithmIdentifier algorithm = info.getAlgorithm();
        if (!X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm.getAlgorithm())) {
            throw new InvalidKeyException("key is not EC (algorithm " + algorithm.getAlgorithm() + ")");
        }
        if (!(algorithm.getParameters() instanceof ASN1ObjectIdentifier)
                || !SECObjectIdentifiers.secp256r1.equals(algorithm.getParameters())) {
            throw new InvalidKeyException("key is not on the named curve P-256");
        }
        try {
            ECPoint point = Signatures.P256
                    .getCurve()
                    .decodePoint(info.getPublicKeyData().getOctets());
            return new ECPublicKeyParameters(point, Signatures.P256);
        } catch (RuntimeException notAPoint) {
            throw new InvalidKeyException("key is not a valid P-256 point", notAPoint);
        }
    }

    /**
     * Returns the private key in {@code info} when it is an EC key on the named curve P-256.
     *
     * @throws InvalidKeyException if the key is of another type or curve, malformed, or its scalar is not in
     *     {@code [1, n-1]}
     */
    static ECPrivateKeyParameters privateKey(PrivateKeyInfo info) throws InvalidKeyException {
        AlgorithmIdentifier algorithm = info.getPrivateKeyAlgorithm();
        if (!X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm.getAlgorithm())) {
            throw new InvalidKeyException("private key is not EC (algorithm " + algorithm.getAlgorithm() + ")");
        }
        if (!SECObjectIdentifiers.secp256r1.equals(algorithm.getParameters())) {
            throw new InvalidKeyException("private key is not on the named curve P-256");
        }
        BigInteger d;
        try {
            d = ECPrivateKey.getInstance(info.parsePrivateKey()).getKey();
        } catch (IOException | RuntimeException malformed) {
            throw new InvalidKeyException("malformed EC private key", malformed);
        }
        if (d.signum() <= 0 || d.compareTo(Signatures.P256.getN()) >= 0) {
            throw new InvalidKeyException("private key scalar is not in [1, n-1]");
        }
        return new ECPrivateKeyParameters(d, Signatures.P256);
    }

    /** Tells whether {@code publicKey} is {@code d·G} for the private key. */
    static boolean matches(ECPrivateKeyParameters privateKey, ECPublicKeyParameters publicKey) {
        ECPoint expected = Signatures.P256.getG().multiply(privateKey.getD()).normalize();
        return expected.equals(publicKey.getQ().normalize());
    }
}
