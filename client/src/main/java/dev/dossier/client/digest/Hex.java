package dev.dossier.client.digest;

/** Checks on hexadecimal text, without regular expressions (they run once per row in bulk anchoring). */
public final class Hex {
    private Hex() {}

    /** @return true if {@code s} is exactly 64 hexadecimal digits, either case */
    public static boolean is64(CharSequence s) {
        if (s.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = s.charAt(i);
            boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!hex) {
                return false;
            }
        }
        return true;
    }
}
