package dev.dossier.common.card;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The facts an inspector compares, as a card carries them ({@code docs/card.md} has the CBOR map). Text is what the
 * record holds, except the course title, which a card holds cut to {@value #MAX_TITLE} characters
 * ({@link #cutTitle}). Dates are ISO calendar dates; {@code issuedAt} is the card's signing time, in whole seconds.
 *
 * @param givenName the worker's given names
 * @param familyName the worker's family names
 * @param birthDate the worker's birth date, or null
 * @param courseCode the course code, or null
 * @param courseTitle the course title, at most {@value #MAX_TITLE} characters
 * @param safetyModule the safety module code (as {@code SafetyModules} names it), or null
 * @param hours the workload in hours as the record writes it (a decimal number), or null
 * @param endDate the last day of the training, or null
 * @param issueDate the day the credential was issued
 * @param validUntil the last day the training is valid, or null when it does not expire
 * @param provider the training provider's name
 * @param issuer the issuing organisation's MSP id, which must be the signing key's organisation
 * @param issuedAt when the card was signed
 * @param commitment the record's commitment on the ledger, 32 bytes
 */
public record Card(
        String givenName,
        String familyName,
        LocalDate birthDate,
        String courseCode,
        String courseTitle,
        String safetyModule,
        String hours,
        LocalDate endDate,
        LocalDate issueDate,
        LocalDate validUntil,
        String provider,
        String issuer,
        Instant issuedAt,
        byte[] commitment) {
    /** The longest course title a card holds, in characters (Unicode code points). */
    public static final int MAX_TITLE = 60;

    /** The longest of any other text a card holds, in characters: bounds what a decoder accepts. */
    public static final int MAX_TEXT = 200;

    /** CWT claim keys (RFC 8392): issuer and issued-at. */
    static final long ISS = 1;

    static final long IAT = 6;

    /** The private-use CWT claim (below -65536, RFC 8392 section 9.1) holding the facts map. */
    static final long FACTS = -65537;

    private static final Pattern HOURS = Pattern.compile("[0-9]{1,5}(\\.[0-9]{1,2})?");

    public Card {
        require(givenName, "given name", MAX_TEXT);
        require(familyName, "family name", MAX_TEXT);
        optional(courseCode, "course code", MAX_TEXT);
        require(courseTitle, "course title", MAX_TITLE);
        optional(safetyModule, "safety module", MAX_TEXT);
        if (hours != null && !HOURS.matcher(hours).matches()) {
            throw new IllegalArgumentException("hours must be a decimal number such as 12 or 7.5, not " + hours);
        }
        present(issueDate, "issue date");
        require(provider, "provider", MAX_TEXT);
        require(issuer, "issuer", MAX_TEXT);
        requireSeconds(issuedAt);
        present(commitment, "commitment");
        if (commitment.length != 32) {
            throw new IllegalArgumentException("commitment must be 32 bytes, not " + commitment.length);
        }
        commitment = commitment.clone();
    }

    /**
     * A course title as a card holds it: unchanged up to {@value #MAX_TITLE} characters, else its first
     * {@value #MAX_TITLE} - 1 characters and "…".
     */
    public static String cutTitle(String title) {
        return cutTitle(title, MAX_TITLE);
    }

    /** A title cut to {@code max} characters: unchanged if it fits, else its first {@code max} - 1 and "…". */
    static String cutTitle(String title, int max) {
        String trimmed = title.strip();
        if (trimmed.codePointCount(0, trimmed.length()) <= max) {
            return trimmed;
        }
        return trimmed.substring(0, trimmed.offsetByCodePoints(0, max - 1)).strip() + "…";
    }

    @Override
    public byte[] commitment() {
        return commitment.clone();
    }

    /** @return the commitment as 64 lowercase hex digits */
    public String commitmentHex() {
        return HexFormat.of().formatHex(commitment);
    }

    /** @return the CWT claims: {@code {1: issuer, 6: issuedAt, -65537: {facts}}} */
    Map<Long, Object> claims() {
        Map<Long, Object> facts = new LinkedHashMap<>();
        put(facts, 1, givenName);
        put(facts, 2, familyName);
        put(facts, 3, birthDate);
        put(facts, 4, courseCode);
        put(facts, 5, courseTitle);
        put(facts, 6, safetyModule);
        put(facts, 7, hours);
        put(facts, 8, endDate);
        put(facts, 9, issueDate);
        put(facts, 10, validUntil);
        put(facts, 11, provider);
        facts.put(12L, commitment.clone());
        Map<Long, Object> claims = new LinkedHashMap<>();
        claims.put(ISS, issuer);
        claims.put(IAT, issuedAt.getEpochSecond());
        claims.put(FACTS, facts);
        return claims;
    }

    /**
     * Reads the claims a card's payload decodes to.
     *
     * @throws IllegalArgumentException saying what is missing, unknown or malformed
     */
    static Card fromClaims(Object decoded) {
        Map<Long, Object> claims = map(decoded, "claims");
        known(claims, "claim", ISS, IAT, FACTS);
        Map<Long, Object> facts = map(claims.get(FACTS), "facts (claim -65537)");
        known(facts, "fact", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        Object commitment = facts.get(12L);
        if (!(commitment instanceof byte[] bytes)) {
            throw new IllegalArgumentException("commitment (fact 12) is not a byte string");
        }
        return new Card(
                text(facts, 1),
                text(facts, 2),
                date(facts, 3),
                text(facts, 4),
                text(facts, 5),
                text(facts, 6),
                text(facts, 7),
                date(facts, 8),
                date(facts, 9),
                date(facts, 10),
                text(facts, 11),
                text(claims, ISS),
                issuedAt(claims),
                bytes);
    }

    private static void put(Map<Long, Object> facts, long key, Object value) {
        if (value != null) {
            facts.put(key, value.toString());
        }
    }

    /** @return the issued-at claim (6) as an instant */
    static Instant issuedAt(Map<Long, Object> claims) {
        Object iat = claims.get(IAT);
        if (!(iat instanceof Long seconds) || seconds < 0) {
            throw new IllegalArgumentException("issued-at (claim 6) is not a time in seconds");
        }
        return Instant.ofEpochSecond(seconds);
    }

    static void requireSeconds(Instant issuedAt) {
        present(issuedAt, "issuedAt");
        if (issuedAt.getNano() != 0 || issuedAt.getEpochSecond() < 0) {
            throw new IllegalArgumentException("issuedAt must be whole seconds after 1970");
        }
    }

    @SuppressWarnings("unchecked")
    static Map<Long, Object> map(Object value, String what) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(what + " is not a map");
        }
        return (Map<Long, Object>) map;
    }

    static void known(Map<Long, Object> map, String what, long... keys) {
        for (Long key : map.keySet()) {
            if (Arrays.stream(keys).noneMatch(k -> k == key)) {
                throw new IllegalArgumentException("unknown " + what + " " + key);
            }
        }
    }

    static String text(Map<Long, Object> map, long key) {
        Object value = map.get(key);
        if (value != null && !(value instanceof String)) {
            throw new IllegalArgumentException("item " + key + " is not text");
        }
        return (String) value;
    }

    static LocalDate date(Map<Long, Object> map, long key) {
        String text = text(map, key);
        if (text == null) {
            return null;
        }
        if (text.length() != 10) {
            throw new IllegalArgumentException("item " + key + " is not a date YYYY-MM-DD");
        }
        try {
            return LocalDate.parse(text);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("item " + key + " is not a date YYYY-MM-DD");
        }
    }

    static void require(String value, String what, int max) {
        present(value, what);
        if (value.isBlank()) {
            throw new IllegalArgumentException(what + " is empty");
        }
        optional(value, what, max);
    }

    /**
     * A required item: missing is an {@link IllegalArgumentException}, as every other fault of a card's content, so
     * that a verifier names a signed card without it TAMPERED instead of failing.
     */
    static void present(Object value, String what) {
        if (value == null) {
            throw new IllegalArgumentException(what + " is missing");
        }
    }

    static void optional(String value, String what, int max) {
        if (value != null && value.codePointCount(0, value.length()) > max) {
            throw new IllegalArgumentException(what + " is longer than " + max + " characters");
        }
        if (value != null && value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException(what + " holds a control character");
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Card that
                && toString().equals(that.toString())
                && Arrays.equals(commitment, that.commitment);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(commitment);
    }

    @Override
    public String toString() {
        return "Card[" + givenName + " " + familyName + ", " + birthDate + ", " + courseCode + " " + courseTitle + ", "
                + safetyModule + ", " + hours + " h, " + endDate + ", issued " + issueDate + ", valid until "
                + validUntil + ", " + provider + ", by " + issuer + " at " + issuedAt + ", " + commitmentHex() + "]";
    }
}
