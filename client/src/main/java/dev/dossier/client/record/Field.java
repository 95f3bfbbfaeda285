package dev.dossier.client.record;

import java.util.HashMap;
import java.util.Map;

/**
 * The fields of a training record: their column name in the bulk CSV format ({@code docs/design.md}, "Data model") and
 * their place in the record's JSON form. The JSON form nests the worker under {@code subject}, the employer and the
 * provider under their own objects, and the course's description under {@code course}; dates, the safety module and the
 * rest stay at the top level.
 */
public enum Field {
    RECORD_ID("record_id", null, "record_id", Kind.TEXT),
    VERSION("version", null, "version", Kind.INTEGER),
    WORKER_FISCAL_CODE("worker_fiscal_code", "subject", "fiscal_code", Kind.TEXT),
    WORKER_GIVEN_NAME("worker_given_name", "subject", "given_name", Kind.TEXT),
    WORKER_FAMILY_NAME("worker_family_name", "subject", "family_name", Kind.TEXT),
    WORKER_BIRTH_DATE("worker_birth_date", "subject", "birth_date", Kind.DATE),
    EMPLOYER_VAT("employer_vat", "employer", "vat", Kind.TEXT),
    EMPLOYER_NAME("employer_name", "employer", "name", Kind.TEXT),
    PROVIDER_NAME("provider_name", "provider", "name", Kind.TEXT),
    PROVIDER_ACCREDITATION("provider_accreditation", "provider", "accreditation", Kind.TEXT),
    COURSE_CODE("course_code", "course", "code", Kind.TEXT),
    COURSE_TITLE("course_title", "course", "title", Kind.TEXT),
    SECTOR("sector", "course", "sector", Kind.TEXT),
    SAFETY_MODULE("safety_module", null, "safety_module", Kind.TEXT),
    ATLANTE_ADA("atlante_ada", "course", "atlante_ada", Kind.TEXT),
    ESCO_SKILLS("esco_skills", "course", "esco_skills", Kind.LIST),
    EQF_LEVEL("eqf_level", "course", "eqf_level", Kind.INTEGER),
    LEARNING_OUTCOMES("learning_outcomes", "course", "learning_outcomes", Kind.TEXT),
    WORKLOAD_HOURS("workload_hours", "course", "workload_hours", Kind.DECIMAL),
    ECTS("ects", "course", "ects", Kind.DECIMAL),
    DELIVERY_MODE("delivery_mode", "course", "delivery_mode", Kind.TEXT),
    ASSESSMENT_TYPE("assessment_type", "course", "assessment_type", Kind.TEXT),
    QUALITY_ASSURANCE("quality_assurance", "course", "quality_assurance", Kind.TEXT),
    START_DATE("start_date", null, "start_date", Kind.DATE),
    END_DATE("end_date", null, "end_date", Kind.DATE),
    ISSUE_DATE("issue_date", null, "issue_date", Kind.DATE),
    VALID_UNTIL("valid_until", null, "valid_until", Kind.DATE),
    COUNTRY("country", null, "country", Kind.TEXT),
    LANGUAGE("language", null, "language", Kind.TEXT),
    EVIDENCE_SHA256("evidence_sha256", null, "evidence_sha256", Kind.TEXT);

    /** How a field's text is typed in the JSON form. */
    enum Kind {
        TEXT,
        DATE,
        INTEGER,
        DECIMAL,
        /** {@code ;}-separated in CSV, a JSON array of strings in the record. */
        LIST
    }

    private static final Map<String, Field> BY_COLUMN = new HashMap<>();

    static {
        for (Field f : values()) {
            BY_COLUMN.put(f.column, f);
        }
    }

    private final String column;
    private final String group;
    private final String member;
    private final Kind kind;

    Field(String column, String group, String member, Kind kind) {
        this.column = column;
        this.group = group;
        this.member = member;
        this.kind = kind;
    }

    /** @return the CSV column name, also used to name the field in error reports */
    public String column() {
        return column;
    }

    /** @return the JSON object the field sits in ({@code subject}, {@code course}...), or null for the top level */
    String group() {
        return group;
    }

    /** @return the member name inside its group */
    String member() {
        return member;
    }

    Kind kind() {
        return kind;
    }

    /** @return the field with this CSV column name, or null */
    static Field byColumn(String column) {
        return BY_COLUMN.get(column);
    }
}
