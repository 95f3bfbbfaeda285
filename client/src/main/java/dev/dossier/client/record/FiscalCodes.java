package dev.dossier.client.record;

import java.text.Normalizer;
import java.time.LocalDate;
import java.util.Locale;

/**
 * Italian fiscal codes (codice fiscale) of natural persons, as defined by D.M. 23 dicembre 1976 and D.P.R. 605/1973:
 * 16 characters {@code SSSNNNYYMDDZZZZC} (surname and name letters, year, month letter, day (+40 for women),
 * Belfiore place code, check character). When two people would get the same code, the Agenzia delle Entrate replaces
 * digits, from the right, by the omocodia letters {@code L M N P Q R S T U V} (for 0 to 9); such codes are valid and
 * their check character is computed over the letters as written.
 */
final class FiscalCodes {
    private static final String MONTHS = "ABCDEHLMPRST";
    private static final String OMOCODIA = "LMNPQRSTUV";
    /** Positions (0-based) holding digits, or omocodia letters in their place. */
    private static final int[] DIGIT_POSITIONS = {6, 7, 9, 10, 12, 13, 14};
    /** Values of the characters in odd positions (1st, 3rd, ... 15th), for 0-9 then A-Z. */
    private static final int[] ODD_DIGITS = {1, 0, 5, 7, 9, 13, 15, 17, 19, 21};

    private static final int[] ODD_LETTERS = {
        1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23
    };

    private FiscalCodes() {}

    /**
     * @return the fiscal code of a natural person born in the place with {@code belfiore} code, as the Agenzia delle
     *     Entrate first assigns it (without omocodia)
     */
    static String of(String family, String given, LocalDate birth, boolean female, String belfiore) {
        String surname = letters(family);
        String consonants = consonants(surname);
        String sCode = pad(consonants + vowels(surname));
        String name = letters(given);
        String nameConsonants = consonants(name);
        String nCode = nameConsonants.length() >= 4
                ? "" + nameConsonants.charAt(0) + nameConsonants.charAt(2) + nameConsonants.charAt(3)
                : pad(nameConsonants + vowels(name));
        String code = sCode
                + nCode
                + String.format(Locale.ROOT, "%02d", birth.getYear() % 100)
                + MONTHS.charAt(birth.getMonthValue() - 1)
                + String.format(Locale.ROOT, "%02d", birth.getDayOfMonth() + (female ? 40 : 0))
                + belfiore;
        return code + checkCharacter(code);
    }

    private static String letters(String s) {
        return Normalizer.normalize(s, Normalizer.Form.NFD)
                .toUpperCase(Locale.ROOT)
                .replaceAll("[^A-Z]", "");
    }

    private static String consonants(String s) {
        return s.replaceAll("[AEIOU]", "");
    }

    private static String vowels(String s) {
        return s.replaceAll("[^AEIOU]", "");
    }

    private static String pad(String s) {
        return (s + "XXX").substring(0, 3);
    }

    /**
     * @param code the fiscal code, upper case
     * @return null if the code is well formed and its check character is right, otherwise the reason
     */
    static String problem(String code) {
        if (code.length() != 16) {
            return "fiscal code must have 16 characters, got " + code.length();
        }
        for (int i = 0; i < 16; i++) {
            char c = code.charAt(i);
            boolean digitPosition = isDigitPosition(i);
            boolean ok = digitPosition ? isDigitOrOmocodia(c) : c >= 'A' && c <= 'Z';
            if (!ok) {
                return "fiscal code character " + (i + 1) + " ('" + c + "') must be "
                        + (digitPosition ? "a digit or an omocodia letter (LMNPQRSTUV)" : "a letter A-Z");
            }
        }
        if (MONTHS.indexOf(code.charAt(8)) < 0) {
            return "fiscal code month letter '" + code.charAt(8) + "' is not one of " + MONTHS;
        }
        int day = digit(code.charAt(9)) * 10 + digit(code.charAt(10));
        if (!(day >= 1 && day <= 31) && !(day >= 41 && day <= 71)) {
            return "fiscal code day " + day + " is not 1-31 (men) or 41-71 (women)";
        }
        char expected = checkCharacter(code);
        if (code.charAt(15) != expected) {
            return "fiscal code check character is '" + code.charAt(15) + "', expected '" + expected + "'";
        }
        return null;
    }

    /**
     * @param code a well-formed fiscal code ({@link #problem} returned null)
     * @return null if the code's year (two digits), month and day agree with {@code birthDate}, otherwise the reason
     */
    static String birthDateMismatch(String code, LocalDate birthDate) {
        int year = digit(code.charAt(6)) * 10 + digit(code.charAt(7));
        int month = MONTHS.indexOf(code.charAt(8)) + 1;
        int day = digit(code.charAt(9)) * 10 + digit(code.charAt(10));
        int dayOfMonth = day > 40 ? day - 40 : day;
        if (year != birthDate.getYear() % 100
                || month != birthDate.getMonthValue()
                || dayOfMonth != birthDate.getDayOfMonth()) {
            return "fiscal code encodes birth date " + String.format("%02d-%02d-%02d", year, month, dayOfMonth)
                    + " (yy-mm-dd), the record says " + birthDate;
        }
        return null;
    }

    /** @return the check character of the first 15 characters of a well-formed code */
    static char checkCharacter(String code) {
        int sum = 0;
        for (int i = 0; i < 15; i++) {
            char c = code.charAt(i);
            boolean isDigit = c >= '0' && c <= '9';
            if (i % 2 == 0) { // 1st, 3rd, ... character: "odd" in the decree's 1-based counting
                sum += isDigit ? ODD_DIGITS[c - '0'] : ODD_LETTERS[c - 'A'];
            } else {
                sum += isDigit ? c - '0' : c - 'A';
            }
        }
        return (char) ('A' + sum % 26);
    }

    private static boolean isDigitPosition(int i) {
        for (int p : DIGIT_POSITIONS) {
            if (p == i) {
                return true;
            }
        }
        return false;
    }

    private static boolean isDigitOrOmocodia(char c) {
        return (c >= '0' && c <= '9') || OMOCODIA.indexOf(c) >= 0;
    }

    private static int digit(char c) {
        return c >= '0' && c <= '9' ? c - '0' : OMOCODIA.indexOf(c);
    }
}
