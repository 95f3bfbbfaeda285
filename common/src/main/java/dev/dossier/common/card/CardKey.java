package dev.dossier.common.card;

import dev.dossier.common.hash.Sha256;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An organisation's card-signing key as the trust file lists it: the organisation (MSP id), the key id, the days the
 * key may sign (inclusive) and the public key. A card verifies while its key is listed, if it was signed within the
 * key's validity; rotation adds a new key with a later validity, and old cards keep verifying.
 *
 * <p>The key id is the first 8 bytes of SHA-256 of the key's DER {@code SubjectPublicKeyInfo}, as the EU Digital
 * COVID Certificate takes them of the signer's certificate (card keys have no certificate). In a trust file, one
 * line:
 *
 * <pre>{@code
 * card Org1MSP 1a2b3c4d5e6f7a8b 2025-01-01 2027-12-31 MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE...
 * }</pre>
 *
 * @param organisation the MSP id of the organisation whose cards the key signs
 * @param validFrom the first day the key may sign
 * @param validTo the last day the key may sign
 * @param subjectPublicKeyInfo the DER public key, P-256
 */
public record CardKey(String organisation, LocalDate validFrom, LocalDate validTo, byte[] subjectPublicKeyInfo) {
    /** The first word of a card key's line in a trust file. */
    public static final String LINE_PREFIX = "card ";

    public CardKey {
        Objects.requireNonNull(organisation, "organisation");
        Objects.requireNonNull(validFrom, "validFrom");
        Objects.requireNonNull(validTo, "validTo");
        if (organisation.isEmpty() || !organisation.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException(
                    "organisation must be an MSP id without spaces, not '" + organisation + "'");
        }
        if (validTo.isBefore(validFrom)) {
            throw new IllegalArgumentException("key valid to " + validTo + ", before it is valid from " + validFrom);
        }
        subjectPublicKeyInfo = subjectPublicKeyInfo.clone();
        publicKey(subjectPublicKeyInfo);
    }

    /** @return the 8-byte key id: SHA-256 of the DER public key, first 8 bytes */
    public byte[] keyId() {
        return keyId(subjectPublicKeyInfo);
    }

    /** @return the key id as 16 lowercase hex digits */
    public String keyIdHex() {
        return HexFormat.of().formatHex(keyId());
    }

    @Override
    public byte[] subjectPublicKeyInfo() {
        return subjectPublicKeyInfo.clone();
    }

    /**
     * @return where a consortium directory keeps this key's private key, as {@code network init} writes it: {@code
     *     cards/<organisation>/<key id>.key}
     */
    public Path privateKeyFile(Path network) {
        return network.resolve("cards").resolve(organisation).resolve(keyIdHex() + ".key");
    }

    /** @return whether the key may sign on {@code day} */
    public boolean validOn(LocalDate day) {
        return !day.isBefore(validFrom) && !day.isAfter(validTo);
    }

    /** @return the JDK's form of the key */
    public PublicKey publicKey() {
        return publicKey(subjectPublicKeyInfo);
    }

    /** @return the key's trust file line, without line end */
    public String line() {
        return LINE_PREFIX + organisation + " " + keyIdHex() + " " + validFrom + " " + validTo + " "
                + Base64.getEncoder().encodeToString(subjectPublicKeyInfo);
    }

    /**
     * Parses a trust file line written by {@link #line()}.
     *
     * @throws IllegalArgumentException saying which part is malformed, or that the key id is not the key's
     */
    public static CardKey parse(String line) {
        String[] parts = line.strip().split(" +");
        if (parts.length != 6 || !parts[0].equals(LINE_PREFIX.strip())) {
            throw new IllegalArgumentException(
                    "a card key line is 'card <organisation> <key id> <valid from> <valid to> <base64 public key>'");
        }
        CardKey key;
        try {
            key = new CardKey(
                    parts[1],
                    LocalDate.parse(parts[3]),
                    LocalDate.parse(parts[4]),
                    Base64.getDecoder().decode(parts[5]));
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("a validity date is not YYYY-MM-DD");
        }
        if (!key.keyIdHex().equals(parts[2])) {
            throw new IllegalArgumentException("key id " + parts[2] + " is not the key's: " + key.keyIdHex());
        }
        return key;
    }

    /** @return the 8-byte key id of a DER public key: the first 8 bytes of its SHA-256 */
    public static byte[] keyId(byte[] subjectPublicKeyInfo) {
        return Arrays.copyOf(Sha256.of(subjectPublicKeyInfo), 8);
    }

    private static PublicKey publicKey(byte[] der) {
        try {
            PublicKey key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
            if (!(key instanceof ECPublicKey ec)
                    || ec.getParams().getCurve().getField().getFieldSize() != 256
                    || !ec.getParams().getOrder().equals(CardCodec.P256_ORDER)) {
                throw new IllegalArgumentException("card key is not a P-256 key");
            }
            return key;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("card key is not a DER P-256 public key: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CardKey that
                && organisation.equals(that.organisation)
                && validFrom.equals(that.validFrom)
                && validTo.equals(that.validTo)
                && Arrays.equals(subjectPublicKeyInfo, that.subjectPublicKeyInfo);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(subjectPublicKeyInfo);
    }

    @Override
    public String toString() {
        return "CardKey[" + organisation + " " + keyIdHex() + " " + validFrom + ".." + validTo + "]";
    }
}
