package dev.dossier.client.record;

/** An open-addressing set of 64-bit fingerprints: 8 to 16 bytes per element, no boxing. Not thread-safe. */
final class FingerprintSet {
    private static final long EMPTY = 0;

    private long[] table = new long[1 << 12];
    private int size;
    private boolean containsZero;

    /** @return true if {@code value} was not in the set (and now is) */
    boolean add(long value) {
        if (value == EMPTY) {
            boolean added = !containsZero;
            containsZero = true;
            return added;
        }
        if (size * 2 >= table.length) {
            grow();
        }
        if (!insert(table, value)) {
            return false;
        }
        size++;
        return true;
    }

    private static boolean insert(long[] table, long value) {
        int mask = table.length - 1;
        int i = mix(value) & mask;
        while (table[i] != EMPTY) {
            if (table[i] == value) {
                return false;
            }
            i = (i + 1) & mask;
        }
        table[i] = value;
        return true;
    }

    private void grow() {
        long[] bigger = new long[table.length * 2];
        for (long v : table) {
            if (v != EMPTY) {
                insert(bigger, v);
            }
        }
        table = bigger;
    }

    private static int mix(long v) {
        long h = v * 0x9e3779b97f4a7c15L;
        return (int) (h ^ (h >>> 32));
    }
}
