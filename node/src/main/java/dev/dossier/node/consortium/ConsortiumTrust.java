package dev.dossier.node.consortium;

import static java.util.Objects.requireNonNull;

import dev.dossier.common.note.TrustFile;
import dev.dossier.node.ledger.HistoryEntry;
import dev.dossier.node.ledger.StateReader;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.LongFunction;
import java.util.logging.Logger;

/**
 * The trust file of a consortium that has changed: the one of the document in force ({@link
 * ConsortiumDocument#trustFile}) with, for each earlier document whose node keys or majority differ from the next one's,
 * an earlier key set ({@link TrustFile.Earlier}) bounded by the commitment log's size when the next document came into
 * force. A receipt cosigned before a node was voted in or out then still verifies against the trust file served after
 * it, and the keys of the nodes of then count for checkpoints of no later size.
 *
 * <p>The bound is the log's size after the block before the change's block: a node's publisher stores only a
 * checkpoint cosigned under the keys in force for the whole of its round ({@code CheckpointPublisher}), and the log takes
 * the change's block after the change is in force. Every node reads the documents from its ledger's history of the
 * consortium key and the sizes from its own log, so every node serves the same earlier key sets.
 *
 * <pre>{@code
 * TrustFile trust = ConsortiumTrust.of(ledger, log::sizeAfter);
 * }</pre>
 */
public final class ConsortiumTrust {
    private static final Logger LOG = Logger.getLogger(ConsortiumTrust.class.getName());

    private ConsortiumTrust() {}

    /**
     * @param ledger the ledger holding the consortium document and its history
     * @param logSizeAfter the commitment log's number of leaves once a block was folded in, empty if it was not yet
     * @return the trust file of the document in force, with the earlier key sets of the documents before it; a set
     *     whose bound the log cannot give yet (a log behind the ledger) is left out, and a warning says so
     * @throws IllegalStateException if the ledger holds no consortium document, or one of its documents does not parse
     */
    public static TrustFile of(StateReader ledger, LongFunction<OptionalLong> logSizeAfter) {
        requireNonNull(logSizeAfter, "logSizeAfter");
        List<HistoryEntry> writes = new ArrayList<>();
        for (HistoryEntry entry : ledger.history(ConsortiumChanges.NAMESPACE, ConsortiumChanges.CONFIG_KEY)) {
            if (!entry.delete()) {
                writes.add(0, entry); // the history is newest first
            }
        }
        if (writes.isEmpty()) {
            throw new IllegalStateException("the ledger holds no consortium document");
        }
        List<TrustFile> trusts = new ArrayList<>();
        for (HistoryEntry write : writes) {
            try {
                trusts.add(ConsortiumDocument.parse(write.value()).trustFile());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(
                        "the consortium document of block " + write.block() + " does not parse: " + e.getMessage(), e);
            }
        }
        List<TrustFile.Earlier> earlier = new ArrayList<>();
        for (int i = 0; i + 1 < trusts.size(); i++) {
            TrustFile before = trusts.get(i);
            TrustFile after = trusts.get(i + 1);
            if (before.cosigners() == after.cosigners() && before.keys().equals(after.keys())) {
                continue; // the next key set, or the one in force, covers its checkpoints
            }
            long change = writes.get(i + 1).block();
            OptionalLong bound = logSizeAfter.apply(change - 1);
            if (bound.isEmpty()) {
                LOG.warning(() -> "the trust file leaves out the node keys of before the consortium change of block "
                        + change + ": the commitment log has not reached block " + (change - 1)
                        + " yet; receipts cosigned by them verify again once it has");
                continue;
            }
            earlier.add(new TrustFile.Earlier(bound.getAsLong(), before.cosigners(), before.keys()));
        }
        return trusts.get(trusts.size() - 1).withEarlier(earlier);
    }
}
