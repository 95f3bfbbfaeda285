package dev.dossier.crypto;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.security.InvalidKeyException;
import java.security.SecureRandom;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;

/**
 * An Ed25519 private key (RFC 8032) with its public key: the key an organisation signs its Verifiable Credentials
 * with. Signatures are deterministic. Stored as unencrypted PKCS#8 (RFC 8410) in PEM, as OpenSSL writes it
 * ({@code openssl genpkey -algorithm ed25519}). Immutable and thread-safe; {@code toString} never shows the key.
 */
public final class Ed25519PrivateKey {
    /** Bytes of an Ed25519 signature. */
    public static final int SIGNATURE_SIZE = 64;

    private final Ed25519PrivateKeyParameters parameters;
    private final Ed25519PublicKey publicKey;

    private Ed25519PrivateKey(Ed25519PrivateKeyParameters parameters) {
        this.parameters = parameters;
        try {
            this.publicKey = Ed25519PublicKey.of(parameters.generatePublicKey().getEncoded());
        } catch (InvalidKeyException e) {
            throw new AssertionError("a generated public key is valid", e);
        }
    }

    /** @return a new key from a {@link SecureRandom} */
    public static Ed25519PrivateKey generate() {
        return new Ed25519PrivateKey(new Ed25519PrivateKeyParameters(new SecureRandom()));
    }

    /**
     * @param seed the 32-byte private key of RFC 8032 (its seed); not retained
     * @throws InvalidKeyException if it is not 32 bytes
     */
    public static Ed25519PrivateKey fromSeed(byte[] seed) throws InvalidKeyException {
        requireNonNull(seed, "seed");
        if (seed.length != Ed25519PrivateKeyParameters.KEY_SIZE) {
            throw new InvalidKeyException("an Ed25519 private key has 32 bytes, not " + seed.length);
        }
        return new Ed25519PrivateKey(new Ed25519PrivateKeyParameters(seed, 0));
    }

    /**
     * @param der an unencrypted PKCS#8 {@code PrivateKeyInfo} of algorithm Ed25519 (OID 1.3.101.112)
     * @throws InvalidKeyException if it is malformed or of another algorithm
     */
    public static Ed25519PrivateKey fromPkcs8(byte[] der) throws InvalidKeyException {
        requireNonNull(der, "der");
        AsymmetricKeyParameter key;
        try {
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(der);
            if (!EdECObjectIdentifiers.id_Ed25519.equals(
                    info.getPrivateKeyAlgorithm().getAlgorithm())) {
                throw new InvalidKeyException("key is not Ed25519 (algorithm "
                        + info.getPrivateKeyAlgorithm().getAlgorithm() + ")");
            }
            key = PrivateKeyFactory.createKey(info);
        } catch (IOException | RuntimeException malformed) {
            throw new InvalidKeyException("malformed Ed25519 private key: " + malformed.getMessage(), malformed);
        }
        return new Ed25519PrivateKey((Ed25519PrivateKeyParameters) key);
    }

    /** @return the public key */
    public Ed25519PublicKey publicKey() {
        return publicKey;
    }

    /** @return the 64-byte pure Ed25519 signature of {@code message} (a fresh array) */
    public byte[] sign(byte[] message) {
        requireNonNull(message, "message");
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, parameters);
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }

    /** @return the unencrypted DER PKCS#8 {@code PrivateKeyInfo} (RFC 8410), a fresh array */
    public byte[] toPkcs8() {
        try {
            return PrivateKeyInfoFactory.createPrivateKeyInfo(parameters).getEncoded();
        } catch (IOException e) {
            throw new AssertionError("DER encoding in memory cannot fail", e);
        }
    }

    /** @return the public key only */
    @Override
    public String toString() {
        return "Ed25519PrivateKey[public " + publicKey + "]";
    }
}
