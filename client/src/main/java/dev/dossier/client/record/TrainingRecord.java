package dev.dossier.client.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dossier.client.digest.Canonical;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A validated training record ({@code docs/design.md}, "Data model"), immutable. Created by {@link RecordValidator},
 * which normalises the values: text trimmed, fiscal code and country upper case, language and evidence hash lower case,
 * numbers without leading zeros, and {@code valid_until} computed from the safety module's refresher period when
 * absent.
 *
 * <p>Its JSON form ({@link #toJson()}) is what a commitment covers, after RFC 8785 canonicalisation
 * ({@link #canonicalJson()}); absent fields are left out rather than written as null:
 *
 * <pre>{@code
 * {"record_id":"01234560789-7-0000001","version":1,
 *  "subject":{"fiscal_code":"CLMNIO76E27B354X","given_name":"Ion","family_name":"Colombo","birth_date":"1976-05-27"},
 *  "employer":{"vat":"01234560789","name":"Edilizia Tirrenica S.r.l."},
 *  "provider":{"name":"Scuola Edile di Roma","accreditation":"ACCR-LAZ-0412"},
 *  "course":{"code":"SIC-PS","title":"Addetto primo soccorso gruppo B/C","sector":"metalmeccanico",
 *            "atlante_ada":"ADA.21.01.03","esco_skills":["http://data.europa.eu/esco/skill/ae97ba94"],"eqf_level":2,
 *            "learning_outcomes":"...","workload_hours":12,"delivery_mode":"onsite","assessment_type":"practical test",
 *            "quality_assurance":"Regional accreditation; sector body audit"},
 *  "safety_module":"primo_soccorso","start_date":"2025-05-27","end_date":"2025-05-28","issue_date":"2025-06-01",
 *  "valid_until":"2028-06-01","country":"IT","language":"it"}
 * }</pre>
 */
public final class TrainingRecord {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Map<Field, String> values;

    TrainingRecord(Map<Field, String> values) {
        this.values = Collections.unmodifiableMap(new EnumMap<>(values));
    }

    /** @return the normalised text of a field as it would appear in CSV, or null if absent */
    public String value(Field field) {
        return values.get(field);
    }

    /** @return the issuer-scoped record id */
    public String recordId() {
        return values.get(Field.RECORD_ID);
    }

    /** @return the record's version: 1 for a first issue, incremented by each correction */
    public int version() {
        return Integer.parseInt(values.get(Field.VERSION));
    }

    /** @return the worker's fiscal code, upper case */
    public String fiscalCode() {
        return values.get(Field.WORKER_FISCAL_CODE);
    }

    /** @return the date the credential was issued */
    public LocalDate issueDate() {
        return LocalDate.parse(values.get(Field.ISSUE_DATE));
    }

    /** @return the last day the training is valid (given, or computed from the safety module), empty if forever */
    public Optional<LocalDate> validUntil() {
        return Optional.ofNullable(values.get(Field.VALID_UNTIL)).map(LocalDate::parse);
    }

    /** @return the record's JSON form (see the class documentation); not canonical, see {@link #canonicalJson()} */
    public String toJson() {
        try {
            return MAPPER.writeValueAsString(toTree());
        } catch (JsonProcessingException e) {
            throw new AssertionError("a tree of strings and numbers always serialises", e);
        }
    }

    /**
     * The RFC 8785 canonical form of {@link #toJson()}, UTF-8: the bytes a record commitment covers. Written directly
     * (members sorted, JCS string escapes, numbers as validated: integers, or decimals with at most two fraction
     * digits, whose ECMAScript shortest form is their plain decimal form), which is several times faster than
     * canonicalising the JSON text; a test checks it equals {@code Canonical.jcs(toJson())} on the sample files. Text
     * holding control characters or UTF-16 surrogates goes through {@link Canonical#jcs} instead.
     */
    public byte[] canonicalJson() {
        StringBuilder out = new StringBuilder(1024);
        out.append('{');
        boolean first = true;
        for (Member member : CANONICAL_ORDER) {
            if (member.fields == null) {
                String text = values.get(member.field);
                if (text == null) {
                    continue;
                }
                if (needsLibrary(text)) {
                    return Canonical.jcs(toJson());
                }
                first = separator(out, first);
                appendMember(out, member.name, member.field, text);
            } else {
                boolean any = false;
                for (Member inner : member.fields) {
                    String text = values.get(inner.field);
                    if (text == null) {
                        continue;
                    }
                    if (needsLibrary(text)) {
                        return Canonical.jcs(toJson());
                    }
                    if (!any) {
                        first = separator(out, first);
                        appendString(out, member.name);
                        out.append(":{");
                        any = true;
                    } else {
                        out.append(',');
                    }
                    appendMember(out, inner.name, inner.field, text);
                }
                if (any) {
                    out.append('}');
                }
            }
        }
        return out.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A member of the JSON form: a field, or a group of fields; in JCS order (names sorted by UTF-16 code units). */
    private record Member(String name, Field field, List<Member> fields) {}

    private static final List<Member> CANONICAL_ORDER = canonicalOrder();

    private static List<Member> canonicalOrder() {
        Map<String, Member> top = new TreeMap<>();
        Map<String, Map<String, Member>> groups = new TreeMap<>();
        for (Field f : Field.values()) {
            if (f.group() == null) {
                top.put(f.member(), new Member(f.member(), f, null));
            } else {
                groups.computeIfAbsent(f.group(), g -> new TreeMap<>())
                        .put(f.member(), new Member(f.member(), f, null));
            }
        }
        groups.forEach((name, members) -> top.put(name, new Member(name, null, List.copyOf(members.values()))));
        return List.copyOf(top.values()); // TreeMap of ASCII names: code-unit order, as RFC 8785 sorts
    }

    private static boolean separator(StringBuilder out, boolean first) {
        if (!first) {
            out.append(',');
        }
        return false;
    }

    private static void appendMember(StringBuilder out, String name, Field field, String text) {
        appendString(out, name);
        out.append(':');
        switch (field.kind()) {
            case INTEGER -> out.append(Long.parseLong(text));
            case DECIMAL -> out.append(new BigDecimal(text).stripTrailingZeros().toPlainString());
            case LIST -> {
                out.append('[');
                String[] items = text.split(";", -1);
                for (int i = 0; i < items.length; i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    appendString(out, items[i]);
                }
                out.append(']');
            }
            case TEXT, DATE -> appendString(out, text);
        }
    }

    /**
     * A JSON string as RFC 8785 writes it, for text without control characters and surrogates (the callers send such
     * text through {@link Canonical#jcs}): only the quote and the backslash are escaped.
     */
    private static void appendString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        out.append('"');
    }

    /** @return true if the text holds a control character or a UTF-16 surrogate, which the library escapes */
    private static boolean needsLibrary(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    ObjectNode toTree() {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode root = nodes.objectNode();
        for (Map.Entry<Field, String> e : values.entrySet()) {
            Field field = e.getKey();
            ObjectNode parent = field.group() == null ? root : group(root, field.group());
            String text = e.getValue();
            switch (field.kind()) {
                case INTEGER -> parent.put(field.member(), Long.parseLong(text));
                case DECIMAL -> {
                    BigDecimal number = new BigDecimal(text);
                    if (number.signum() == 0 || number.stripTrailingZeros().scale() <= 0) {
                        parent.put(field.member(), number.longValueExact());
                    } else {
                        parent.put(field.member(), number.doubleValue());
                    }
                }
                case LIST -> {
                    ArrayNode list = parent.putArray(field.member());
                    for (String item : text.split(";", -1)) {
                        list.add(item);
                    }
                }
                case TEXT, DATE -> parent.put(field.member(), text);
            }
        }
        return root;
    }

    private static ObjectNode group(ObjectNode root, String name) {
        ObjectNode group = (ObjectNode) root.get(name);
        return group != null ? group : root.putObject(name);
    }

    @Override
    public String toString() {
        return "TrainingRecord[" + recordId() + " v" + version() + "]";
    }
}
