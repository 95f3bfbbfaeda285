package dev.dossier.crypto;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * Reading and writing of PEM files (RFC 7468) with BouncyCastle's PEM parser and writer: X.509 certificates and
 * revocation lists, and P-256 private keys in either of the forms tools write them, PKCS#8 ({@code PRIVATE KEY}, as
 * Fabric's {@code cryptogen} and Fabric CA write) and SEC1 ({@code EC PRIVATE KEY}, as {@code openssl ecparam
 * -genkey} writes). Every reader throws {@link PemException} naming the file and the problem.
 *
 * <p>Writing produces what Go's {@code encoding/pem} writes, on every platform: base64 in 64-character lines, each
 * ending in LF. Fabric's serialized identities hold certificates in this form, so it is part of the wire format.
 *
 * <pre>{@code
 * X509Certificate certificate = Pem.readCertificate(msp.resolve("signcerts/cert.pem"));
 * P256PrivateKey key = Pem.readPrivateKey(msp.resolve("keystore/priv_sk"));
 * String pem = Pem.encode(certificate);
 * }</pre>
 */
public final class Pem {
    private Pem() {}

    /**
     * Reads the first X.509 certificate of a PEM file (or of a file holding one DER certificate).
     *
     * @throws PemException if the file cannot be read or holds no certificate
     */
    public static X509Certificate readCertificate(Path file) throws PemException {
        return readCertificates(file).get(0);
    }

    /**
     * Reads every X.509 certificate of a PEM file, such as a bundle of CA certificates; other PEM blocks are skipped.
     * A file holding one DER certificate is read as well.
     *
     * @return the certificates in file order, at least one, unmodifiable
     * @throws PemException if the file cannot be read, holds no certificate or a malformed one
     */
    public static List<X509Certificate> readCertificates(Path file) throws PemException {
        requireNonNull(file, "file");
        byte[] content = read(file);
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            for (Object object : parse(content)) {
                if (object instanceof X509CertificateHolder holder) {
                    certificates.add(certificateFromDer(holder.getEncoded()));
                }
            }
            if (certificates.isEmpty() && content.length > 0 && content[0] == 0x30) {
                certificates.add(certificateFromDer(content));
            }
        } catch (IOException | CertificateException | RuntimeException malformed) {
            throw new PemException(file, "not a PEM X.509 certificate", malformed);
        }
        if (certificates.isEmpty()) {
            throw new PemException(file, "not a PEM X.509 certificate", null);
        }
        return List.copyOf(certificates);
    }

    /**
     * Reads every X.509 revocation list of a PEM file; other PEM blocks are skipped.
     *
     * @return the lists in file order, possibly none, unmodifiable
     * @throws PemException if the file cannot be read or holds a malformed list
     */
    public static List<X509CRL> readCrls(Path file) throws PemException {
        requireNonNull(file, "file");
        byte[] content = read(file);
        List<X509CRL> crls = new ArrayList<>();
        try {
            for (Object object : parse(content)) {
                if (object instanceof X509CRLHolder holder) {
                    crls.add((X509CRL) factory().generateCRL(new ByteArrayInputStream(holder.getEncoded())));
                }
            }
        } catch (IOException | CRLException | CertificateException | RuntimeException malformed) {
            throw new PemException(file, "not a PEM X.509 CRL", malformed);
        }
        return List.copyOf(crls);
    }

    /**
     * Reads an unencrypted P-256 private key: the first {@code PRIVATE KEY} (PKCS#8) or {@code EC PRIVATE KEY}
     * (SEC1) block of a PEM file. Both forms give the same key.
     *
     * @throws PemException if the file cannot be read, holds neither form, or the key is not on P-256
     */
    public static P256PrivateKey readPrivateKey(Path file) throws PemException {
        requireNonNull(file, "file");
        byte[] content = read(file);
        List<Object> objects;
        try {
            objects = parse(content);
        } catch (IOException | RuntimeException malformed) {
            throw new PemException(file, "malformed PEM", malformed);
        }
        for (Object object : objects) {
            PrivateKeyInfo info = null;
            if (object instanceof PrivateKeyInfo pkcs8) {
                info = pkcs8;
            } else if (object instanceof PEMKeyPair sec1 && sec1.getPrivateKeyInfo() != null) {
                info = sec1.getPrivateKeyInfo();
            }
            if (info != null) {
                try {
                    return P256PrivateKey.fromPrivateKeyInfo(info);
                } catch (InvalidKeyException notP256) {
                    throw new PemException(file, notP256.getMessage(), notP256);
                }
            }
        }
        throw new PemException(file, "not an unencrypted PRIVATE KEY or EC PRIVATE KEY PEM", null);
    }

    /**
     * Reads an unencrypted Ed25519 private key: the {@code PRIVATE KEY} (PKCS#8, RFC 8410) block of a PEM file.
     *
     * @throws PemException if the file cannot be read, holds no such block, or the key is not Ed25519
     */
    public static Ed25519PrivateKey readEd25519PrivateKey(Path file) throws PemException {
        requireNonNull(file, "file");
        byte[] der = decodeStrict("PRIVATE KEY", read(file))
                .orElseThrow(() -> new PemException(file, "not one unencrypted PRIVATE KEY PEM block", null));
        try {
            return Ed25519PrivateKey.fromPkcs8(der);
        } catch (InvalidKeyException notEd25519) {
            throw new PemException(file, notEd25519.getMessage(), notEd25519);
        }
    }

    /**
     * Parses a DER X.509 certificate that must be exactly {@code der}: no trailing bytes.
     *
     * @param der the encoding; not retained
     * @throws CertificateException if it is malformed or followed by other bytes
     */
    public static X509Certificate certificateFromDer(byte[] der) throws CertificateException {
        requireNonNull(der, "der");
        X509Certificate certificate;
        try {
            certificate = (X509Certificate) factory().generateCertificate(new ByteArrayInputStream(der));
        } catch (RuntimeException malformed) {
            throw new CertificateParsingException("malformed X.509 certificate", malformed);
        }
        if (!Arrays.equals(certificate.getEncoded(), der)) {
            throw new CertificateParsingException("trailing bytes after the certificate");
        }
        return certificate;
    }

    /**
     * Decodes the content of the one PEM block of {@code type} that {@code pem} must consist of, more strictly than the
     * file readers: only whitespace may surround the block, and its body must be base64 with line breaks only, without
     * PEM headers. For data an attacker chooses, such as the certificate of a Fabric serialized identity.
     *
     * @param pem the text; not retained
     * @return the DER content (a fresh array), or empty when {@code pem} is not exactly one such block
     */
    public static Optional<byte[]> decodeStrict(String type, byte[] pem) {
        requireNonNull(type, "type");
        requireNonNull(pem, "pem");
        String text = new String(pem, US_ASCII).strip();
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        if (!text.startsWith(begin) || !text.endsWith(end) || text.length() < begin.length() + end.length()) {
            return Optional.empty();
        }
        String body = text.substring(begin.length(), text.length() - end.length());
        StringBuilder base64 = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c != '\n' && c != '\r') {
                base64.append(c);
            }
        }
        try {
            byte[] der = Base64.getDecoder().decode(base64.toString());
            return der.length == 0 ? Optional.empty() : Optional.of(der);
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
    }

    /** @return the certificate as one PEM {@code CERTIFICATE} block, in 64-character lines ending in LF */
    public static String encode(X509Certificate certificate) {
        requireNonNull(certificate, "certificate");
        try {
            return encode("CERTIFICATE", certificate.getEncoded());
        } catch (CertificateException e) {
            throw new AssertionError("a parsed certificate has an encoding", e);
        }
    }

    /** @return the key as one unencrypted PKCS#8 PEM {@code PRIVATE KEY} block, in 64-character lines ending in LF */
    public static String encode(P256PrivateKey key) {
        requireNonNull(key, "key");
        return encode("PRIVATE KEY", key.toPkcs8());
    }

    /**
     * @param type the block type, such as {@code X509 CRL}
     * @param der the content; not retained
     * @return one PEM block of {@code type}, in 64-character lines ending in LF
     */
    public static String encode(String type, byte[] der) {
        requireNonNull(type, "type");
        requireNonNull(der, "der");
        StringWriter out = new StringWriter(der.length * 4 / 3 + 80);
        try (PemWriter writer = new LfPemWriter(out)) {
            writer.writeObject(new PemObject(type, der));
        } catch (IOException e) {
            throw new AssertionError("writing to memory cannot fail", e);
        }
        return out.toString();
    }

    /** BouncyCastle's writer ends lines with the platform's separator; PEM on the wire ends them with LF. */
    private static final class LfPemWriter extends PemWriter {
        LfPemWriter(Writer out) {
            super(out);
        }

        @Override
        public void newLine() throws IOException {
            write('\n');
        }
    }

    private static byte[] read(Path file) throws PemException {
        try {
            return Files.readAllBytes(file);
        } catch (IOException unreadable) {
            throw new PemException(file, "cannot read (" + unreadable.getClass().getSimpleName() + ")", unreadable);
        }
    }

    private static List<Object> parse(byte[] content) throws IOException {
        List<Object> objects = new ArrayList<>();
        try (Reader reader = new InputStreamReader(new ByteArrayInputStream(content), US_ASCII);
                PEMParser parser = new PEMParser(reader)) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                objects.add(object);
            }
        }
        return objects;
    }

    private static CertificateFactory factory() throws CertificateException {
        return CertificateFactory.getInstance("X.509");
    }
}
