package dev.dossier.common.json;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Strict JSON reader (RFC 8259): the contract's arguments and its own stored values, ledger entries wherever they are
 * read. Objects become
 * {@link LinkedHashMap}s (member order kept; a repeated name is an error), arrays {@link ArrayList}s, strings
 * {@link String}s, {@code true}/{@code false} {@link Boolean}s, {@code null} Java {@code null}, integers that fit
 * {@link Long}s and other numbers {@link BigDecimal}s. Nesting deeper than {@value #MAX_DEPTH} and anything after the
 * value other than whitespace are errors.
 *
 * <p>A single pass over the characters without regular expressions: it reads the thousands of entries of an {@code
 * anchorBatch} argument in a few milliseconds.
 */
public final class JsonReader {
    /** The deepest nesting of arrays and objects read. */
    public static final int MAX_DEPTH = 32;

    private final String text;
    private int pos;

    private JsonReader(String text) {
        this.text = text;
    }

    /**
     * @param text JSON text
     * @return its value, typed as in the class documentation
     * @throws IllegalArgumentException if {@code text} is null or not one well-formed JSON value; the message gives
     *     the offset and what was expected
     */
    public static Object parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("malformed JSON: null");
        }
        JsonReader parser = new JsonReader(text);
        Object value = parser.value(0);
        parser.skipWhitespace();
        if (parser.pos != text.length()) {
            throw parser.error("end of input");
        }
        return value;
    }

    private Object value(int depth) {
        skipWhitespace();
        if (pos >= text.length()) {
            throw error("a value");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{':
                return object(depth + 1);
            case '[':
                return array(depth + 1);
            case '"':
                return string();
            case 't':
                literal("true");
                return Boolean.TRUE;
            case 'f':
                literal("false");
                return Boolean.FALSE;
            case 'n':
                literal("null");
                return null;
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("a value");
        }
    }

    private Map<String, Object> object(int depth) {
        checkDepth(depth);
        pos++; // '{'
        Map<String, Object> members = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return members;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("a member name");
            }
            int at = pos;
            String name = string();
            skipWhitespace();
            expect(':');
            Object value = value(depth);
            if (members.containsKey(name)) {
                pos = at;
                throw error("no repeated member name ('" + name + "')");
            }
            members.put(name, value);
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == '}') {
                return members;
            }
            if (c != ',') {
                pos--;
                throw error("',' or '}'");
            }
        }
    }

    private List<Object> array(int depth) {
        checkDepth(depth);
        pos++; // '['
        List<Object> elements = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return elements;
        }
        while (true) {
            elements.add(value(depth));
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == ']') {
                return elements;
            }
            if (c != ',') {
                pos--;
                throw error("',' or ']'");
            }
        }
    }

    private String string() {
        pos++; // opening quote
        int start = pos;
        // Fast path: no escapes.
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '"') {
                return text.substring(start, pos++);
            }
            if (c == '\\') {
                break;
            }
            if (c < 0x20) {
                throw error("no control character in a string");
            }
            pos++;
        }
        StringBuilder out = new StringBuilder(pos - start + 16).append(text, start, pos);
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                pos--;
                throw error("no control character in a string");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (pos >= text.length()) {
                break;
            }
            char e = text.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> out.append(hex4());
                default -> {
                    pos--;
                    throw error("a valid escape");
                }
            }
        }
        throw error("a closing quote");
    }

    private char hex4() {
        if (pos + 4 > text.length()) {
            throw error("four hexadecimal digits");
        }
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(text.charAt(pos + i), 16);
            if (digit < 0) {
                throw error("four hexadecimal digits");
            }
            value = value * 16 + digit;
        }
        pos += 4;
        return (char) value;
    }

    private Object number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (!digits()) {
            throw error("a digit");
        }
        boolean integer = true;
        if (peek() == '.') {
            pos++;
            integer = false;
            if (!digits()) {
                throw error("a digit");
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            integer = false;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!digits()) {
                throw error("a digit");
            }
        }
        String number = text.substring(start, pos);
        if (integer && pos - start <= 18) {
            return Long.parseLong(number);
        }
        return new BigDecimal(number);
    }

    private boolean digits() {
        int start = pos;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
        return pos > start;
    }

    private void literal(String word) {
        if (!text.startsWith(word, pos)) {
            throw error("a value");
        }
        pos += word.length();
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("'" + c + "'");
        }
        pos++;
    }

    /** @return the character at the position, or U+FFFF at the end (never valid where it is checked) */
    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\uffff';
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return;
            }
            pos++;
        }
    }

    private void checkDepth(int depth) {
        if (depth > MAX_DEPTH) {
            throw error("nesting of at most " + MAX_DEPTH);
        }
    }

    private IllegalArgumentException error(String expected) {
        String found = pos >= text.length() ? "end of input" : "'" + text.charAt(pos) + "'";
        return new IllegalArgumentException(
                "malformed JSON at offset " + pos + ": expected " + expected + ", found " + found);
    }
}
