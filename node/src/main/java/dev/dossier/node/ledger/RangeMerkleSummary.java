package dev.dossier.node.ledger;

import com.google.protobuf.ByteString;
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
import org.rocksdb.RocksDBException;

/**
 * Fabric's Merkle summary of a range query's results ({@code rwsetutil.RangeQueryResultsHelper}), which a
 * transaction records instead of raw reads when a range returned more than {@code maxDegree} keys: level 1 holds
 * the SHA-256 of each group of {@code maxDegree + 1} results (as a serialized {@code QueryReads}); whenever a level
 * holds more than {@code maxDegree} hashes they are combined (the hash of their concatenation) into one hash of the
 * next level. The summary is the top level's hashes and its number.
 */
final class RangeMerkleSummary {
    private RangeMerkleSummary() {}

    /** @return true if the results {@code scan} serves have exactly the summary {@code expected} */
    static boolean matches(QueryReadsMerkleSummary expected, RangeRescan scan) throws RocksDBException {
        long maxDegree = Integer.toUnsignedLong(expected.getMaxDegree());
        if (maxDegree < 2) {
            return false;
        }
        MerkleTree tree = new MerkleTree(maxDegree);
        List<KVRead> pendingReads = new ArrayList<>();
        for (RangeRescan.Found found = scan.next(); found != null; found = scan.next()) {
            pendingReads.add(KVRead.newBuilder()
                    .setKeyBytes(ByteString.copyFrom(found.key()))
                    .setVersion(Version.newBuilder().setBlockNum(found.block()).setTxNum(found.tx()))
                    .build());
            if (pendingReads.size() > maxDegree) {
                tree.add(hashReads(pendingReads));
                pendingReads.clear();
            }
        }
        if (tree.isEmpty()) {
            return false; // few enough results to have been recorded as raw reads
        }
        if (!pendingReads.isEmpty()) {
            tree.add(hashReads(pendingReads));
        }
        tree.done();
        if (expected.getMaxLevel() != tree.maxLevel) {
            return false;
        }
        List<byte[]> top = tree.levels.getOrDefault(tree.maxLevel, List.of());
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
        return BlockHashes.sha256()
                .digest(QueryReads.newBuilder().addAllKvReads(reads).build().toByteArray());
    }

    /** The incremental tree: hashes by level, combined upwards as levels fill. */
    private static final class MerkleTree {
        private final long maxDegree;
        private final Map<Integer, List<byte[]>> levels = new TreeMap<>();
        private int maxLevel = 1;

        MerkleTree(long maxDegree) {
            this.maxDegree = maxDegree;
        }

        boolean isEmpty() {
            return maxLevel == 1 && levels.getOrDefault(1, List.of()).isEmpty();
        }

        void add(byte[] leafHash) {
            levels.computeIfAbsent(1, l -> new ArrayList<>()).add(leafHash);
            int level = 1;
            while (levels.get(level).size() > maxDegree) {
                byte[] combined = combine(levels.remove(level));
                level++;
                levels.computeIfAbsent(level, l -> new ArrayList<>()).add(combined);
                maxLevel = Math.max(maxLevel, level);
            }
        }

        void done() {
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
            MessageDigest digest = BlockHashes.sha256();
            for (byte[] hash : hashes) {
                digest.update(hash);
            }
            return digest.digest();
        }
    }
}
