package dev.dossier.chaincode;

import java.time.YearMonth;
import java.util.Locale;

/**
 * Checks of the short tokens the contract accepts (commitments, pseudonyms, kinds, dates), written as plain loops so
 * that the bulk path does no regular-expression work per entry.
 */
final class Tokens {
    /** What {@link #isKind} accepts, for messages. */
    static final String KIND_RULE = "[a-z][a-z0-9._-]{0,31}";

    /** What {@link #isCode} accepts, for messages. */
    static final String CODE_RULE = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";

    private Tokens() {}

    /**
     * @return whether {@code s} is a project or module code, {@value #CODE_RULE}: letters (either case), digits and
     *     {@code ._-}, as course codes are written (never free text)
     */
    static boolean isCode(String s) {
        if (s == null || s.isEmpty() || s.length() > 64) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || (i > 0 && (c == '.' || c == '_' || c == '-'));
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * @return {@code hex} in lowercase if it is exactly 64 hexadecimal digits (either case), else null
     */
    static String lowerHex64(String hex) {
        if (hex == null || hex.length() != 64) {
            return null;
        }
        boolean lower = true;
        for (int i = 0; i < 64; i++) {
            char c = hex.charAt(i);
            if (c >= 'A' && c <= 'F') {
                lower = false;
            } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return null;
            }
        }
        return lower ? hex : hex.toLowerCase(Locale.ROOT);
    }

    /** @return whether {@code s} is a short lowercase token, {@value #KIND_RULE} (never free text) */
    static boolean isKind(String s) {
        if (s == null || s.isEmpty() || s.length() > 32 || s.charAt(0) < 'a' || s.charAt(0) > 'z') {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** @return whether {@code s} is an ISO-8601 calendar date {@code YYYY-MM-DD} that exists */
    static boolean isDate(String s) {
        if (s == null || s.length() != 10 || s.charAt(4) != '-' || s.charAt(7) != '-') {
            return false;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        int day = digits(s, 8, 10);
        if (year < 0 || month < 1 || month > 12 || day < 1) {
            return false;
        }
        return day <= YearMonth.of(year, month).lengthOfMonth();
    }

    private static int digits(String s, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** @return {@code s} cut to 80 characters for an error message, or "null" */
    static String abbreviate(String s) {
        if (s == null) {
            return "null";
        }
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
