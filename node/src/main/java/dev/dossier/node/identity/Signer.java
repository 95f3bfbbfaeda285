package dev.dossier.node.identity;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
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
    private final ECPrivateKeyParameters privateKey;

    private Signer(String mspId, X509Certificate certificate, ECPrivateKeyParameters privateKey) {
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
        String pem;
        try {
            pem = Pem.encode("CERTIFICATE", certificate.getEncoded());
        } catch (CertificateException e) {
            throw new AssertionError("a parsed certificate has an encoding", e);
        }
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
     * @throws IOException if a file cannot be read or parsed, a key is not on P-256, or the private key does not
     *     belong to the certificate
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
        X509Certificate certificate;
        try {
            certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(certificatePem)));
        } catch (CertificateException | RuntimeException malformed) {
            throw new IOException(certificatePem + ": not a PEM X.509 certificate", malformed);
        }
        ECPublicKeyParameters publicKey;
        try {
            publicKey = P256Keys.publicKey(certificate);
        } catch (InvalidKeyException notP256) {
            throw new IOException(certificatePem + ": " + notP256.getMessage(), notP256);
        }
        ECPrivateKeyParameters privateKey;
        try {
            privateKey = P256Keys.privateKey(readPrivateKeyInfo(privateKeyPem));
        } catch (InvalidKeyException notP256) {
            throw new IOException(privateKeyPem + ": " + notP256.getMessage(), notP256);
        }
        if (!P256Keys.matches(privateKey, publicKey)) {
            throw new IOException(privateKeyPem + ": private key does not belong to the certificate " + certificatePem);
        }
        return new Signer(mspId, certificate, privateKey);
    }

    private static PrivateKeyInfo readPrivateKeyInfo(Path pem) throws IOException {
        Object object;
        try (Reader reader = Files.newBufferedReader(pem, UTF_8);
                PEMParser parser = new PEMParser(reader)) {
            object = parser.readObject();
        } catch (RuntimeException malformed) {
            throw new IOException(pem + ": malformed PEM", malformed);
        }
        if (object instanceof PrivateKeyInfo info) {
            return info;
        }
        if (object instanceof PEMKeyPair pair && pair.getPrivateKeyInfo() != null) {
            return pair.getPrivateKeyInfo();
        }
        throw new IOException(pem + ": not an unencrypted PRIVATE KEY or EC PRIVATE KEY PEM");
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
        byte[] hash = Signatures.sha256(message);
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, privateKey);
        BigInteger[] rs = signer.generateSignature(hash);
        return Signatures.encodeDer(rs[0], Signatures.toLowS(rs[1]));
    }

    /** @return the MSP id and the certificate subject; never the key */
    @Override
    public String toString() {
        return "Signer[" + mspId + " " + certificate.getSubjectX500Principal().getName() + "]";
    }
}
