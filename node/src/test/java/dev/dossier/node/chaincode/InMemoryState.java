package dev.dossier.node.chaincode;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.dossier.node.ledger.HistoryEntry;
import dev.dossier.node.ledger.StateEntry;
import dev.dossier.node.ledger.StateReader;
import dev.dossier.node.ledger.VersionedValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVMetadataWrite;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;

/** A thread-safe in-memory {@link StateReader} for tests, with helpers to write and to commit simulated writes. */
final class InMemoryState implements StateReader {
    private final Map<String, NavigableMap<String, VersionedValue>> state = new ConcurrentHashMap<>();
    private final Map<String, List<HistoryEntry>> history = new ConcurrentHashMap<>();
    final AtomicInteger rangeCalls = new AtomicInteger();
    volatile RuntimeException failure;

    private final Map<String, Map<String, ByteString>> metadata = new ConcurrentHashMap<>();

    @Override
    public Map<String, ByteString> metadata(String ns, String key) {
        return metadata.getOrDefault(ns + "\u0000" + key, Map.of());
    }

    /** Gives {@code key} a committed key-level endorsement policy. */
    InMemoryState validationParameter(String ns, String key, byte[] policy) {
        metadata.put(ns + "\u0000" + key, Map.of("VALIDATION_PARAMETER", ByteString.copyFrom(policy)));
        return this;
    }

    InMemoryState put(String ns, String key, String value, long block, long tx) {
        return put(ns, key, value.getBytes(UTF_8), block, tx, "tx" + block + "-" + tx, Instant.EPOCH);
    }

    InMemoryState put(String ns, String key, byte[] value, long block, long tx, String txId, Instant at) {
        namespace(ns).put(key, new VersionedValue(value, block, tx));
        historyOf(ns, key).add(0, new HistoryEntry(block, txId, at, false, value.clone()));
        return this;
    }

    InMemoryState delete(String ns, String key, long block, String txId, Instant at) {
        namespace(ns).remove(key);
        historyOf(ns, key).add(0, new HistoryEntry(block, txId, at, true, new byte[0]));
        return this;
    }

    /** Applies the writes of a successful simulation as transaction {@code tx} of block {@code block}. */
    void commit(Simulation simulation, long block, long tx, String txId, Instant at) {
        try {
            for (NsReadWriteSet ns : simulation.readWriteSet().getNsRwsetList()) {
                KVRWSet set = KVRWSet.parseFrom(ns.getRwset());
                for (KVMetadataWrite m : set.getMetadataWritesList()) {
                    Map<String, ByteString> entries = new TreeMap<>();
                    m.getEntriesList().forEach(e -> entries.put(e.getName(), e.getValue()));
                    metadata.put(ns.getNamespace() + "\u0000" + m.getKey(), entries);
                }
                for (KVWrite w : set.getWritesList()) {
                    if (w.getIsDelete()) {
                        delete(ns.getNamespace(), w.getKey(), block, txId, at);
                    } else {
                        put(ns.getNamespace(), w.getKey(), w.getValue().toByteArray(), block, tx, txId, at);
                    }
                }
            }
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    static KVRWSet kv(TxReadWriteSet rwset) {
        try {
            return KVRWSet.parseFrom(rwset.getNsRwset(0).getRwset());
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public Optional<VersionedValue> get(String namespace, String key) {
        fail();
        return Optional.ofNullable(namespace(namespace).get(key));
    }

    @Override
    public List<StateEntry> range(String namespace, String startKey, String endKey, int limit) {
        fail();
        rangeCalls.incrementAndGet();
        NavigableMap<String, VersionedValue> ns = namespace(namespace);
        NavigableMap<String, VersionedValue> view = endKey.isEmpty()
                ? ns.tailMap(startKey, true)
                : (Keys.UTF8_ORDER.compare(startKey, endKey) >= 0
                        ? new ConcurrentSkipListMap<>(Keys.UTF8_ORDER)
                        : ns.subMap(startKey, true, endKey, false));
        List<StateEntry> out = new ArrayList<>();
        for (Map.Entry<String, VersionedValue> e : view.entrySet()) {
            if (out.size() == limit) {
                break;
            }
            out.add(new StateEntry(e.getKey(), e.getValue()));
        }
        return out;
    }

    @Override
    public List<HistoryEntry> history(String namespace, String key) {
        fail();
        return List.copyOf(historyOf(namespace, key));
    }

    private void fail() {
        RuntimeException f = failure;
        if (f != null) {
            throw f;
        }
    }

    private NavigableMap<String, VersionedValue> namespace(String ns) {
        return state.computeIfAbsent(ns, n -> new ConcurrentSkipListMap<>(Keys.UTF8_ORDER));
    }

    private List<HistoryEntry> historyOf(String ns, String key) {
        return history.computeIfAbsent(ns + "\u0000" + key, k -> new CopyOnWriteArrayList<>());
    }
}
