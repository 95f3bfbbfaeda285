package dev.dossier.node.chaincode;

import com.google.protobuf.ByteString;
import dev.dossier.node.ledger.HistoryEntry;
import dev.dossier.node.ledger.KeyWrite;
import dev.dossier.node.ledger.StateReader;
import dev.dossier.node.ledger.VersionedValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.hyperledger.fabric.shim.ChaincodeStub;
import org.hyperledger.fabric.shim.ledger.CompositeKey;
import org.hyperledger.fabric.shim.ledger.KeyModification;
import org.hyperledger.fabric.shim.ledger.KeyValue;
import org.hyperledger.fabric.shim.ledger.QueryResultsIterator;
import org.hyperledger.fabric.shim.ledger.QueryResultsIteratorWithMetadata;

/**
 * The node's {@link ChaincodeStub}: runs one invocation against committed state and records what it read and wrote,
 * with the semantics of a Fabric peer's transaction simulator.
 *
 * <ul>
 *   <li>Reads see committed state only, never this transaction's own writes. Each read is recorded with the version
 *       it saw (none for an absent key); an absent key reads as an empty array, as in Fabric's Java shim.
 *   <li>Writes are buffered; the last write of a key wins. {@code putState} of an empty value is a delete, because
 *       that is what it becomes on a Fabric peer.
 *   <li>Keys must be non-empty valid UTF-8; range bounds must be simple keys (not composite); the unspecified start
 *       of a range is {@code U+0001}, so plain ranges never return composite keys.
 *   <li>Paginated queries work, but as in Fabric a transaction cannot both write and run a paginated query.
 *   <li>Key-level endorsement policies ({@code get/setStateValidationParameter}) are read from the key's committed
 *       metadata and written as metadata writes, judged at commit by the node's write rules.
 *   <li>Private data, rich queries and chaincode-to-chaincode calls are not supported: they throw
 *       {@link UnsupportedOperationException} naming the function ({@link UnsupportedStubCalls}).
 * </ul>
 *
 * <p>What the invocation read and wrote is kept by a {@link RwSetRecorder}, which makes the read-write set.
 *
 * <p>A failure of the {@link StateReader} is remembered (see {@link #ledgerFailure()}) so the runtime can report it
 * as a node failure rather than as the chaincode's. Not thread-safe: one stub serves one invocation on one thread.
 */
final class SimulationStub extends UnsupportedStubCalls {
    private static final String UNSPECIFIED_START_KEY = "\u0001";
    private static final String MAX_UNICODE_RUNE = "\udbff\udfff";

    private final String namespace;
    private final StateReader state;
    private final Invocation invocation;
    private final RwSetRecorder recorded = new RwSetRecorder();
    private ChaincodeEvent event;
    private boolean paginatedQueryPerformed;
    private RuntimeException ledgerFailure;

    SimulationStub(String namespace, StateReader state, Invocation invocation) {
        this.namespace = namespace;
        this.state = state;
        this.invocation = invocation;
    }

    /** @return the first exception the state reader threw during this invocation, or null */
    RuntimeException ledgerFailure() {
        return ledgerFailure;
    }

    /** Closes the open range scans and returns the recorded read-write set, of this stub's namespace only. */
    TxReadWriteSet readWriteSet() {
        return recorded.readWriteSet(namespace);
    }

    /** @return the keys {@link #readWriteSet} writes, in its order */
    List<KeyWrite> keyWrites() {
        return recorded.keyWrites(namespace);
    }

    /** @return the keys read and found without a value */
    Set<String> keysReadAbsent() {
        return recorded.keysReadAbsent();
    }

    // ---- arguments and transaction context

    @Override
    public List<byte[]> getArgs() {
        List<byte[]> args = new ArrayList<>(invocation.args().size());
        for (ByteString arg : invocation.args()) {
            args.add(arg.toByteArray());
        }
        return args;
    }

    @Override
    public List<String> getStringArgs() {
        List<String> args = new ArrayList<>(invocation.args().size());
        for (ByteString arg : invocation.args()) {
            args.add(arg.toStringUtf8());
        }
        return args;
    }

    @Override
    public String getFunction() {
        return invocation.args().isEmpty() ? null : invocation.args().get(0).toStringUtf8();
    }

    @Override
    public List<String> getParameters() {
        List<String> args = getStringArgs();
        return args.isEmpty() ? args : args.subList(1, args.size());
    }

    @Override
    public String getTxId() {
        return invocation.txId();
    }

    @Override
    public String getChannelId() {
        return invocation.channelId();
    }

    @Override
    public byte[] getCreator() {
        return invocation.creator().toByteArray();
    }

    @Override
    public String getMspId() {
        return invocation.mspId();
    }

    @Override
    public Map<String, byte[]> getTransient() {
        Map<String, byte[]> copy = new LinkedHashMap<>();
        invocation.transientMap().forEach((k, v) -> copy.put(k, v.toByteArray()));
        return copy;
    }

    @Override
    public Instant getTxTimestamp() {
        return invocation.timestamp();
    }

    @Override
    public SignedProposal getSignedProposal() {
        return invocation.signedProposal();
    }

    @Override
    public byte[] getBinding() {
        return invocation.binding();
    }

    // ---- events

    @Override
    public void setEvent(String name, byte[] payload) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("event name can not be nil string");
        }
        ChaincodeEvent.Builder e = ChaincodeEvent.newBuilder()
                .setChaincodeId(namespace)
                .setTxId(invocation.txId())
                .setEventName(name);
        if (payload != null) {
            e.setPayload(ByteString.copyFrom(payload));
        }
        event = e.build();
    }

    @Override
    public ChaincodeEvent getEvent() {
        return event;
    }

    // ---- world state

    @Override
    public byte[] getState(String key) {
        Keys.requireValidKey(key);
        Optional<VersionedValue> value = ledger(() -> state.get(namespace, key));
        recorded.recordRead(key, value.orElse(null));
        return value.map(VersionedValue::value).orElseGet(() -> new byte[0]);
    }

    @Override
    public void putState(String key, byte[] value) {
        Keys.requireValidKey(key);
        if (value == null) {
            throw new NullPointerException("value cannot be null");
        }
        checkWriteAllowed();
        recorded.put(key, value);
    }

    @Override
    public void delState(String key) {
        Keys.requireValidKey(key);
        checkWriteAllowed();
        recorded.delete(key);
    }

    @Override
    public QueryResultsIterator<KeyValue> getStateByRange(String startKey, String endKey) {
        String start = startKey == null || startKey.isEmpty() ? UNSPECIFIED_START_KEY : startKey;
        String end = endKey == null ? "" : endKey;
        checkSimpleRange(start, end);
        return scan(RangeScan.lazy(source(end), start, end));
    }

    @Override
    public QueryResultsIteratorWithMetadata<KeyValue> getStateByRangeWithPagination(
            String startKey, String endKey, int pageSize, String bookmark) {
        String start = startKey == null || startKey.isEmpty() ? UNSPECIFIED_START_KEY : startKey;
        String end = endKey == null ? "" : endKey;
        checkSimpleRange(start, end);
        return paginated(start, end, pageSize, bookmark);
    }

    @Override
    public QueryResultsIterator<KeyValue> getStateByPartialCompositeKey(String compositeKey) {
        CompositeKey key = compositeKey != null && compositeKey.startsWith(CompositeKey.NAMESPACE)
                ? CompositeKey.parseCompositeKey(compositeKey)
                : new CompositeKey(compositeKey);
        return getStateByPartialCompositeKey(key);
    }

    @Override
    public QueryResultsIterator<KeyValue> getStateByPartialCompositeKey(String objectType, String... attributes) {
        return getStateByPartialCompositeKey(new CompositeKey(objectType, attributes));
    }

    @Override
    public QueryResultsIterator<KeyValue> getStateByPartialCompositeKey(CompositeKey compositeKey) {
        String prefix = prefix(compositeKey);
        String end = prefix + MAX_UNICODE_RUNE;
        return scan(RangeScan.lazy(source(end), prefix, end));
    }

    @Override
    public QueryResultsIteratorWithMetadata<KeyValue> getStateByPartialCompositeKeyWithPagination(
            CompositeKey compositeKey, int pageSize, String bookmark) {
        String prefix = prefix(compositeKey);
        return paginated(prefix, prefix + MAX_UNICODE_RUNE, pageSize, bookmark);
    }

    @Override
    public CompositeKey createCompositeKey(String objectType, String... attributes) {
        return new CompositeKey(objectType, attributes);
    }

    @Override
    public CompositeKey splitCompositeKey(String compositeKey) {
        return CompositeKey.parseCompositeKey(compositeKey);
    }

    @Override
    public QueryResultsIterator<KeyModification> getHistoryForKey(String key) {
        Keys.requireValidKey(key);
        List<HistoryEntry> history = ledger(() -> state.history(namespace, key));
        return new QueryResultsIterator<>() {
            private final Iterator<KeyModification> it = history.stream()
                    .<KeyModification>map(LedgerKeyModification::new)
                    .iterator();

            @Override
            public Iterator<KeyModification> iterator() {
                return it;
            }

            @Override
            public void close() {
                // nothing to release: the history was read in full
            }
        };
    }

    // ---- key-level endorsement policies

    /**
     * The key's committed key-level endorsement policy (a serialized {@code common.SignaturePolicyEnvelope}), or an
     * empty array when it has none; the key is recorded as read, with its version, as Fabric's simulator does.
     */
    @Override
    public byte[] getStateValidationParameter(String key) {
        Keys.requireValidKey(key);
        if (!recorded.hasRead(key)) {
            Optional<VersionedValue> value = ledger(() -> state.get(namespace, key));
            recorded.recordRead(key, value.orElse(null));
        }
        ByteString parameter = ledger(() -> state.metadata(namespace, key)).get(KeyWrite.VALIDATION_PARAMETER);
        return parameter == null ? new byte[0] : parameter.toByteArray();
    }

    /**
     * Sets the key's key-level endorsement policy (a serialized {@code common.SignaturePolicyEnvelope}, as the shim's
     * {@code StateBasedEndorsement.policy()} makes it); an empty value removes it. Recorded as a metadata write that
     * replaces the key's metadata when the transaction commits; the last call for a key wins.
     */
    @Override
    public void setStateValidationParameter(String key, byte[] value) {
        Keys.requireValidKey(key);
        checkWriteAllowed();
        recorded.setValidationParameter(key, value);
    }

    // ---- helpers

    private static String prefix(CompositeKey compositeKey) {
        String prefix =
                compositeKey == null ? new CompositeKey(UNSPECIFIED_START_KEY).toString() : compositeKey.toString();
        Keys.requireUtf8(prefix, "composite key");
        return prefix;
    }

    private static void checkSimpleRange(String start, String end) {
        Keys.requireUtf8(start, "start key");
        Keys.requireUtf8(end, "end key");
        CompositeKey.validateSimpleKeys(start, end);
    }

    private QueryResultsIteratorWithMetadata<KeyValue> paginated(
            String start, String end, int pageSize, String bookmark) {
        if (pageSize <= 0) {
            throw new IllegalArgumentException("pageSize must be positive, got " + pageSize);
        }
        if (recorded.hasWrites()) {
            throw new IllegalStateException("txid [" + invocation.txId()
                    + "]: paginated queries are not allowed in a transaction that writes state");
        }
        String from = bookmark == null || bookmark.isEmpty() ? start : bookmark;
        Keys.requireUtf8(from, "bookmark");
        paginatedQueryPerformed = true;
        return scan(RangeScan.page(source(end), from, end, pageSize));
    }

    private void checkWriteAllowed() {
        if (paginatedQueryPerformed) {
            throw new IllegalStateException("txid [" + invocation.txId()
                    + "]: cannot write state after a paginated query: paginated queries are for read-only"
                    + " transactions");
        }
    }

    private RangeScan.Source source(String end) {
        return (from, limit) -> ledger(() -> state.range(namespace, from, end, limit));
    }

    private RangeScan scan(RangeScan scan) {
        return recorded.scan(scan);
    }

    private <T> T ledger(Supplier<T> read) {
        try {
            return read.get();
        } catch (RuntimeException e) {
            if (ledgerFailure == null) {
                ledgerFailure = e;
            }
            throw e;
        }
    }

    @Override
    public String toString() {
        return "SimulationStub{" + namespace + ", " + invocation.txId() + ", " + recorded + "}";
    }
}
