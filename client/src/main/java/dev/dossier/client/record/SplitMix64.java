package dev.dossier.client.record;

import java.util.List;

/**
 * The random draws of {@link SampleData}: SplitMix64 (Steele, Lea and Flood, OOPSLA 2014), tiny, fast, and fixed here
 * for good, so that no JDK change alters the generated rows. Not thread-safe; each row draws from its own.
 */
final class SplitMix64 {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private long state;

    SplitMix64(long seed) {
        this.state = seed;
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    long nextLong() {
        state += GOLDEN;
        return mix(state);
    }

    /** @return a value in {@code [0, bound)}; the modulo bias is below 2⁻³⁰ for the bounds used here */
    long nextLong(long bound) {
        return Long.remainderUnsigned(nextLong(), bound);
    }

    int nextInt(int bound) {
        return (int) nextLong(bound);
    }

    boolean nextBoolean() {
        return nextLong() < 0;
    }

    /** @return an element of {@code list}, each with the same chance */
    <T> T pick(List<T> list) {
        return list.get(nextInt(list.size()));
    }
}
