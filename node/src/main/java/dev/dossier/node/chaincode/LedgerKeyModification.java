package dev.dossier.node.chaincode;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.dossier.node.ledger.HistoryEntry;
import java.time.Instant;
import org.hyperledger.fabric.shim.ledger.KeyModification;

/** One committed change of a key, as {@code getHistoryForKey} returns it. The value is copied out. */
final class LedgerKeyModification implements KeyModification {
    private static final byte[] EMPTY = new byte[0];

    private final HistoryEntry entry;

    LedgerKeyModification(HistoryEntry entry) {
        this.entry = entry;
    }

    @Override
    public String getTxId() {
        return entry.txId();
    }

    @Override
    public byte[] getValue() {
        return entry.value() == null ? EMPTY : entry.value().clone();
    }

    @Override
    public String getStringValue() {
        return entry.value() == null ? "" : new String(entry.value(), UTF_8);
    }

    @Override
    public Instant getTimestamp() {
        return entry.timestamp();
    }

    @Override
    public boolean isDeleted() {
        return entry.delete();
    }

    @Override
    public String toString() {
        return "KeyModification{" + entry.txId() + (entry.delete() ? ", delete}" : "}");
    }
}
