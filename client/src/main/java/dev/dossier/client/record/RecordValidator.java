package dev.dossier.client.record;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Validates the rows of one input file, in order, into {@link TrainingRecord}s. A row is refused with every
 * {@link Violation} found, so that a person can fix it in one go. Checked:
 *
 * <ul>
 *   <li>the mandatory elements of an EU micro-credential (Council Recommendation 2022/C 243/02, Annex I): learner
 *       (fiscal code, given and family name), title, country, awarding body ({@code provider_name}), date of issue,
 *       learning outcomes, notional workload ({@code workload_hours} or {@code ects}), type of assessment, form of
 *       participation ({@code delivery_mode}) and quality assurance; the EQF level is optional ("if applicable");
 *   <li>the fiscal code: form, omocodia letters, month and day, check character, and agreement with the birth date;
 *   <li>dates: ISO-8601 {@code YYYY-MM-DD} and real calendar days; end not before start, issue not before end,
 *       {@code valid_until} not before issue and not beyond the safety module's refresher period
 *       ({@link SafetyModules}), which gives {@code valid_until} when the row has none;
 *   <li>workload hours and ECTS positive; EQF level an integer 1 to 8; safety module one of the known codes;
 *       {@code evidence_sha256} 64 hexadecimal digits; country two letters (ISO 3166-1), language two letters
 *       (ISO 639-1); record id at most 128 characters; no control characters in any text;
 *   <li>a record id (with its version) that occurs more than once in the same file: every occurrence but the last is
 *       refused, the last being taken as the one that stands. This needs a first pass over the file
 *       ({@link FileScan}); it remembers a 64-bit fingerprint per id, so two different ids are mistaken for each other
 *       with probability about n²/2⁶⁵.
 * </ul>
 *
 * <p>Thread-safe: it holds no state beyond the scan.
 */
public final class RecordValidator {
    private static final Set<Field> REQUIRED = Set.of(
            Field.RECORD_ID,
            Field.WORKER_FISCAL_CODE,
            Field.WORKER_GIVEN_NAME,
            Field.WORKER_FAMILY_NAME,
            Field.PROVIDER_NAME,
            Field.COURSE_TITLE,
            Field.LEARNING_OUTCOMES,
            Field.DELIVERY_MODE,
            Field.ASSESSMENT_TYPE,
            Field.QUALITY_ASSURANCE,
            Field.ISSUE_DATE,
            Field.COUNTRY);
    private static final int MAX_RECORD_ID = 128;
    private static final BigDecimal MAX_HOURS = BigDecimal.valueOf(10_000);

    private final FileScan scan;

    /** @param scan the first pass over the same file, which tells which record ids repeat */
    public RecordValidator(FileScan scan) {
        this.scan = java.util.Objects.requireNonNull(scan, "scan");
    }

    /** A validator for rows that do not come from a scanned file: it does not look for repeated record ids. */
    public RecordValidator() {
        this(FileScan.none());
    }

    /** @return the result of validating {@code row} */
    public ValidatedRow validate(RawRow row) {
        List<Violation> violations = new ArrayList<>(row.problems());
        Map<Field, String> values = new EnumMap<>(Field.class);
        for (Map.Entry<String, String> e : row.fields().entrySet()) {
            Field field = Field.byColumn(e.getKey());
            if (field == null) {
                violations.add(new Violation(e.getKey(), "unknown field"));
                continue;
            }
            String text = e.getValue() == null ? "" : e.getValue().strip();
            if (!text.isEmpty()) {
                values.put(field, text);
            }
        }
        String recordId = values.get(Field.RECORD_ID);
        if (!row.problems().isEmpty()) {
            return new ValidatedRow(row.line(), recordId, null, violations);
        }
        for (Field field : REQUIRED) {
            if (!values.containsKey(field)) {
                violations.add(Violation.of(field, "required, and empty or missing"));
            }
        }
        for (Map.Entry<Field, String> e : values.entrySet()) {
            if (hasControlCharacter(e.getValue())) {
                violations.add(Violation.of(e.getKey(), "contains control characters"));
            }
        }
        values.putIfAbsent(Field.VERSION, "1");
        normalise(values, violations);
        checkDates(values, violations);
        if (!values.containsKey(Field.WORKLOAD_HOURS) && !values.containsKey(Field.ECTS)) {
            violations.add(Violation.of(Field.WORKLOAD_HOURS, "the workload is required: workload_hours or ects"));
        }
        if (scan.repeatedLater(row)) {
            violations.add(Violation.of(
                    Field.RECORD_ID,
                    "duplicate record id " + recordId
                            + ": it occurs again later in this file, and only its last occurrence is anchored"));
        }
        if (!violations.isEmpty()) {
            return new ValidatedRow(row.line(), recordId, null, violations);
        }
        return new ValidatedRow(row.line(), recordId, new TrainingRecord(values), List.of());
    }

    private static void normalise(Map<Field, String> values, List<Violation> violations) {
        String recordId = values.get(Field.RECORD_ID);
        if (recordId != null && recordId.length() > MAX_RECORD_ID) {
            violations.add(Violation.of(Field.RECORD_ID, "longer than " + MAX_RECORD_ID + " characters"));
        }
        integer(values, Field.VERSION, 1, Integer.MAX_VALUE, violations);
        integer(values, Field.EQF_LEVEL, 1, 8, violations);
        decimal(values, Field.WORKLOAD_HOURS, violations);
        decimal(values, Field.ECTS, violations);

        String fiscalCode = values.computeIfPresent(Field.WORKER_FISCAL_CODE, (f, v) -> v.toUpperCase(Locale.ROOT));
        if (fiscalCode != null) {
            String problem = FiscalCodes.problem(fiscalCode);
            if (problem != null) {
                violations.add(Violation.of(Field.WORKER_FISCAL_CODE, problem));
            } else {
                LocalDate birth = date(values, Field.WORKER_BIRTH_DATE, violations);
                String mismatch = birth == null ? null : FiscalCodes.birthDateMismatch(fiscalCode, birth);
                if (mismatch != null) {
                    violations.add(Violation.of(Field.WORKER_FISCAL_CODE, mismatch));
                }
            }
        }
        String country = values.computeIfPresent(Field.COUNTRY, (f, v) -> v.toUpperCase(Locale.ROOT));
        if (country != null && !twoLetters(country)) {
            violations.add(Violation.of(Field.COUNTRY, "must be an ISO 3166-1 alpha-2 code, got '" + country + "'"));
        }
        String language = values.computeIfPresent(Field.LANGUAGE, (f, v) -> v.toLowerCase(Locale.ROOT));
        if (language != null && !twoLetters(language)) {
            violations.add(Violation.of(Field.LANGUAGE, "must be an ISO 639-1 code, got '" + language + "'"));
        }
        String evidence = values.computeIfPresent(Field.EVIDENCE_SHA256, (f, v) -> v.toLowerCase(Locale.ROOT));
        if (evidence != null && !dev.dossier.client.digest.Hex.is64(evidence)) {
            violations.add(Violation.of(Field.EVIDENCE_SHA256, "must be a SHA-256 digest, 64 hexadecimal digits"));
        }
        String module = values.get(Field.SAFETY_MODULE);
        if (module != null && !SafetyModules.known(module)) {
            violations.add(Violation.of(
                    Field.SAFETY_MODULE,
                    "unknown safety module '" + module + "', expected one of "
                            + String.join(", ", SafetyModules.codes())));
        }
        String skills = values.get(Field.ESCO_SKILLS);
        if (skills != null) {
            for (String skill : skills.split(";", -1)) {
                if (!skill.startsWith("http://") && !skill.startsWith("https://")) {
                    violations.add(
                            Violation.of(Field.ESCO_SKILLS, "each skill must be an ESCO URI, got '" + skill + "'"));
                    break;
                }
            }
        }
    }

    private static void checkDates(Map<Field, String> values, List<Violation> violations) {
        LocalDate start = date(values, Field.START_DATE, violations);
        LocalDate end = date(values, Field.END_DATE, violations);
        LocalDate issue = date(values, Field.ISSUE_DATE, violations);
        LocalDate validUntil = date(values, Field.VALID_UNTIL, violations);
        if (start != null && end != null && end.isBefore(start)) {
            violations.add(Violation.of(Field.END_DATE, "end date " + end + " is before start date " + start));
        }
        if (end != null && issue != null && issue.isBefore(end)) {
            violations.add(Violation.of(Field.ISSUE_DATE, "issue date " + issue + " is before end date " + end));
        } else if (end == null && start != null && issue != null && issue.isBefore(start)) {
            violations.add(Violation.of(Field.ISSUE_DATE, "issue date " + issue + " is before start date " + start));
        }
        String module = values.get(Field.SAFETY_MODULE);
        if (issue == null || (module != null && !SafetyModules.known(module))) {
            return;
        }
        Optional<LocalDate> latest = module == null ? Optional.empty() : SafetyModules.validUntil(module, issue);
        if (validUntil == null) {
            latest.ifPresent(d -> values.put(Field.VALID_UNTIL, d.toString()));
        } else if (validUntil.isBefore(issue)) {
            violations.add(
                    Violation.of(Field.VALID_UNTIL, "valid_until " + validUntil + " is before issue date " + issue));
        } else if (latest.isPresent() && validUntil.isAfter(latest.get())) {
            violations.add(Violation.of(
                    Field.VALID_UNTIL,
                    "valid_until " + validUntil + " is beyond the "
                            + SafetyModules.refresher(module).orElseThrow().getYears() + "-year refresher period of "
                            + module + " (at most " + latest.get() + ")"));
        }
    }

    /** @return the parsed date, or null if absent or invalid (then a violation is added) */
    private static LocalDate date(Map<Field, String> values, Field field, List<Violation> violations) {
        String text = values.get(field);
        if (text == null) {
            return null;
        }
        if (text.length() != 10) {
            violations.add(Violation.of(field, "'" + text + "' is not an ISO-8601 date (YYYY-MM-DD)"));
            return null;
        }
        try {
            return LocalDate.parse(text); // ISO_LOCAL_DATE resolves strictly: 2024-02-30 is refused
        } catch (DateTimeParseException e) {
            violations.add(Violation.of(field, "'" + text + "' is not a real ISO-8601 date (YYYY-MM-DD)"));
            return null;
        }
    }

    private static void integer(Map<Field, String> values, Field field, int min, int max, List<Violation> violations) {
        String text = values.get(field);
        if (text == null) {
            return;
        }
        try {
            long value = Long.parseLong(text);
            if (value < min || value > max) {
                violations.add(Violation.of(field, "must be between " + min + " and " + max + ", got " + text));
            } else {
                values.put(field, Long.toString(value));
            }
        } catch (NumberFormatException e) {
            violations.add(Violation.of(field, "must be an integer, got '" + text + "'"));
        }
    }

    private static void decimal(Map<Field, String> values, Field field, List<Violation> violations) {
        String text = values.get(field);
        if (text == null) {
            return;
        }
        BigDecimal value;
        try {
            value = new BigDecimal(text);
        } catch (NumberFormatException e) {
            violations.add(Violation.of(field, "must be a number, got '" + text + "'"));
            return;
        }
        if (value.signum() <= 0) {
            violations.add(Violation.of(field, "must be positive, got " + text));
        } else if (value.compareTo(MAX_HOURS) > 0 || value.scale() > 2) {
            violations.add(
                    Violation.of(field, "must be at most " + MAX_HOURS + " with at most two decimals, got " + text));
        } else {
            values.put(field, value.stripTrailingZeros().toPlainString());
        }
    }

    private static boolean twoLetters(String s) {
        return s.length() == 2
                && Character.isLetter(s.charAt(0))
                && Character.isLetter(s.charAt(1))
                && s.charAt(0) < 128
                && s.charAt(1) < 128;
    }

    private static boolean hasControlCharacter(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c < 0xa0)) {
                return true;
            }
        }
        return false;
    }
}
