package dev.dossier.credential;

import dev.dossier.crypto.Ed25519PublicKey;
import dev.dossier.crypto.P256PublicKey;
import java.security.InvalidKeyException;
import java.security.SignatureException;
import java.util.Arrays;
import java.util.Objects;

/**
 * A public key that verifies Data Integrity proofs, with its Multikey encoding ({@code publicKeyMultibase}: the
 * multicodec header, then the key, in base58btc): Ed25519 ({@code 0xed01}, suite {@code eddsa-rdfc-2022}) or P-256
 * ({@code 0x8024}, the compressed point, suite {@code ecdsa-rdfc-2019}).
 */
public sealed interface VerificationKey {
    /** @return the cryptosuite this key's proofs use */
    String cryptosuite();

    /** @return the key as {@code publicKeyMultibase} */
    String multibase();

    /**
     * Verifies a proof's signature over its hash data.
     *
     * @throws SignatureException if it does not verify
     */
    void verify(byte[] hashData, byte[] signature) throws SignatureException;

    /**
     * @param multibase a {@code publicKeyMultibase} (also the method-specific id of a {@code did:key})
     * @throws InvalidKeyException if it is not base58btc, has another multicodec header, or is not a valid key
     */
    static VerificationKey fromMultibase(String multibase) throws InvalidKeyException {
        Objects.requireNonNull(multibase, "multibase");
        byte[] bytes;
        try {
            bytes = Multibase.decodeBase58btc(multibase);
        } catch (IllegalArgumentException e) {
            throw new InvalidKeyException("publicKeyMultibase: " + e.getMessage(), e);
        }
        if (bytes.length == 34 && (bytes[0] & 0xff) == 0xed && bytes[1] == 0x01) {
            return new Ed25519(Ed25519PublicKey.of(Arrays.copyOfRange(bytes, 2, 34)));
        }
        if (bytes.length == 35 && (bytes[0] & 0xff) == 0x80 && bytes[1] == 0x24) {
            return new P256(P256PublicKey.fromPoint(Arrays.copyOfRange(bytes, 2, 35)));
        }
        throw new InvalidKeyException(
                "publicKeyMultibase is neither an Ed25519 (0xed01) nor a P-256 (0x8024) Multikey");
    }

    /** An Ed25519 key: {@code eddsa-rdfc-2022}. */
    record Ed25519(Ed25519PublicKey key) implements VerificationKey {
        public Ed25519 {
            Objects.requireNonNull(key, "key");
        }

        @Override
        public String cryptosuite() {
            return DataIntegrity.EDDSA_RDFC_2022;
        }

        @Override
        public String multibase() {
            return Multibase.base58btc(header(new byte[] {(byte) 0xed, 0x01}, key.encoded()));
        }

        @Override
        public void verify(byte[] hashData, byte[] signature) throws SignatureException {
            key.verify(hashData, signature);
        }
    }

    /** A P-256 key: {@code ecdsa-rdfc-2019}, signatures {@code r || s}. */
    record P256(P256PublicKey key) implements VerificationKey {
        public P256 {
            Objects.requireNonNull(key, "key");
        }

        @Override
        public String cryptosuite() {
            return DataIntegrity.ECDSA_RDFC_2019;
        }

        @Override
        public String multibase() {
            return Multibase.base58btc(header(new byte[] {(byte) 0x80, 0x24}, key.compressed()));
        }

        @Override
        public void verify(byte[] hashData, byte[] signature) throws SignatureException {
            key.verifyFixed(hashData, signature);
        }
    }

    private static byte[] header(byte[] codec, byte[] key) {
        byte[] out = Arrays.copyOf(codec, codec.length + key.length);
        System.arraycopy(key, 0, out, codec.length, key.length);
        return out;
    }
}
