package dev.dossier.crypto;

import static java.util.Objects.requireNonNull;

import java.security.InvalidKeyException;
import java.security.SignatureException;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * An Ed25519 public key (RFC 8032), the key of the organisations' Verifiable Credentials (Data Integrity
 * {@code eddsa-rdfc-2022}). Immutable and thread-safe; equal when the 32 encoded bytes are.
 */
public final class Ed25519PublicKey {
    private final byte[] encoded;
    private final Ed25519PublicKeyParameters parameters;

    private Ed25519PublicKey(byte[] encoded) throws InvalidKeyException {
        this.encoded = encoded.clone();
        try {
            this.parameters = new Ed25519PublicKeyParameters(this.encoded, 0);
        } catch (RuntimeException malformed) {
            throw new InvalidKeyException("not an Ed25519 public key: " + malformed.getMessage(), malformed);
        }
    }

    /**
     * @param encoded the 32-byte encoded point of RFC 8032; not retained
     * @throws InvalidKeyException if it is not 32 bytes or not a point of the curve
     */
    public static Ed25519PublicKey of(byte[] encoded) throws InvalidKeyException {
        requireNonNull(encoded, "encoded");
        if (encoded.length != Ed25519PublicKeyParameters.KEY_SIZE) {
            throw new InvalidKeyException("an Ed25519 public key has 32 bytes, not " + encoded.length);
        }
        return new Ed25519PublicKey(encoded);
    }

    /**
     * Verifies a pure Ed25519 signature (no pre-hash, no context) over {@code message}.
     *
     * @throws SignatureException if the signature is not 64 bytes or does not verify
     */
    public void verify(byte[] message, byte[] signature) throws SignatureException {
        requireNonNull(message, "message");
        requireNonNull(signature, "signature");
        if (signature.length != Ed25519PrivateKey.SIGNATURE_SIZE) {
            throw new SignatureException("an Ed25519 signature has 64 bytes, not " + signature.length);
        }
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, parameters);
        verifier.update(message, 0, message.length);
        if (!verifier.verifySignature(signature)) {
            throw new SignatureException("signature does not verify");
        }
    }

    /** @return the 32 encoded bytes (a fresh array) */
    public byte[] encoded() {
        return encoded.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Ed25519PublicKey that && Arrays.equals(encoded, that.encoded);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encoded);
    }

    @Override
    public String toString() {
        return "Ed25519PublicKey[" + HexFormat.of().formatHex(encoded) + "]";
    }
}
