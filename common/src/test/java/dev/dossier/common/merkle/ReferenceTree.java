package dev.dossier.common.merkle;

import java.util.ArrayList;
import java.util.List;

/** RFC 9162 sections 2.1.1, 2.1.3.1 and 2.1.4.1, written as the RFC states them (slow, for tests only). */
public final class ReferenceTree {
    private ReferenceTree() {}

    public static byte[] mth(List<byte[]> d) {
        if (d.isEmpty()) {
            return Rfc9162.emptyRoot();
        }
        if (d.size() == 1) {
            return d.get(0);
        }
        int k = split(d.size());
        return Rfc9162.nodeHash(mth(d.subList(0, k)), mth(d.subList(k, d.size())));
    }

    public static List<byte[]> path(int m, List<byte[]> d) {
        List<byte[]> out = new ArrayList<>();
        if (d.size() == 1) {
            return out;
        }
        int k = split(d.size());
        if (m < k) {
            out.addAll(path(m, d.subList(0, k)));
            out.add(mth(d.subList(k, d.size())));
        } else {
            out.addAll(path(m - k, d.subList(k, d.size())));
            out.add(mth(d.subList(0, k)));
        }
        return out;
    }

    public static List<byte[]> proof(int m, List<byte[]> d) {
        return subproof(m, d, true);
    }

    private static List<byte[]> subproof(int m, List<byte[]> d, boolean b) {
        List<byte[]> out = new ArrayList<>();
        int n = d.size();
        if (m == n) {
            if (!b) {
                out.add(mth(d));
            }
            return out;
        }
        int k = split(n);
        if (m <= k) {
            out.addAll(subproof(m, d.subList(0, k), b));
            out.add(mth(d.subList(k, n)));
        } else {
            out.addAll(subproof(m - k, d.subList(k, n), false));
            out.add(mth(d.subList(0, k)));
        }
        return out;
    }

    /** The largest power of two smaller than n. */
    private static int split(int n) {
        return Integer.highestOneBit(n - 1);
    }
}
