package dev.dossier.client.record;

import static java.util.Objects.requireNonNull;

import dev.dossier.client.record.SampleCatalogue.Course;
import dev.dossier.common.hash.Sha256;
import java.io.IOException;
import java.io.Writer;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * Realistic synthetic Italian training records in the bulk CSV format ({@link Field}), for tests, the demo and the
 * benchmarks: {@code dossier sample-data}.
 *
 * <p>Every clean row passes {@link RecordValidator}: a fiscal code with its check character (no omocodia) that
 * agrees with the birth date and sex, a partita IVA with its check digit, a worker and employer of {@link SamplePeople}, a course of {@link SampleCatalogue} with its
 * safety module and legal hours, dates with {@code start ≤ end ≤ issue ≤ valid_until ≤ issue + refresher period}, an
 * EQF level, optional ECTS and an optional evidence digest. Workers get several trainings each (three consecutive rows
 * share a worker).
 *
 * <p>Invariants:
 *
 * <ul>
 *   <li><b>Deterministic</b>: row {@code n} depends only on the seed and {@code n} (each row draws from its own
 *       SplitMix64 generator, written here so that no JDK change alters the output), so the same arguments give the
 *       same bytes on every platform, and {@code rows = N + k} starts with the {@code N} rows of {@code rows = N} (in
 *       dirty mode, all but the last five: near the end a duplicate has no later row to copy). Record ids are {@code
 *       <employer VAT>-<seed>-<n>}: files of different seeds or of disjoint {@code first..first+rows} ranges hold
 *       different records.
 *   <li><b>Dirty mode</b>: about one row in {@link #DIRTY_ONE_IN} carries exactly one defect of a {@link Defect}
 *       kind, and the report lists exactly the CSV lines {@link RecordValidator} refuses, with the reason. The
 *       {@link Defect#DUPLICATE_ID} row takes the record id of the row five lines later (which keeps its own), because
 *       the validator refuses every occurrence of a repeated id but the last.
 *   <li><b>Streaming</b>: memory does not grow with {@code rows}.
 * </ul>
 *
 * <pre>{@code
 * try (Writer csv = Files.newBufferedWriter(out); Writer bad = Files.newBufferedWriter(badRows)) {
 *     SampleData.builder().seed(7).rows(10_000).dirty(bad).build().write(csv);
 * }
 * }</pre>
 */
public final class SampleData {
    /** In dirty mode, one row in this many, on average, is made bad. */
    public static final int DIRTY_ONE_IN = 50;

    /** The last day of the generated trainings: output never depends on today's date. */
    static final LocalDate LATEST_START = LocalDate.of(2026, 6, 30);

    private static final LocalDate EARLIEST_START = LocalDate.of(2018, 1, 1);
    private static final int ROWS_PER_WORKER = 3;
    private static final int DUPLICATE_DISTANCE = 5;
    private static final HexFormat HEX = HexFormat.of();

    /** The kinds of bad rows the dirty mode writes. */
    public enum Defect {
        FISCAL_CODE_CHECK("bad fiscal-code check character"),
        IMPOSSIBLE_DATE("impossible start date"),
        EMPTY_TITLE("empty course title"),
        NEGATIVE_HOURS("negative workload hours"),
        END_BEFORE_START("end date before start date"),
        DUPLICATE_ID("record id repeated later in the file"),
        EQF_OUT_OF_RANGE("EQF level out of range 1-8"),
        MALFORMED_HASH("malformed evidence SHA-256");

        private final String description;

        Defect(String description) {
            this.description = description;
        }

        /** @return the defect in a few words, as written in the bad-rows report */
        public String description() {
            return description;
        }
    }

    private final long seed;
    private final long first;
    private final long rows;
    private final Writer badRows;
    private final LongConsumer progress;

    private SampleData(Builder b) {
        this.seed = b.seed;
        this.first = b.first;
        this.rows = b.rows;
        this.badRows = b.badRows;
        this.progress = b.progress;
    }

    /** @return a builder: seed 0, rows 0..999, clean, no progress */
    public static Builder builder() {
        return new Builder();
    }

    /** Options of a {@link SampleData}; not thread-safe. */
    public static final class Builder {
        private long seed;
        private long first;
        private long rows = 1000;
        private Writer badRows;
        private LongConsumer progress = n -> {};

        private Builder() {}

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** @param first the number of the first row (default 0): record ids are numbered from it */
        public Builder first(long first) {
            if (first < 0) {
                throw new IllegalArgumentException("first must be at least 0, got " + first);
            }
            this.first = first;
            return this;
        }

        public Builder rows(long rows) {
            if (rows < 0) {
                throw new IllegalArgumentException("rows must be at least 0, got " + rows);
            }
            this.rows = rows;
            return this;
        }

        /**
         * Dirty mode.
         *
         * @param report receives one line per bad row, in line order: {@code <line> <defect>: <why>}, where line 1 is
         *     the CSV header
         */
        public Builder dirty(Writer report) {
            this.badRows = requireNonNull(report, "report");
            return this;
        }

        /** @param progress told the number of rows written so far, every 10,000 rows and at the end */
        public Builder progress(LongConsumer progress) {
            this.progress = requireNonNull(progress, "progress");
            return this;
        }

        public SampleData build() {
            return new SampleData(this);
        }
    }

    /**
     * Writes the header and the rows.
     *
     * @throws IOException if {@code csv} or the bad-rows report cannot be written
     */
    public void write(Writer csv) throws IOException {
        requireNonNull(csv, "csv");
        List<String> header = new ArrayList<>();
        for (Field f : Field.values()) {
            if (f != Field.VERSION) {
                header.add(f.column());
            }
        }
        csv.write(String.join(",", header));
        csv.write('\n');
        long end = first + rows;
        for (long n = first; n < end; n++) {
            String[] row = clean(n);
            Optional<Defect> defect = badRows == null ? Optional.empty() : defect(n, end);
            if (defect.isPresent()) {
                String why = spoil(row, n, defect.get());
                badRows.write((n - first + 2) + " " + defect.get().name().toLowerCase(Locale.ROOT) + ": " + why + "\n");
            }
            writeRow(csv, row);
            long written = n - first + 1;
            if (written % 10_000 == 0 || written == rows) {
                progress.accept(written);
            }
        }
        csv.flush();
        if (badRows != null) {
            badRows.flush();
        }
    }

    /** @return the defect of row {@code n} of a file ending before row {@code end}, if it is to be bad */
    private Optional<Defect> defect(long n, long end) {
        SplitMix64 r = random(n, 0xD1271L);
        if (r.nextInt(DIRTY_ONE_IN) != 0) {
            return Optional.empty();
        }
        Defect d = Defect.values()[r.nextInt(Defect.values().length)];
        if (d == Defect.DUPLICATE_ID) {
            long target = n + DUPLICATE_DISTANCE;
            // the row whose id it takes must exist and keep its own id, or nothing would be repeated
            if (target >= end || defect(target, end).equals(Optional.of(Defect.DUPLICATE_ID))) {
                d = Defect.EMPTY_TITLE;
            }
        }
        return Optional.of(d);
    }

    /** Gives the clean {@code row} number {@code n} its defect; @return why the validator refuses it */
    private String spoil(String[] row, long n, Defect defect) {
        SplitMix64 r = random(n, 0xBAD5L);
        switch (defect) {
            case FISCAL_CODE_CHECK -> {
                String code = get(row, Field.WORKER_FISCAL_CODE);
                char right = code.charAt(15);
                char wrong = (char) ('A' + (right - 'A' + 1 + r.nextInt(25)) % 26);
                set(row, Field.WORKER_FISCAL_CODE, code.substring(0, 15) + wrong);
                return "check character '" + wrong + "' instead of '" + right + "'";
            }
            case IMPOSSIBLE_DATE -> {
                String start = get(row, Field.START_DATE);
                String bad = start.substring(0, 5) + (r.nextBoolean() ? "02-30" : "13-01");
                set(row, Field.START_DATE, bad);
                return "start_date " + bad + " is not a calendar day";
            }
            case EMPTY_TITLE -> {
                set(row, Field.COURSE_TITLE, "");
                return "course_title is empty";
            }
            case NEGATIVE_HOURS -> {
                set(row, Field.WORKLOAD_HOURS, "-" + get(row, Field.WORKLOAD_HOURS));
                return "workload_hours " + get(row, Field.WORKLOAD_HOURS);
            }
            case END_BEFORE_START -> {
                LocalDate start = LocalDate.parse(get(row, Field.START_DATE));
                String end = start.minusDays(1 + r.nextInt(30)).toString();
                set(row, Field.END_DATE, end);
                return "end_date " + end + " is before start_date " + start;
            }
            case DUPLICATE_ID -> {
                long target = n + DUPLICATE_DISTANCE;
                String id = recordId(target);
                set(row, Field.RECORD_ID, id);
                return "record_id " + id + " occurs again on line " + (target - first + 2);
            }
            case EQF_OUT_OF_RANGE -> {
                String level = r.nextBoolean() ? "0" : "9";
                set(row, Field.EQF_LEVEL, level);
                return "eqf_level " + level;
            }
            case MALFORMED_HASH -> {
                String hash = HEX.formatHex(Sha256.of("evidence " + n)).substring(0, 63) + "g";
                set(row, Field.EVIDENCE_SHA256, hash);
                return "evidence_sha256 ends in a non-hexadecimal character";
            }
            default -> throw new AssertionError(defect);
        }
    }

    /** @return the values of clean row {@code n}, in {@link Field} order without {@link Field#VERSION} */
    private String[] clean(long n) {
        String[] row = new String[Field.values().length - 1];
        Worker worker = worker(n);
        boolean female = worker.female();
        String given = worker.given();
        String family = worker.family();
        LocalDate birth = worker.birth();
        String[] place = worker.place();
        String[] employer = worker.employer();

        SplitMix64 r = random(n, 0x7A1EL);
        Course course = r.pick(SampleCatalogue.COURSES);
        String[] provider = r.pick(SampleCatalogue.PROVIDERS);
        LocalDate earliest = birth.plusYears(18).isAfter(EARLIEST_START) ? birth.plusYears(18) : EARLIEST_START;
        LocalDate start = earliest.plusDays(r.nextLong(LATEST_START.toEpochDay() - earliest.toEpochDay() + 1));
        double hours = Double.parseDouble(course.hours());
        LocalDate end = start.plusDays(Math.max(0, (long) Math.ceil(hours / 8) - 1) + (r.nextInt(4) == 0 ? 7 : 0));
        LocalDate issue = end.plusDays(r.nextInt(15));
        String validUntil = "";
        if (course.module() != null && r.nextBoolean()) {
            Optional<Period> period = SafetyModules.refresher(course.module());
            validUntil = period.map(p -> issue.plus(p).toString()).orElse("");
        }

        set(row, Field.RECORD_ID, recordId(n));
        set(row, Field.WORKER_FISCAL_CODE, FiscalCodes.of(family, given, birth, female, place[1]));
        set(row, Field.WORKER_GIVEN_NAME, given);
        set(row, Field.WORKER_FAMILY_NAME, family);
        set(row, Field.WORKER_BIRTH_DATE, birth.toString());
        set(row, Field.EMPLOYER_VAT, vat(employer[1]));
        set(row, Field.EMPLOYER_NAME, employer[0]);
        set(row, Field.PROVIDER_NAME, provider[0]);
        set(row, Field.PROVIDER_ACCREDITATION, provider[1]);
        set(row, Field.COURSE_CODE, course.code());
        set(row, Field.COURSE_TITLE, course.title());
        set(row, Field.SECTOR, course.sector());
        set(row, Field.SAFETY_MODULE, course.module() == null ? "" : course.module());
        set(row, Field.ATLANTE_ADA, course.ada());
        set(row, Field.ESCO_SKILLS, String.join(";", course.skills()));
        set(row, Field.EQF_LEVEL, Integer.toString(course.eqf()));
        set(row, Field.LEARNING_OUTCOMES, "Knows and applies: " + course.title().toLowerCase(Locale.ROOT));
        set(row, Field.WORKLOAD_HOURS, course.hours());
        set(row, Field.ECTS, course.ects() == null ? "" : course.ects());
        set(row, Field.DELIVERY_MODE, r.pick(SampleCatalogue.DELIVERY_MODES));
        set(row, Field.ASSESSMENT_TYPE, r.pick(SampleCatalogue.ASSESSMENTS));
        set(row, Field.QUALITY_ASSURANCE, r.pick(SampleCatalogue.QUALITY_ASSURANCE));
        set(row, Field.START_DATE, start.toString());
        set(row, Field.END_DATE, end.toString());
        set(row, Field.ISSUE_DATE, issue.toString());
        set(row, Field.VALID_UNTIL, validUntil);
        set(row, Field.COUNTRY, "IT");
        set(row, Field.LANGUAGE, "it");
        set(row, Field.EVIDENCE_SHA256, r.nextInt(3) == 0 ? HEX.formatHex(Sha256.of("evidence " + n)) : "");
        return row;
    }

    /** The worker of row {@code n}: rows {@code 3k..3k+2} share one. */
    private record Worker(
            boolean female, String given, String family, LocalDate birth, String[] place, String[] employer) {}

    private Worker worker(long n) {
        SplitMix64 w = random(Math.floorDiv(n, ROWS_PER_WORKER), 0x3A7E5L);
        boolean female = w.nextBoolean();
        String given = w.pick(female ? SamplePeople.FEMALE_NAMES : SamplePeople.MALE_NAMES);
        return new Worker(
                female,
                given,
                w.pick(SamplePeople.SURNAMES),
                LocalDate.of(1960, 1, 1).plusDays(w.nextInt(45 * 365)),
                w.pick(SamplePeople.PLACES),
                w.pick(SamplePeople.EMPLOYERS));
    }

    private String recordId(long n) {
        return String.format(Locale.ROOT, "%s-%d-%07d", vat(worker(n).employer()[1]), seed, n);
    }

    private SplitMix64 random(long n, long stream) {
        return new SplitMix64(SplitMix64.mix(SplitMix64.mix(seed + stream) + n));
    }

    private static void set(String[] row, Field field, String value) {
        row[column(field)] = value;
    }

    private static String get(String[] row, Field field) {
        return row[column(field)];
    }

    /** @return the field's column: {@link Field} order without {@link Field#VERSION}, which is never written */
    private static int column(Field field) {
        return field.ordinal() < Field.VERSION.ordinal() ? field.ordinal() : field.ordinal() - 1;
    }

    /** @return the partita IVA: ten digits and the check digit of the Luhn-style rule of D.P.R. 633/1972 */
    static String vat(String tenDigits) {
        int sum = 0;
        for (int i = 0; i < 10; i++) {
            int d = tenDigits.charAt(i) - '0';
            if (i % 2 == 1) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
        }
        return tenDigits + (10 - sum % 10) % 10;
    }

    private static void writeRow(Writer csv, String[] row) throws IOException {
        for (int i = 0; i < row.length; i++) {
            if (i > 0) {
                csv.write(',');
            }
            String v = row[i];
            if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0) {
                csv.write('"');
                csv.write(v.replace("\"", "\"\""));
                csv.write('"');
            } else {
                csv.write(v);
            }
        }
        csv.write('\n');
    }
}
