package dev.dossier.node.ledger;

import com.google.protobuf.ByteString;
import dev.dossier.common.hash.Sha256;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.QueryReads;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.QueryReadsMerkleSummary;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.Version;

/**
 * Fabric's Merkle summary of a range query's results ({@code rwsetutil.RangeQueryResultsHelper}), which a
 * transaction records instead of raw reads when a range returned more than {@code maxDegree} keys, rebuilt here as
 * the results are {@link #add added} and held against the recorded one: level 1 holds the SHA-256 of each group of
 * {@code maxDegree + 1} results (as a serialized {@code QueryReads}); whenever a level holds more than
 * {@code maxDegree} hashes they are combined (the hash of their concatenation) into one hash of the next level. The
 * summary is the top level's hashes and its number. Memory stays bounded by the degree and the tree's height.
 */
final class RangeMerkleSummary {
    private final QueryReadsMerkleSummary expected;
    private final long maxDegree;
    private final List<KVRead> pendingReads = new ArrayList<>();
    private final Map<Integer, List<byte[]>> levels = new TreeMap<>();
    private int maxLevel = 1;

    /** @param expected the summary the transaction recorded */
    RangeMerkleSummary(QueryReadsMerkleSummary expected) {
        this.expected = expected;
        this.maxDegree = Integer.toUnsignedLong(expected.getMaxDegree());
    }

    /** @return false when the expected summary's degree is below 2, for which Fabric builds no tree */
    boolean canMatch() {
        return maxDegree >= 2;
    }

    /** Adds the next result of the range: a key (without its namespace) and its current version. */
    void add(byte[] key, long block, long tx) {
        if (maxDegree < 2) {
            return; // Fabric builds no tree below degree 2: the summary cannot match
        }
        pendingReads.add(KVRead.newBuilder()
                .setKeyBytes(ByteString.copyFrom(key))
                .setVersion(Version.newBuilder().setBlockNum(block).setTxNum(tx))
                .build());
        if (pendingReads.size() > maxDegree) {
            addLeaf(hashReads(pendingReads));
            pendingReads.clear();
        }
    }

    /** @return true if the results added have exactly the expected summary; call once, after the last result */
    boolean matches() {
        if (maxDegree < 2 || isEmpty()) {
            return false; // no tree: few enough results to have been recorded as raw reads
        }
        if (!pendingReads.isEmpty()) {
            addLeaf(hashReads(pendingReads));
        }
        done();
        if (expected.getMaxLevel() != maxLevel) {
            return false;
        }
        List<byte[]> top = levels.getOrDefault(maxLevel, List.of());
        if (top.size() != expected.getMaxLevelHashesCount()) {
            return false;
        }
        for (int i = 0; i < top.size(); i++) {
            if (!Arrays.equals(top.get(i), expected.getMaxLevelHashes(i).toByteArray())) {
                return false;
            }
        }
        return true;
    }

    private static byte[] hashReads(List<KVRead> reads) {
        return Sha256.newDigest()
                .digest(QueryReads.newBuilder().addAllKvReads(reads).build().toByteArray());
    }

    private boolean isEmpty() {
        return maxLevel == 1 && levels.getOrDefault(1, List.of()).isEmpty();
    }

    private void addLeaf(byte[] leafHash) {
        levels.computeIfAbsent(1, l -> new ArrayList<>()).add(leafHash);
        int level = 1;
        while (levels.get(level).size() > maxDegree) {
            byte[] combined = combine(levels.remove(level));
            level++;
            levels.computeIfAbsent(level, l -> new ArrayList<>()).add(combined);
            maxLevel = Math.max(maxLevel, level);
        }
    }

    /** Carries the lower levels' hashes up to the top, and adds a level when the top holds too many. */
    private void done() {
        int level = 1;
        while (level < maxLevel) {
            List<byte[]> hashes = levels.remove(level);
            level++;
            if (hashes == null || hashes.isEmpty()) {
                continue;
            }
            byte[] carried = hashes.size() == 1 ? hashes.get(0) : combine(hashes);
            levels.computeIfAbsent(level, l -> new ArrayList<>()).add(carried);
        }
        List<byte[]> top = levels.getOrDefault(maxLevel, List.of());
        if (top.size() > maxDegree) {
            levels.remove(maxLevel);
            maxLevel++;
            levels.put(maxLevel, new ArrayList<>(List.of(combine(top))));
        }
    }

    private static byte[] combine(List<byte[]> hashes) {
        MessageDigest digest = Sha256.newDigest();
        for (byte[] hash : hashes) {
            digest.update(hash);
        }
        return digest.digest();
    }
}
