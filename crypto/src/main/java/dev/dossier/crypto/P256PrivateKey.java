package dev.dossier.crypto;

import static java.util.Objects.requireNonNull;

import dev.dossier.common.hash.Sha256;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.operator.ContentSigner;

/**
 * An ECDSA P-256 private key with its public key. Signs SHA-256 digests with ECDSA and returns the DER signatures
 * Fabric accepts: {@code s} normalised to the low half of the group order, see {@link EcdsaSignature}. The nonce is
 * derived deterministically from the key and digest (RFC 6979), so signing needs no randomness and equal messages get
 * equal signatures, unless a random source is passed. Immutable and thread-safe; {@code toString} never shows the key.
 *
 * <pre>{@code
 * P256PrivateKey key = Pem.readPrivateKey(Path.of("keystore/priv_sk")); // SEC1 or PKCS#8
 * byte[] signature = key.sign(payload);
 * key.publicKey().verify(payload, signature);
 * }</pre>
 */
public final class P256PrivateKey {
    private final ECPrivateKeyParameters parameters;
    private final P256PublicKey publicKey;

    private P256PrivateKey(ECPrivateKeyParameters parameters) {
        this.parameters = parameters;
        this.publicKey = new P256PublicKey(P256.DOMAIN.getG().multiply(parameters.getD()));
    }

    /** @return a new key from a {@link SecureRandom} */
    public static P256PrivateKey generate() {
        return generate(new SecureRandom());
    }

    /**
     * @return a new key drawn from {@code random}
     * @throws NullPointerException if {@code random} is null
     */
    public static P256PrivateKey generate(SecureRandom random) {
        requireNonNull(random, "random");
        ECKeyPairGenerator generator = new ECKeyPairGenerator();
        generator.init(new ECKeyGenerationParameters(P256.DOMAIN, random));
        AsymmetricCipherKeyPair pair = generator.generateKeyPair();
        return new P256PrivateKey((ECPrivateKeyParameters) pair.getPrivate());
    }

    /**
     * Reads a DER PKCS#8 {@code PrivateKeyInfo}, as {@link #toPkcs8()} writes it.
     *
     * @param der the encoded key; not retained
     * @throws InvalidKeyException if it is malformed or not an EC key on the named curve P-256
     */
    public static P256PrivateKey fromPkcs8(byte[] der) throws InvalidKeyException {
        requireNonNull(der, "der");
        PrivateKeyInfo info;
        try {
            info = PrivateKeyInfo.getInstance(der);
        } catch (RuntimeException malformed) {
            throw new InvalidKeyException("malformed PKCS#8 private key", malformed);
        }
        return fromPrivateKeyInfo(info);
    }

    /** As {@link #fromPkcs8}, from the parsed structure that PEM reading yields for PKCS#8 and SEC1 files alike. */
    static P256PrivateKey fromPrivateKeyInfo(PrivateKeyInfo info) throws InvalidKeyException {
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
        if (d.signum() <= 0 || d.compareTo(P256.N) >= 0) {
            throw new InvalidKeyException("private key scalar is not in [1, n-1]");
        }
        return new P256PrivateKey(new ECPrivateKeyParameters(d, P256.DOMAIN));
    }

    /** @return the public key {@code d·G} */
    public P256PublicKey publicKey() {
        return publicKey;
    }

    /**
     * Signs {@code message} with ECDSA P-256 over its SHA-256 digest, with a deterministic nonce (RFC 6979).
     *
     * @param message the bytes to sign; not retained
     * @return the DER signature with {@code s <= n/2} (a fresh array)
     * @throws NullPointerException if {@code message} is null
     */
    public byte[] sign(byte[] message) {
        requireNonNull(message, "message");
        return signDigest(Sha256.of(message));
    }

    /**
     * As {@link #sign(byte[])}, with the nonce drawn from {@code random} instead.
     *
     * @throws NullPointerException if an argument is null
     */
    public byte[] sign(byte[] message, SecureRandom random) {
        requireNonNull(message, "message");
        requireNonNull(random, "random");
        ECDSASigner signer = new ECDSASigner();
        signer.init(true, new ParametersWithRandom(parameters, random));
        return lowS(signer.generateSignature(Sha256.of(message)));
    }

    /**
     * Signs a SHA-256 digest that the caller computed, as fabric-gateway's {@code Signer} interface asks: deterministic
     * nonce (RFC 6979), DER, low S.
     *
     * @param digest the 32-byte SHA-256 digest of the message; not retained
     * @return the DER signature (a fresh array)
     * @throws IllegalArgumentException if {@code digest} is not 32 bytes
     */
    public byte[] signDigest(byte[] digest) {
        requireNonNull(digest, "digest");
        if (digest.length != 32) {
            throw new IllegalArgumentException("digest is " + digest.length + " bytes, not the 32 of SHA-256");
        }
        return lowS(deterministic(digest));
    }

    /** @return ECDSA's {@code (r, s)} of a digest, the nonce from RFC 6979 */
    private BigInteger[] deterministic(byte[] digest) {
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, parameters);
        return signer.generateSignature(digest);
    }

    /**
     * Signs {@code message} as {@link #sign(byte[])} does (SHA-256, RFC 6979 nonce, low S), in the fixed-size form of
     * JWS and COSE (ES256): {@code r || s}, 32 bytes each, big-endian.
     *
     * @param message the bytes to sign; not retained
     * @return the 64-byte signature (a fresh array)
     * @throws NullPointerException if {@code message} is null
     */
    public byte[] signFixed(byte[] message) {
        requireNonNull(message, "message");
        return lowSPair(deterministic(Sha256.of(message))).toFixed();
    }

    private static EcdsaSignature lowSPair(BigInteger[] rs) {
        return new EcdsaSignature(rs[0], rs[1]).toLowS();
    }

    private static byte[] lowS(BigInteger[] rs) {
        return lowSPair(rs).toDer();
    }

    /** @return the unencrypted DER PKCS#8 {@code PrivateKeyInfo} with the named curve P-256 (a fresh array) */
    public byte[] toPkcs8() {
        try {
            return PrivateKeyInfoFactory.createPrivateKeyInfo(parameters).getEncoded();
        } catch (IOException e) {
            throw new AssertionError("DER encoding in memory cannot fail", e);
        }
    }

    /** @return the key as a JCA {@link PrivateKey} (algorithm "EC"), for TLS stacks that take one */
    public PrivateKey toJca() {
        try {
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(toPkcs8()));
        } catch (GeneralSecurityException e) {
            throw new AssertionError("every JDK reads PKCS#8 P-256 keys", e);
        }
    }

    /**
     * @return a BouncyCastle {@link ContentSigner} for X.509 certificates and revocation lists: ecdsa-with-SHA256,
     *     signatures as {@link #sign(byte[])} makes them. One signer per structure; not thread-safe.
     */
    public ContentSigner contentSigner() {
        return new ContentSigner() {
            private final ByteArrayOutputStream toBeSigned = new ByteArrayOutputStream(1024);

            @Override
            public AlgorithmIdentifier getAlgorithmIdentifier() {
                return new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);
            }

            @Override
            public OutputStream getOutputStream() {
                return toBeSigned;
            }

            @Override
            public byte[] getSignature() {
                return sign(toBeSigned.toByteArray());
            }
        };
    }

    /** @return the public key only */
    @Override
    public String toString() {
        return "P256PrivateKey[public " + publicKey + "]";
    }
}
