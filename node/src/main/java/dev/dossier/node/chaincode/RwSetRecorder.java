package dev.dossier.node.chaincode;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.dossier.node.ledger.KeyWrite;
import dev.dossier.node.ledger.VersionedValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    // One slot per key touched, in a hash map while simulating: a key is encoded to UTF-8 once, and the read-write
    // set is made by one sort of the slots by those bytes (Fabric's key order), which orders reads, writes and
    // metadata writes at once. A batch of thousands of entries costs far less so than sorted trees or three sorts of
    // strings compared character by character.
    private final Map<String, Slot> slots = new HashMap<>();
    private final List<RangeScan> scans = new ArrayList<>();
    private boolean written;
    private Slot[] sorted;

    /** What was recorded of one key; the messages carry the key as the same UTF-8 bytes. */
    private static final class Slot {
        final String name;
        final byte[] utf8;
        final ByteString key;
        KVRead read;
        KVWrite write;
        KVMetadataWrite metadataWrite;

        Slot(String key) {
            this.name = key;
            this.utf8 = key.getBytes(StandardCharsets.UTF_8);
            this.key = UnsafeByteOperations.unsafeWrap(utf8);
        }
    }

    /** @return the read of {@code key} that saw {@code value}, or saw no value when it is null */
    static KVRead read(String key, VersionedValue value) {
        return read(KVRead.newBuilder().setKey(key), value);
    }

    private static KVRead read(KVRead.Builder read, VersionedValue value) {
        if (value != null) {
            read.setVersion(
                    Version.newBuilder().setBlockNum(value.blockNumber()).setTxNum(value.txNumber()));
        }
        return read.build();
    }

    private Slot slot(String key) {
        return slots.computeIfAbsent(key, Slot::new);
    }

    /** Records that {@code key} was read and saw {@code value} (null: absent). */
    void recordRead(String key, VersionedValue value) {
        Slot slot = slot(key);
        slot.read = read(KVRead.newBuilder().setKeyBytes(slot.key), value);
    }

    boolean hasRead(String key) {
        Slot slot = slots.get(key);
        return slot != null && slot.read != null;
    }

    /** Records a write of {@code value} to {@code key}; an empty value is a delete, as on a Fabric peer. */
    void put(String key, byte[] value) {
        Slot slot = slot(key);
        KVWrite.Builder write = KVWrite.newBuilder().setKeyBytes(slot.key);
        if (value.length == 0) {
            write.setIsDelete(true);
        } else {
            write.setValue(ByteString.copyFrom(value));
        }
        slot.write = write.build();
        written = true;
    }

    void delete(String key) {
        Slot slot = slot(key);
        slot.write =
                KVWrite.newBuilder().setKeyBytes(slot.key).setIsDelete(true).build();
        written = true;
    }

    /**
     * Records a metadata write that replaces the key's metadata with its key-level endorsement policy ({@code value});
     * a null or empty value removes it.
     */
    void setValidationParameter(String key, byte[] value) {
        Slot slot = slot(key);
        KVMetadataWrite.Builder write = KVMetadataWrite.newBuilder().setKeyBytes(slot.key);
        if (value != null && value.length > 0) {
            write.addEntries(KVMetadataEntry.newBuilder()
                    .setName(KeyWrite.VALIDATION_PARAMETER)
                    .setValue(ByteString.copyFrom(value)));
        }
        slot.metadataWrite = write.build();
        written = true;
    }

    /** @return true if a value or metadata write was recorded */
    boolean hasWrites() {
        return written;
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
        KVRWSet.Builder kv = KVRWSet.newBuilder();
        for (Slot slot : sorted()) {
            if (slot.read != null) {
                kv.addReads(slot.read);
            }
            if (slot.write != null) {
                kv.addWrites(slot.write);
            }
            if (slot.metadataWrite != null) {
                kv.addMetadataWrites(slot.metadataWrite);
            }
        }
        Set<List<Object>> seen = new HashSet<>();
        for (RangeScan scan : scans) {
            scan.close();
            RangeQueryInfo info = scan.rangeQueryInfo();
            if (info != null && seen.add(List.of(info.getStartKey(), info.getEndKey(), info.getItrExhausted()))) {
                kv.addRangeQueriesInfo(info);
            }
        }
        return TxReadWriteSet.newBuilder()
                .setDataModel(TxReadWriteSet.DataModel.KV)
                .addNsRwset(NsReadWriteSet.newBuilder()
                        .setNamespace(namespace)
                        .setRwset(kv.build().toByteString()))
                .build();
    }

    /**
     * @return what {@link #readWriteSet} writes, as {@link KeyWrite#of} reads it back: the keys with a value written
     *     or deleted, then those with only their metadata replaced, each in key order
     */
    List<KeyWrite> keyWrites(String namespace) {
        List<KeyWrite> out = new ArrayList<>();
        List<Slot> metadataOnly = new ArrayList<>();
        for (Slot slot : sorted()) {
            if (slot.write != null) {
                out.add(keyWrite(namespace, slot));
            } else if (slot.metadataWrite != null) {
                metadataOnly.add(slot);
            }
        }
        for (Slot slot : metadataOnly) {
            out.add(keyWrite(namespace, slot));
        }
        return out;
    }

    /** @return the keys read and found without a value */
    Set<String> keysReadAbsent() {
        Set<String> out = new HashSet<>();
        for (Slot slot : slots.values()) {
            if (slot.read != null && !slot.read.hasVersion()) {
                out.add(slot.name);
            }
        }
        return out;
    }

    private static KeyWrite keyWrite(String namespace, Slot slot) {
        KeyWrite.Change change = slot.write == null
                ? KeyWrite.Change.UNCHANGED
                : slot.write.getIsDelete() ? KeyWrite.Change.DELETE : KeyWrite.Change.PUT;
        Optional<Map<String, ByteString>> metadata = Optional.empty();
        if (slot.metadataWrite != null) {
            Map<String, ByteString> entries = new HashMap<>();
            for (KVMetadataEntry entry : slot.metadataWrite.getEntriesList()) {
                entries.put(entry.getName(), entry.getValue());
            }
            metadata = Optional.of(entries);
        }
        byte[] value = change == KeyWrite.Change.PUT ? slot.write.getValue().toByteArray() : null;
        return new KeyWrite(namespace, slot.name, change, value, metadata);
    }

    /** @return the slots in key order, sorted once */
    private Slot[] sorted() {
        if (sorted == null || sorted.length != slots.size()) {
            sorted = slots.values().toArray(new Slot[0]);
            Arrays.sort(sorted, (a, b) -> Arrays.compareUnsigned(a.utf8, b.utf8));
        }
        return sorted;
    }

    @Override
    public String toString() {
        long reads = slots.values().stream().filter(s -> s.read != null).count();
        long writes = slots.values().stream().filter(s -> s.write != null).count();
        return reads + " reads, " + writes + " writes";
    }
}
