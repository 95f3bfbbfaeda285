package dev.dossier.node.identity;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import dev.dossier.crypto.P256PrivateKey;
import dev.dossier.crypto.P256PublicKey;
import dev.dossier.crypto.Pem;
import java.io.IOException;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.cert.X509Certificate;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;

/**
 * A signing identity: an MSP id, an X.509 certificate with an ECDSA P-256 key and the matching private key. Signs
 * with ECDSA P-256 and SHA-256, deterministic nonces (RFC 6979) and low-S normalisation, producing the DER signatures
 * Fabric accepts. Immutable and thread-safe.
 *
 * <pre>{@code
 * Signer node = Signer.fromPem("Org1MSP", msp.resolve("signcerts/node0.org1.dossier.local-cert.pem"),
 *         msp.resolve("keystore/priv_sk"));
 * byte[] signature = node.sign(payload);
 * }</pre>
 */
public final class Signer {
    private final String mspId;
    private final X509Certificate certificate;
    private final ByteString serializedIdentity;
    private final P256PrivateKey privateKey;

    private Signer(String mspId, X509Certificate certificate, P256PrivateKey privateKey) {
        this.mspId = mspId;
        this.certificate = certificate;
        this.privateKey = privateKey;
        this.serializedIdentity = serializedIdentity(mspId, certificate);
    }

    /**
     * @return the serialized {@code msp.SerializedIdentity} of a certificate, exactly as {@link #serializedIdentity()}
     *     holds it for a signer with that certificate: the MSP id and the certificate in PEM (64-character lines, LF)
     * @throws NullPointerException if an argument is null
     */
    public static ByteString serializedIdentity(String mspId, X509Certificate certificate) {
        requireNonNull(mspId, "mspId");
        requireNonNull(certificate, "certificate");
        String pem = Pem.encode(certificate);
        return SerializedIdentity.newBuilder()
                .setMspid(mspId)
                .setIdBytes(ByteString.copyFromUtf8(pem))
                .build()
                .toByteString();
    }

    /**
     * Loads a signing identity from PEM files, as Fabric's cryptogen or Fabric CA write them in an MSP folder
     * ({@code signcerts/*.pem} and {@code keystore/priv_sk}).
     *
     * @param mspId the MSP id of the certificate's organisation
     * @param certificatePem a PEM {@code CERTIFICATE}
     * @param privateKeyPem an unencrypted PKCS#8 {@code PRIVATE KEY} or SEC1 {@code EC PRIVATE KEY} PEM
     * @return the signer
     * @throws IOException if a file cannot be read or parsed ({@link dev.dossier.crypto.PemException}), a key is not
     *     on P-256, or the private key does not belong to the certificate
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code mspId} is blank
     */
    public static Signer fromPem(String mspId, Path certificatePem, Path privateKeyPem) throws IOException {
        requireNonNull(mspId, "mspId");
        requireNonNull(certificatePem, "certificatePem");
        requireNonNull(privateKeyPem, "privateKeyPem");
        if (mspId.isBlank()) {
            throw new IllegalArgumentException("mspId is blank");
        }
        X509Certificate certificate = Pem.readCertificate(certificatePem);
        P256PublicKey publicKey;
        try {
            publicKey = P256PublicKey.fromCertificate(certificate);
        } catch (InvalidKeyException notP256) {
            throw new IOException(certificatePem + ": " + notP256.getMessage(), notP256);
        }
        P256PrivateKey privateKey = Pem.readPrivateKey(privateKeyPem);
        if (!privateKey.publicKey().equals(publicKey)) {
            throw new IOException(privateKeyPem + ": private key does not belong to the certificate " + certificatePem);
        }
        return new Signer(mspId, certificate, privateKey);
    }

    /** @return the MSP id */
    public String mspId() {
        return mspId;
    }

    /**
     * @return the serialized {@code msp.SerializedIdentity}: the MSP id and the certificate in PEM (64-character
     *     lines, LF), as a Fabric creator field holds it
     */
    public ByteString serializedIdentity() {
        return serializedIdentity;
    }

    /** @return the certificate */
    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * Signs {@code message} with ECDSA P-256 over its SHA-256 digest. The nonce is derived deterministically from the
     * key and digest (RFC 6979), so no randomness is needed and equal messages get equal signatures.
     *
     * @param message the bytes to sign
     * @return the DER signature, with {@code s <= n/2}
     * @throws NullPointerException if {@code message} is null
     */
    public byte[] sign(byte[] message) {
        requireNonNull(message, "message");
        return privateKey.sign(message);
    }

    /**
     * Signs a SHA-256 digest the caller computed of the message, as {@link #sign} signs the message's: for a caller
     * that needs the digest too.
     *
     * @param digest the 32-byte SHA-256 digest of the message
     * @return the DER signature, with {@code s <= n/2}
     * @throws IllegalArgumentException if {@code digest} is not 32 bytes
     */
    public byte[] signDigest(byte[] digest) {
        return privateKey.signDigest(digest);
    }

    /** @return the MSP id and the certificate subject; never the key */
    @Override
    public String toString() {
        return "Signer[" + mspId + " " + certificate.getSubjectX500Principal().getName() + "]";
    }
}
