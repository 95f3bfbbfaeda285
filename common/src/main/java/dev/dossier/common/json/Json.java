package dev.dossier.common.json;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Deterministic JSON writer: object keys sorted (by UTF-16 code units, as RFC 8785), no insignificant whitespace,
 * strings escaped minimally (quote, backslash and control characters). Values may be {@code null}, {@link String},
 * {@link Boolean}, {@link Integer}, {@link Long}, {@link Map} with string keys, {@link List}, or {@link Raw} (copied as it is).
 * What {@link JsonReader} reads, this writes back (but for non-integer numbers). Strings are escaped as RFC 8785
 * (ECMAScript's {@code JSON.stringify}) escapes them, so a value of strings, integers, maps and lists is written in its
 * RFC 8785 canonical form.
 */
public final class Json {
    private Json() {}

    /**
     * JSON text that {@link #write} copies as it is, for values this contract wrote itself in canonical form (stored
     * entries and policies), so that they are not parsed again only to be written back.
     *
     * @param json canonical JSON text
     */
    public record Raw(String json) {}

    /**
     * @return the JSON text of {@code value}
     * @throws IllegalArgumentException if the value, or a value nested in it, has an unsupported type
     */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder(128);
        append(out, value);
        return out.toString();
    }

    /**
     * Starts writing a JSON object into {@code out}, member by member, for hot paths where building a map first
     * would cost too much. Members must be added in the order {@link #write} would sort them (ascending UTF-16 code
     * units), which {@link Members} checks.
     *
     * <pre>{@code
     * Json.object(out).add("commitment", hex).add("outcome", "ANCHORED").end();
     * }</pre>
     *
     * @param out where to append
     * @return the writer of the object's members
     */
    public static Members object(StringBuilder out) {
        return new Members(out);
    }

    /** Writes the members of one JSON object; see {@link #object}. Not reusable once {@link #end} was called. */
    public static final class Members {
        private final StringBuilder out;
        private String last;

        private Members(StringBuilder out) {
            this.out = out;
            out.append('{');
        }

        /**
         * Adds a member; nothing when {@code value} is null, so optional members are simply left out.
         *
         * @throws IllegalStateException if {@code name} does not sort after the previous member's name
         * @throws IllegalArgumentException if the value has an unsupported type
         */
        public Members add(String name, Object value) {
            if (value == null) {
                return this;
            }
            if (last != null) {
                if (last.compareTo(name) >= 0) {
                    throw new IllegalStateException("member '" + name + "' added after '" + last + "'");
                }
                out.append(',');
            }
            last = name;
            appendString(out, name);
            out.append(':');
            append(out, value);
            return this;
        }

        /** Closes the object. */
        public void end() {
            out.append('}');
        }
    }

    private static void append(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            appendString(out, s);
        } else if (value instanceof Raw raw) {
            out.append(raw.json());
        } else if (value instanceof Boolean || value instanceof Integer || value instanceof Long) {
            out.append(value);
        } else if (value instanceof Map<?, ?> map) {
            appendObject(out, map);
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                append(out, list.get(i));
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException(
                    "unsupported JSON value type " + value.getClass().getName());
        }
    }

    private static void appendObject(StringBuilder out, Map<?, ?> map) {
        TreeMap<String, Object> sorted = new TreeMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new IllegalArgumentException("JSON object keys must be strings, got " + e.getKey());
            }
            sorted.put(key, e.getValue());
        }
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, Object> e : sorted.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            appendString(out, e.getKey());
            out.append(':');
            append(out, e.getValue());
        }
        out.append('}');
    }

    /**
     * Appends {@code s} as a JSON string: quote, backslash and the control characters escaped as RFC 8785 does
     * ({@code \b \t \n \f \r}, other controls as six-character escapes with lowercase hex digits), everything else as it is.
     *
     * @param out where to append
     * @param s the string
     */
    public static void appendString(StringBuilder out, String s) {
        out.append('"');
        // runs of characters that need no escape (all of them in a commitment, a date or a DN) are copied at once
        int run = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            out.append(s, run, i);
            run = i + 1;
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(String.format("\\u%04x", (int) c));
            }
        }
        if (run == 0) {
            out.append(s);
        } else {
            out.append(s, run, s.length());
        }
        out.append('"');
    }
}
