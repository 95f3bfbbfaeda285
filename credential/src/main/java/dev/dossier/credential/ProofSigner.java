package dev.dossier.credential;

import dev.dossier.crypto.Ed25519PrivateKey;
import dev.dossier.crypto.P256PrivateKey;
import java.util.Objects;

/**
 * Who signs a Data Integrity proof: a private key, the cryptosuite it signs with and the verification method (a DID
 * URL) under which a verifier finds its public key.
 *
 * @param cryptosuite {@code eddsa-rdfc-2022} or {@code ecdsa-rdfc-2019}
 * @param verificationMethod the DID URL of the public key, such as {@code did:web:node.example:Org1MSP#key-1}
 * @param publicKey the public key, as the controller document lists it
 * @param signature how the hash data is signed
 */
public record ProofSigner(
        String cryptosuite, String verificationMethod, VerificationKey publicKey, Signature signature) {
    /** Signs a proof's hash data. */
    @FunctionalInterface
    public interface Signature {
        byte[] sign(byte[] hashData);
    }

    public ProofSigner {
        Objects.requireNonNull(cryptosuite, "cryptosuite");
        Objects.requireNonNull(verificationMethod, "verificationMethod");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(signature, "signature");
    }

    /** @return a signer of {@code eddsa-rdfc-2022} proofs */
    public static ProofSigner eddsa(Ed25519PrivateKey key, String verificationMethod) {
        return new ProofSigner(
                DataIntegrity.EDDSA_RDFC_2022,
                verificationMethod,
                new VerificationKey.Ed25519(key.publicKey()),
                key::sign);
    }

    /** @return a signer of {@code ecdsa-rdfc-2019} proofs with a P-256 key (deterministic nonce, low S) */
    public static ProofSigner ecdsa(P256PrivateKey key, String verificationMethod) {
        return new ProofSigner(
                DataIntegrity.ECDSA_RDFC_2019,
                verificationMethod,
                new VerificationKey.P256(key.publicKey()),
                key::signFixed);
    }
}
