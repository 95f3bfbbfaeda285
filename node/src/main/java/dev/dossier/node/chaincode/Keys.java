package dev.dossier.node.chaincode;

import java.util.Comparator;

/**
 * Rules for world-state keys, as Fabric applies them: a key is a non-empty string that is valid UTF-8, and keys are
 * ordered by their UTF-8 bytes (which, for valid strings, is the order of their Unicode code points).
 */
final class Keys {
    /** Orders strings as Fabric orders keys: by UTF-8 bytes, i.e. by code points. */
    static final Comparator<String> UTF8_ORDER = Keys::compareUtf8;

    private Keys() {}

    /**
     * @throws NullPointerException if {@code key} is null
     * @throws IllegalArgumentException if {@code key} is empty or not valid UTF-8 (an unpaired surrogate)
     */
    static void requireValidKey(String key) {
        if (key == null) {
            throw new NullPointerException("key cannot be null");
        }
        if (key.isEmpty()) {
            throw new IllegalArgumentException("key cannot be an empty string");
        }
        requireUtf8(key, "key");
    }

    /**
     * @throws NullPointerException if {@code s} is null
     * @throws IllegalArgumentException if {@code s} is not valid UTF-8 (an unpaired surrogate)
     */
    static void requireUtf8(String s, String what) {
        if (s == null) {
            throw new NullPointerException(what + " cannot be null");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(
                        what + " [" + s.replace("\u0000", "\\u0000") + "] is not a valid UTF-8 string");
            }
        }
    }

    /** @return the smallest key greater than {@code key} in UTF-8 order */
    static String successor(String key) {
        return key + '\u0000';
    }

    private static int compareUtf8(String a, String b) {
        // UTF-16 order is code point order except where a surrogate meets a character above it: compare chars, and
        // only where the first difference involves a surrogate fall back to code points.
        int common = Math.min(a.length(), b.length());
        for (int i = 0; i < common; i++) {
            char ca = a.charAt(i);
            char cb = b.charAt(i);
            if (ca != cb) {
                if (!Character.isSurrogate(ca) && !Character.isSurrogate(cb)) {
                    return Character.compare(ca, cb);
                }
                return compareCodePoints(a, b, i > 0 && Character.isHighSurrogate(a.charAt(i - 1)) ? i - 1 : i);
            }
        }
        return Integer.compare(a.length(), b.length());
    }

    private static int compareCodePoints(String a, String b, int from) {
        int i = from;
        int j = from;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
