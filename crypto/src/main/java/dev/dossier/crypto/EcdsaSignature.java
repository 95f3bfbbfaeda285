package dev.dossier.crypto;

import static java.util.Objects.requireNonNull;

import java.math.BigInteger;
import java.security.SignatureException;
import java.util.Arrays;

/**
 * An ECDSA P-256 signature {@code (r, s)} and its ASN.1 DER form {@code SEQUENCE { INTEGER r, INTEGER s }}, as Fabric
 * requires it: {@code 1 <= r < n} and {@code 1 <= s <= n/2} ("low S"), where {@code n} is the order of the P-256 group.
 *
 * <p>ECDSA signatures are malleable: if {@code (r, s)} is valid then so is {@code (r, n - s)}. Fabric accepts only the
 * low-S form so that a transaction has exactly one valid signature encoding; {@link P256PrivateKey} always signs in
 * that form and {@link P256PublicKey#verify} accepts only that form.
 *
 * <p>The record holds any two integers, so that tests can encode malformed signatures; {@link #fromDer} returns only
 * components in {@code [1, n-1]}.
 *
 * @param r the {@code r} component
 * @param s the {@code s} component
 */
public record EcdsaSignature(BigInteger r, BigInteger s) {
    /** The order {@code n} of the P-256 group. */
    public static final BigInteger P256_ORDER = P256.N;

    /** @throws NullPointerException if a component is null */
    public EcdsaSignature {
        requireNonNull(r, "r");
        requireNonNull(s, "s");
    }

    /**
     * Decodes a strict DER ECDSA P-256 signature. Rejects indefinite or non-minimal lengths, non-minimal or negative
     * integers, trailing bytes and components outside {@code [1, n-1]}. Does not check low S (see {@link #isLowS()}).
     *
     * @param der the signature; not retained
     * @throws SignatureException naming the first violation
     * @throws NullPointerException if {@code der} is null
     */
    public static EcdsaSignature fromDer(byte[] der) throws SignatureException {
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
        if (r.signum() == 0 || r.compareTo(P256.N) >= 0) {
            throw new SignatureException("signature r is not in [1, n-1]");
        }
        if (s.signum() == 0 || s.compareTo(P256.N) >= 0) {
            throw new SignatureException("signature s is not in [1, n-1]");
        }
        return new EcdsaSignature(r, s);
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

    /**
     * @return the DER encoding, each component as a minimal two's-complement INTEGER (a fresh array); strict DER
     *     whenever both components are in {@code [1, n-1]}
     */
    public byte[] toDer() {
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

    /** @return true when {@code 1 <= s <= n/2}, as Fabric requires of every signature it accepts */
    public boolean isLowS() {
        return s.signum() > 0 && s.compareTo(P256.HALF_N) <= 0;
    }

    /**
     * Returns the low-S form: this signature when {@code s <= n/2}, otherwise {@code (r, n - s)}. Both verify against
     * the same message and key.
     *
     * @throws IllegalArgumentException if {@code s} is not in {@code [1, n-1]}
     */
    public EcdsaSignature toLowS() {
        if (s.signum() <= 0 || s.compareTo(P256.N) >= 0) {
            throw new IllegalArgumentException("s is not in [1, n-1]");
        }
        return isLowS() ? this : new EcdsaSignature(r, P256.N.subtract(s));
    }

    /** @return the fixed-size form {@code r || s} of JWS, COSE and Data Integrity, 32 bytes each (a fresh array) */
    public byte[] toFixed() {
        byte[] fixed = new byte[64];
        copyFixed(r, fixed, 0);
        copyFixed(s, fixed, 32);
        return fixed;
    }

    private static void copyFixed(BigInteger value, byte[] out, int offset) {
        byte[] bytes = value.toByteArray();
        int length = Math.min(bytes.length, 32);
        System.arraycopy(bytes, bytes.length - length, out, offset + 32 - length, length);
    }
}
