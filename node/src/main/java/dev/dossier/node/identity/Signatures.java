package dev.dossier.node.identity;

import static java.util.Objects.requireNonNull;

import java.math.BigInteger;
import java.security.SignatureException;
import java.util.Arrays;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;

/**
 * Helpers for ECDSA P-256 signatures in the form Fabric requires: an ASN.1 DER {@code SEQUENCE { INTEGER r, INTEGER s
 * }} with {@code 1 <= r < n} and {@code 1 <= s <= n/2} ("low S"), where {@code n} is the order of the P-256 group.
 *
 * <p>ECDSA signatures are malleable: if {@code (r, s)} is valid then so is {@code (r, n - s)}. Fabric accepts only the
 * low-S form so that a transaction has exactly one valid signature encoding; signers normalise with {@link
 * #toLowS(BigInteger)}.
 */
public final class Signatures {
    /** NIST P-256 (secp256r1, prime256v1) with BouncyCastle's optimised field arithmetic. */
    static final ECNamedDomainParameters P256;

    private static final BigInteger N;
    private static final BigInteger HALF_N;

    static {
        X9ECParameters x9 = CustomNamedCurves.getByOID(SECObjectIdentifiers.secp256r1);
        P256 = new ECNamedDomainParameters(SECObjectIdentifiers.secp256r1, x9);
        N = P256.getN();
        HALF_N = N.shiftRight(1);
    }

    private Signatures() {}

    /**
     * Tells whether {@code s} is in the low half of the P-256 group order, {@code 1 <= s <= n/2}, as Fabric requires
     * of every signature it accepts.
     *
     * @param s the {@code s} component of an ECDSA P-256 signature
     * @return true when {@code 1 <= s <= n/2}
     * @throws NullPointerException if {@code s} is null
     */
    public static boolean isLowS(BigInteger s) {
        requireNonNull(s, "s");
        return s.signum() > 0 && s.compareTo(HALF_N) <= 0;
    }

    /**
     * Returns the low-S form of {@code s}: {@code s} itself when it is at most {@code n/2}, otherwise {@code n - s}.
     * Both forms verify against the same message and key.
     *
     * @param s the {@code s} component of an ECDSA P-256 signature, {@code 1 <= s < n}
     * @return {@code s} or {@code n - s}, whichever is at most {@code n/2}
     * @throws NullPointerException if {@code s} is null
     * @throws IllegalArgumentException if {@code s} is not in {@code [1, n-1]}
     */
    public static BigInteger toLowS(BigInteger s) {
        requireNonNull(s, "s");
        if (s.signum() <= 0 || s.compareTo(N) >= 0) {
            throw new IllegalArgumentException("s is not in [1, n-1]");
        }
        return s.compareTo(HALF_N) <= 0 ? s : N.subtract(s);
    }

    /**
     * Decodes a strict DER ECDSA P-256 signature. Rejects indefinite or non-minimal lengths, non-minimal or negative
     * integers, trailing bytes and components outside {@code [1, n-1]}. Does not check low S.
     *
     * @return {@code {r, s}}
     * @throws SignatureException naming the first violation
     */
    static BigInteger[] decodeDer(byte[] der) throws SignatureException {
        requireNonNull(der, "der");
        // SEQUENCE, short-form length: a P-256 signature is at most 2 + 2 * (2 + 33) = 72 bytes.
        if (der.length < 8 || der.length > 72) {
            throw new SignatureException("signature is not strict DER: length " + der.length + " is not in [8, 72]");
        }
        if (der[0] != 0x30) {
            throw new SignatureException("signature is not strict DER: not a SEQUENCE");
        }
        if ((der[1] & 0xff) != der.length - 2) {
            throw new SignatureException("signature is not strict DER: SEQUENCE length " + (der[1] & 0xff)
                    + " does not match the " + (der.length - 2) + " bytes that follow");
        }
        int rLength = integerLength(der, 2, "r");
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(der, 4, 4 + rLength));
        int sOffset = 4 + rLength;
        int sLength = integerLength(der, sOffset, "s");
        if (sOffset + 2 + sLength != der.length) {
            throw new SignatureException(
                    "signature is not strict DER: " + (der.length - sOffset - 2 - sLength) + " trailing bytes after s");
        }
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(der, sOffset + 2, der.length));
        if (r.signum() == 0 || r.compareTo(N) >= 0) {
            throw new SignatureException("signature r is not in [1, n-1]");
        }
        if (s.signum() == 0 || s.compareTo(N) >= 0) {
            throw new SignatureException("signature s is not in [1, n-1]");
        }
        return new BigInteger[] {r, s};
    }

    /** Checks the INTEGER header at {@code offset} and returns the length of its content. */
    private static int integerLength(byte[] der, int offset, String name) throws SignatureException {
        if (offset + 2 > der.length || der[offset] != 0x02) {
            throw new SignatureException("signature is not strict DER: " + name + " is not an INTEGER");
        }
        int length = der[offset + 1] & 0xff;
        if (length == 0 || length > 33 || offset + 2 + length > der.length) {
            throw new SignatureException("signature is not strict DER: bad length " + length + " of " + name);
        }
        byte first = der[offset + 2];
        if (first < 0) {
            throw new SignatureException("signature is not strict DER: " + name + " is negative");
        }
        if (first == 0 && length > 1 && der[offset + 3] >= 0) {
            throw new SignatureException("signature is not strict DER: " + name + " has a superfluous leading zero");
        }
        return length;
    }

    /** Encodes {@code r} and {@code s} (both positive) as a DER ECDSA signature. */
    static byte[] encodeDer(BigInteger r, BigInteger s) {
        byte[] rBytes = r.toByteArray();
        byte[] sBytes = s.toByteArray();
        int contentLength = 2 + rBytes.length + 2 + sBytes.length;
        byte[] der = new byte[2 + contentLength];
        der[0] = 0x30;
        der[1] = (byte) contentLength;
        der[2] = 0x02;
        der[3] = (byte) rBytes.length;
        System.arraycopy(rBytes, 0, der, 4, rBytes.length);
        int sOffset = 4 + rBytes.length;
        der[sOffset] = 0x02;
        der[sOffset + 1] = (byte) sBytes.length;
        System.arraycopy(sBytes, 0, der, sOffset + 2, sBytes.length);
        return der;
    }

    /**
     * SHA-256 of the message with the JDK's implementation, which uses the processor's SHA instructions where present
     * (several times faster than a pure-Java digest on the megabyte-sized envelopes of bulk anchoring).
     */
    static byte[] sha256(byte[] message) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(message);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError("SHA-256 is required of every JDK", e);
        }
    }
}
