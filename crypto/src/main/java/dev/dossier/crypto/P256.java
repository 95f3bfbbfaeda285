package dev.dossier.crypto;

import java.math.BigInteger;
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
}
