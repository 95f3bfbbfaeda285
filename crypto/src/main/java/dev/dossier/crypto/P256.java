package dev.dossier.crypto;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;

/** NIST P-256 (secp256r1, prime256v1) with BouncyCastle's optimised field arithmetic, and SHA-256. */
final class P256 {
    static final ECNamedDomainParameters DOMAIN = new ECNamedDomainParameters(
            SECObjectIdentifiers.secp256r1, CustomNamedCurves.getByOID(SECObjectIdentifiers.secp256r1));
    static final BigInteger N = DOMAIN.getN();
    static final BigInteger HALF_N = N.shiftRight(1);

    private P256() {}

    /**
     * SHA-256 with the JDK's implementation, which uses the processor's SHA instructions where present (several times
     * faster than a pure-Java digest on the megabyte-sized envelopes of bulk anchoring).
     */
    static byte[] sha256(byte[] message) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(message);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("SHA-256 is required of every JDK", e);
        }
    }
}
