package dev.dossier.common.card;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The worker's safety card: one QR code for a worker's current safety training, what an inspector asks for on site
 * ({@code docs/card.md}, "The worker's safety card"). The worker's names and birth date, and up to {@value
 * #MAX_MODULES} modules, each with its validity and the first {@value Module#PREFIX_BYTES} bytes of its record's
 * commitment, by which any node finds the record's entry ({@code GET /v1/status/<32 hex digits>}). Signed with the
 * organisation's card key as a record's {@link Card} is, behind its own prefix {@value #PREFIX} and under its own
 * private-use claim ({@code -65538}), so neither kind of card reads as the other.
 *
 * @param givenName the worker's given names
 * @param familyName the worker's family names
 * @param birthDate the worker's birth date, or null
 * @param modules the modules, 1 to {@value #MAX_MODULES}
 * @param issuer the signing organisation's MSP id, which must be the signing key's organisation
 * @param issuedAt when the card was signed, whole seconds
 */
public record WorkerCard(
        String givenName,
        String familyName,
        LocalDate birthDate,
        List<Module> modules,
        String issuer,
        Instant issuedAt) {
    /** The worker's card's text prefix: the format's name ("Dossier worker") and version. */
    public static final String PREFIX = "DW1:";

    /** The most modules one worker's card lists: what fits QR version 25 at error correction Q. */
    public static final int MAX_MODULES = 8;

    /** The private-use CWT claim holding the worker card's facts (the record's card uses -65537). */
    static final long FACTS = -65538;

    /**
     * One module of a worker's card.
     *
     * @param code the module: its safety module code (as {@code SafetyModules} names it), else its course code; at
     *     most {@value #MAX_CODE} characters
     * @param title the course title, cut to {@value #MAX_TITLE} characters ({@link #cutTitle})
     * @param validUntil the last day the training is valid, or null when it does not expire
     * @param commitmentPrefix the first bytes of the record's commitment, {@value #PREFIX_BYTES} to 32
     */
    public record Module(String code, String title, LocalDate validUntil, byte[] commitmentPrefix) {
        /** The longest module code, in characters. */
        public static final int MAX_CODE = 32;

        /** The longest course title a module holds, in characters. */
        public static final int MAX_TITLE = 20;

        /** The last day a module may name, 9999-12-31, as days since 1970-01-01. */
        static final long MAX_DAY = 2_932_896;

        /** The fewest bytes of the commitment a module holds: enough to find one entry among billions. */
        public static final int PREFIX_BYTES = 16;

        public Module {
            Card.require(code, "module code", MAX_CODE);
            if (validUntil != null && (validUntil.toEpochDay() < 0 || validUntil.toEpochDay() > MAX_DAY)) {
                throw new IllegalArgumentException("valid until " + validUntil + " is not between 1970 and 9999");
            }
            Card.require(title, "module title", MAX_TITLE);
            Objects.requireNonNull(commitmentPrefix, "commitmentPrefix");
            if (commitmentPrefix.length < PREFIX_BYTES || commitmentPrefix.length > 32) {
                throw new IllegalArgumentException("a module's commitment prefix is " + PREFIX_BYTES
                        + " to 32 bytes, not " + commitmentPrefix.length);
            }
            commitmentPrefix = commitmentPrefix.clone();
        }

        /** A course title as a module holds it: {@link Card#cutTitle} at {@value #MAX_TITLE} characters. */
        public static String cutTitle(String title) {
            return Card.cutTitle(title, MAX_TITLE);
        }

        @Override
        public byte[] commitmentPrefix() {
            return commitmentPrefix.clone();
        }

        /** @return the commitment prefix as lowercase hex */
        public String prefixHex() {
            return HexFormat.of().formatHex(commitmentPrefix);
        }

        /** @return {@code [code, title, commitment prefix]}, and the valid-until day number when it expires */
        List<Object> facts() {
            List<Object> list = new ArrayList<>(4);
            list.add(code);
            list.add(title);
            list.add(commitmentPrefix.clone());
            if (validUntil != null) {
                list.add(validUntil.toEpochDay());
            }
            return list;
        }

        static Module of(Object decoded, int index) {
            String what = "module " + (index + 1);
            if (!(decoded instanceof List<?> list) || list.size() < 3 || list.size() > 4) {
                throw new IllegalArgumentException(what + " is not an array of 3 or 4 items");
            }
            if (!(list.get(0) instanceof String code) || !(list.get(1) instanceof String title)) {
                throw new IllegalArgumentException(what + ": code or title is not text");
            }
            if (!(list.get(2) instanceof byte[] prefix)) {
                throw new IllegalArgumentException(what + ": commitment prefix is not a byte string");
            }
            LocalDate until = null;
            if (list.size() == 4) {
                if (!(list.get(3) instanceof Long days) || days < 0 || days > MAX_DAY) {
                    throw new IllegalArgumentException(what + ": valid until is not a day number");
                }
                until = LocalDate.ofEpochDay(days);
            }
            return new Module(code, title, until, prefix);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Module that
                    && code.equals(that.code)
                    && title.equals(that.title)
                    && Objects.equals(validUntil, that.validUntil)
                    && Arrays.equals(commitmentPrefix, that.commitmentPrefix);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(commitmentPrefix);
        }

        @Override
        public String toString() {
            return "Module[" + code + " " + title + ", valid until " + validUntil + ", " + prefixHex() + "]";
        }
    }

    public WorkerCard {
        Card.require(givenName, "given name", Card.MAX_TEXT);
        Card.require(familyName, "family name", Card.MAX_TEXT);
        Objects.requireNonNull(modules, "modules");
        if (modules.isEmpty()) {
            throw new IllegalArgumentException("a worker's card lists at least one module");
        }
        if (modules.size() > MAX_MODULES) {
            throw new IllegalArgumentException("a worker's card lists at most " + MAX_MODULES + " modules, not "
                    + modules.size() + ": choose the modules the work on site needs");
        }
        modules = List.copyOf(modules);
        Card.require(issuer, "issuer", Card.MAX_TEXT);
        Card.requireSeconds(issuedAt);
    }

    /** @return the CWT claims: {@code {1: issuer, 6: issuedAt, -65538: {1: given, 2: family, 3: birth, 4: [modules]}}} */
    Map<Long, Object> claims() {
        Map<Long, Object> facts = new LinkedHashMap<>();
        facts.put(1L, givenName);
        facts.put(2L, familyName);
        if (birthDate != null) {
            facts.put(3L, birthDate.toString());
        }
        List<Object> list = new ArrayList<>(modules.size());
        for (Module module : modules) {
            list.add(module.facts());
        }
        facts.put(4L, list);
        Map<Long, Object> claims = new LinkedHashMap<>();
        claims.put(Card.ISS, issuer);
        claims.put(Card.IAT, issuedAt.getEpochSecond());
        claims.put(FACTS, facts);
        return claims;
    }

    /**
     * Reads the claims a worker's card's payload decodes to.
     *
     * @throws IllegalArgumentException saying what is missing, unknown or malformed
     */
    static WorkerCard fromClaims(Object decoded) {
        Map<Long, Object> claims = Card.map(decoded, "claims");
        Card.known(claims, "claim", Card.ISS, Card.IAT, FACTS);
        Map<Long, Object> facts = Card.map(claims.get(FACTS), "worker facts (claim -65538)");
        Card.known(facts, "fact", 1, 2, 3, 4);
        if (!(facts.get(4L) instanceof List<?> list)) {
            throw new IllegalArgumentException("modules (fact 4) is not an array");
        }
        if (list.size() > MAX_MODULES) {
            throw new IllegalArgumentException("more than " + MAX_MODULES + " modules");
        }
        List<Module> modules = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            modules.add(Module.of(list.get(i), i));
        }
        String given = Card.text(facts, 1);
        String family = Card.text(facts, 2);
        String issuer = Card.text(claims, Card.ISS);
        if (given == null || family == null || issuer == null) {
            throw new IllegalArgumentException("the worker's names (facts 1, 2) and the issuer (claim 1) are required");
        }
        return new WorkerCard(given, family, Card.date(facts, 3), modules, issuer, Card.issuedAt(claims));
    }

    @Override
    public String toString() {
        return "WorkerCard[" + givenName + " " + familyName + ", " + birthDate + ", " + modules + ", by " + issuer
                + " at " + issuedAt + "]";
    }
}
