package dev.dossier.client.digest;

import dev.dossier.common.hash.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * How Dossier derives salts, commitments and subject pseudonyms ({@code docs/design.md}, "Data model"). This is an
 * encoding contract, version 1; the golden vectors in {@code src/test/resources/vectors/} pin it. Exactly:
 *
 * <pre>
 * salt       = HMAC-SHA256(issuer salt key, UTF-8(record id) || 0x00 || ASCII(decimal version))      32 bytes
 * record     = SHA-256(ASCII("dossier:record:v1")   || 0x00 || salt || JCS(record JSON))
 * document   = SHA-256(ASCII("dossier:document:v1") || 0x00 || salt || content)
 * pseudonym  = HMAC-SHA256(sector pseudonym key, UTF-8(upper-case fiscal code))                       32 bytes
 * </pre>
 *
 * <p>JCS is RFC 8785 ({@link Canonical}). For documents, {@code content} is the JCS form when the document is JSON
 * (an Open Badges 3.0 / W3C Verifiable Credential) and the raw bytes otherwise (PDF, images, video). The version is
 * the record's version, {@code 1} for a first issue and incremented by each correction, written without leading
 * zeros ({@code "1"}, {@code "12"}). Record ids never contain {@code 0x00}, so the salt input is unambiguous.
 *
 * <p>The salt is a deterministic function of the record id and version: re-running an upload yields the same
 * commitments (anchoring is idempotent), while nobody without the issuer's salt key can test a guessed record against
 * the ledger. Everything here is thread-safe.
 *
 * <pre>{@code
 * byte[] salt = Commitments.salt(saltKey, "REC-0001", 1);
 * Commitment c = Commitments.record(salt, Canonical.jcs(recordJson));
 * }</pre>
 */
public final class Commitments {
    /** Domain tag of training-record commitments. */
    public static final String RECORD_TAG = "dossier:record:v1";
    /** Domain tag of document commitments (PDF, media, Verifiable Credentials). */
    public static final String DOCUMENT_TAG = "dossier:document:v1";

    private static final byte[] RECORD_PREFIX = prefix(RECORD_TAG);
    private static final byte[] DOCUMENT_PREFIX = prefix(DOCUMENT_TAG);
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(Sha256::newDigest);

    private Commitments() {}

    /**
     * @return the 32-byte salt of version {@code version} of record {@code recordId}
     * @throws IllegalArgumentException if the id is empty or contains {@code U+0000}, or the version is below 1
     */
    public static byte[] salt(HmacKey issuerSaltKey, String recordId, int version) {
        Objects.requireNonNull(issuerSaltKey, "issuerSaltKey");
        Objects.requireNonNull(recordId, "recordId");
        if (recordId.isEmpty() || recordId.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("record id must be non-empty and without U+0000");
        }
        if (version < 1) {
            throw new IllegalArgumentException("version must be at least 1, got " + version);
        }
        return issuerSaltKey.mac(
                recordId.getBytes(StandardCharsets.UTF_8),
                new byte[] {0},
                Integer.toString(version).getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * @param salt the 32-byte salt (see {@link #salt})
     * @param canonicalRecord the record's JSON in RFC 8785 canonical form, UTF-8 ({@link Canonical#jcs})
     * @return {@code SHA-256("dossier:record:v1" || 0x00 || salt || canonicalRecord)}
     */
    public static Commitment record(byte[] salt, byte[] canonicalRecord) {
        return digest(RECORD_PREFIX, salt, canonicalRecord);
    }

    /**
     * @param salt the 32-byte salt
     * @param content the document: JCS bytes for JSON documents, the raw bytes otherwise
     * @return {@code SHA-256("dossier:document:v1" || 0x00 || salt || content)}
     */
    public static Commitment document(byte[] salt, byte[] content) {
        return digest(DOCUMENT_PREFIX, salt, content);
    }

    /**
     * @return the subject pseudonym of a worker, {@code HMAC-SHA256(sector pseudonym key, UTF-8(upper-case fiscal
     *     code))}, as 64 lowercase hexadecimal digits
     */
    public static String pseudonym(HmacKey sectorPseudonymKey, String fiscalCode) {
        Objects.requireNonNull(sectorPseudonymKey, "sectorPseudonymKey");
        Objects.requireNonNull(fiscalCode, "fiscalCode");
        return HexFormat.of()
                .formatHex(sectorPseudonymKey.mac(
                        fiscalCode.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8)));
    }

    private static Commitment digest(byte[] prefix, byte[] salt, byte[] content) {
        Objects.requireNonNull(salt, "salt");
        Objects.requireNonNull(content, "content");
        if (salt.length != 32) {
            throw new IllegalArgumentException("a salt has 32 bytes, got " + salt.length);
        }
        MessageDigest sha = SHA256.get();
        sha.update(prefix);
        sha.update(salt);
        sha.update(content);
        return Commitment.of(sha.digest());
    }

    private static byte[] prefix(String tag) {
        byte[] ascii = tag.getBytes(StandardCharsets.US_ASCII);
        byte[] prefix = new byte[ascii.length + 1];
        System.arraycopy(ascii, 0, prefix, 0, ascii.length);
        return prefix;
    }
}
