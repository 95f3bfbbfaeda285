package dev.dossier.node.chaincode;

import com.google.protobuf.ByteString;
import dev.dossier.node.ledger.KeyWrite;
import dev.dossier.node.ledger.VersionedValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVMetadataEntry;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVMetadataWrite;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.RangeQueryInfo;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.Version;

/**
 * What one simulated invocation read and wrote, as a Fabric peer's transaction simulator records it, and the
 * read-write set made from it: each key read with the version seen (none for an absent key), the last write of each
 * key ({@code putState} of an empty value is a delete), the last key-level endorsement policy set for each key, and
 * the range scans in the order they were started. Keys are checked by the caller. Not thread-safe.
 */
final class RwSetRecorder {
    // Hash maps while simulating, sorted once when the read-write set is built: a batch of thousands of entries
    // costs far less than keeping a sorted tree up to date on every read and write.
    private final Map<String, KVRead> reads = new HashMap<>();
    private final Map<String, KVWrite> writes = new HashMap<>();
    private final Map<String, KVMetadataWrite> metadataWrites = new HashMap<>();
    private final List<RangeScan> scans = new ArrayList<>();

    /** @return the read of {@code key} that saw {@code value}, or saw no value when it is null */
    static KVRead read(String key, VersionedValue value) {
        KVRead.Builder read = KVRead.newBuilder().setKey(key);
        if (value != null) {
            read.setVersion(
                    Version.newBuilder().setBlockNum(value.blockNumber()).setTxNum(value.txNumber()));
        }
        return read.build();
    }

    /** Records that {@code key} was read and saw {@code value} (null: absent). */
    void recordRead(String key, VersionedValue value) {
        reads.put(key, read(key, value));
    }

    boolean hasRead(String key) {
        return reads.containsKey(key);
    }

    /** Records a write of {@code value} to {@code key}; an empty value is a delete, as on a Fabric peer. */
    void put(String key, byte[] value) {
        KVWrite.Builder write = KVWrite.newBuilder().setKey(key);
        if (value.length == 0) {
            write.setIsDelete(true);
        } else {
            write.setValue(ByteString.copyFrom(value));
        }
        writes.put(key, write.build());
    }

    void delete(String key) {
        writes.put(key, KVWrite.newBuilder().setKey(key).setIsDelete(true).build());
    }

    /**
     * Records a metadata write that replaces the key's metadata with its key-level endorsement policy ({@code value});
     * a null or empty value removes it.
     */
    void setValidationParameter(String key, byte[] value) {
        KVMetadataWrite.Builder write = KVMetadataWrite.newBuilder().setKey(key);
        if (value != null && value.length > 0) {
            write.addEntries(KVMetadataEntry.newBuilder()
                    .setName(KeyWrite.VALIDATION_PARAMETER)
                    .setValue(ByteString.copyFrom(value)));
        }
        metadataWrites.put(key, write.build());
    }

    /** @return true if a value or metadata write was recorded */
    boolean hasWrites() {
        return !writes.isEmpty() || !metadataWrites.isEmpty();
    }

    /** Records a range scan; @return the scan */
    RangeScan scan(RangeScan scan) {
        scans.add(scan);
        return scan;
    }

    /**
     * Closes the open range scans and returns the recorded read-write set of {@code namespace}: reads and writes
     * sorted by key, range queries in the order they were started (a repeat of the same start, end and exhaustion is
     * recorded once, as Fabric does).
     */
    TxReadWriteSet readWriteSet(String namespace) {
        KVRWSet.Builder kv = KVRWSet.newBuilder().addAllReads(sortedByKey(reads));
        Set<List<Object>> seen = new HashSet<>();
        for (RangeScan scan : scans) {
            scan.close();
            RangeQueryInfo info = scan.rangeQueryInfo();
            if (info != null && seen.add(List.of(info.getStartKey(), info.getEndKey(), info.getItrExhausted()))) {
                kv.addRangeQueriesInfo(info);
            }
        }
        kv.addAllWrites(sortedByKey(writes));
        kv.addAllMetadataWrites(sortedByKey(metadataWrites));
        return TxReadWriteSet.newBuilder()
                .setDataModel(TxReadWriteSet.DataModel.KV)
                .addNsRwset(NsReadWriteSet.newBuilder()
                        .setNamespace(namespace)
                        .setRwset(kv.build().toByteString()))
                .build();
    }

    private static <T> List<T> sortedByKey(Map<String, T> entries) {
        String[] keys = entries.keySet().toArray(new String[0]);
        Arrays.sort(keys, Keys.UTF8_ORDER);
        List<T> sorted = new ArrayList<>(keys.length);
        for (String key : keys) {
            sorted.add(entries.get(key));
        }
        return sorted;
    }

    @Override
    public String toString() {
        return reads.size() + " reads, " + writes.size() + " writes";
    }
}
