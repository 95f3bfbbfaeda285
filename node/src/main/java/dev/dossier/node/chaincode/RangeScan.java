package dev.dossier.node.chaincode;

import dev.dossier.node.ledger.StateEntry;
import dev.dossier.node.ledger.VersionedValue;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.QueryReads;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.RangeQueryInfo;
import org.hyperledger.fabric.protos.peer.QueryResponseMetadata;
import org.hyperledger.fabric.shim.ledger.KeyValue;
import org.hyperledger.fabric.shim.ledger.QueryResultsIterator;
import org.hyperledger.fabric.shim.ledger.QueryResultsIteratorWithMetadata;

/**
 * A range query over committed state, read lazily in pages and recorded for phantom-read validation as Fabric records
 * it: every key the chaincode has seen (including one it only learned exists through {@code hasNext()}) is a raw read
 * with its version; when the scan ran to the end of the range, {@code itr_exhausted} is set and the end key is the
 * query's; otherwise the end key is the last key seen, so validation re-runs the range up to and including it.
 *
 * <p>A scan the chaincode never advanced observed nothing and records nothing. Single-threaded, like the simulation
 * it belongs to. {@link #iterator()} returns the same one-pass cursor every time.
 */
final class RangeScan implements QueryResultsIterator<KeyValue>, QueryResultsIteratorWithMetadata<KeyValue> {
    /** Keys fetched from the state reader at a time. */
    static final int PAGE_SIZE = 100;

    /** Fetches at most {@code limit} committed entries from {@code startKey} (inclusive) to the scan's end key. */
    @FunctionalInterface
    interface Source {
        List<StateEntry> fetch(String startKey, int limit);
    }

    private final Source source;
    private final String startKey;
    private final String endKey;
    private final QueryResponseMetadata metadata;
    private final boolean exhaustedAtEnd;
    private final List<KVRead> reads = new ArrayList<>();
    private final Iterator<KeyValue> cursor = new Cursor();

    private List<StateEntry> buffer;
    private int pos;
    private boolean headSeen;
    private boolean sourceDone;
    private String nextStart;
    private String lastKey;
    private boolean started;
    private boolean exhausted;
    private boolean closed;

    private RangeScan(
            Source source,
            String startKey,
            String endKey,
            List<StateEntry> buffer,
            boolean sourceDone,
            boolean exhaustedAtEnd,
            QueryResponseMetadata metadata) {
        this.source = source;
        this.startKey = startKey;
        this.endKey = endKey;
        this.buffer = buffer;
        this.sourceDone = sourceDone;
        this.exhaustedAtEnd = exhaustedAtEnd;
        this.metadata = metadata;
        this.nextStart = startKey;
    }

    /** A scan of {@code [startKey, endKey)} ({@code endKey} "" = unbounded) that fetches pages as it is iterated. */
    static RangeScan lazy(Source source, String startKey, String endKey) {
        return new RangeScan(
                source, startKey, endKey, List.of(), false, true, QueryResponseMetadata.getDefaultInstance());
    }

    /**
     * One page of at most {@code pageSize} keys from {@code startKey}, fetched now. The bookmark is the first key
     * after the page, or "" when the range has no more keys.
     */
    static RangeScan page(Source source, String startKey, String endKey, int pageSize) {
        List<StateEntry> fetched = source.fetch(startKey, pageSize + 1);
        boolean more = fetched.size() > pageSize;
        List<StateEntry> page = more ? fetched.subList(0, pageSize) : fetched;
        QueryResponseMetadata metadata = QueryResponseMetadata.newBuilder()
                .setFetchedRecordsCount(page.size())
                .setBookmark(more ? fetched.get(pageSize).key() : "")
                .build();
        return new RangeScan(source, startKey, endKey, page, true, !more, metadata);
    }

    @Override
    public Iterator<KeyValue> iterator() {
        return cursor;
    }

    @Override
    public QueryResponseMetadata getMetadata() {
        return metadata;
    }

    @Override
    public void close() {
        closed = true;
    }

    /** @return what this scan observed, or null if the chaincode never advanced it */
    RangeQueryInfo rangeQueryInfo() {
        if (!started) {
            return null;
        }
        return RangeQueryInfo.newBuilder()
                .setStartKey(startKey)
                .setEndKey(exhausted ? endKey : lastKey)
                .setItrExhausted(exhausted)
                .setRawReads(QueryReads.newBuilder().addAllKvReads(reads))
                .build();
    }

    private boolean advance() {
        if (closed) {
            return false;
        }
        started = true;
        if (pos == buffer.size() && !sourceDone) {
            fill();
        }
        if (pos < buffer.size()) {
            if (!headSeen) {
                StateEntry e = buffer.get(pos);
                reads.add(RwSetRecorder.read(e.key(), e.value()));
                lastKey = e.key();
                headSeen = true;
            }
            return true;
        }
        if (exhaustedAtEnd) {
            exhausted = true;
        }
        return false;
    }

    private void fill() {
        List<StateEntry> page = source.fetch(nextStart, PAGE_SIZE);
        buffer = page;
        pos = 0;
        if (!page.isEmpty()) {
            nextStart = Keys.successor(page.get(page.size() - 1).key());
        }
        // The state reader returns fewer keys than asked only at the end of the range.
        sourceDone = page.size() < PAGE_SIZE;
    }

    private final class Cursor implements Iterator<KeyValue> {
        @Override
        public boolean hasNext() {
            return advance();
        }

        @Override
        public KeyValue next() {
            if (!advance()) {
                throw new NoSuchElementException();
            }
            StateEntry e = buffer.get(pos++);
            headSeen = false;
            VersionedValue v = e.value();
            return new LedgerKeyValue(e.key(), v.value());
        }
    }
}
