package dev.dossier.node.consortium;

import static java.util.Objects.requireNonNull;

import dev.dossier.node.identity.IdentityValidator;
import dev.dossier.node.ledger.StateReader;
import dev.dossier.node.ledger.VersionedValue;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The consortium a node applies: the document its ledger holds ({@value ConsortiumChanges#CONFIG_KEY} in {@value
 * ConsortiumChanges#NAMESPACE}). At start it is the one the ledger holds at its height; after each committed block
 * {@link #follow} reads it again and, when a change committed, updates the identity validator (new organisations'
 * CAs, removed ones', revoked serials) and tells the listeners (the gateway's validator and endorsers, Raft, TLS
 * trust), before the next block is checked: every node applies a change at the same block, and a node that replays
 * blocks (a restart, a catch-up) applies it at the same block too. A ledger whose genesis holds no document (made before the consortium
 * was on the ledger) keeps the consortium of the node's files.
 */
public final class ConsortiumInForce {
    private static final Logger LOG = Logger.getLogger(ConsortiumInForce.class.getName());

    private final IdentityValidator identities;
    private final List<Consumer<ConsortiumDocument>> listeners = new CopyOnWriteArrayList<>();
    private volatile byte[] bytes;
    private volatile ConsortiumDocument document;

    private ConsortiumInForce(IdentityValidator identities) {
        this.identities = identities;
    }

    /**
     * Reads the document in force from the ledger and has {@code identities} validate against it.
     *
     * @throws IllegalStateException if the stored document does not parse (a ledger no node could have written)
     */
    public static ConsortiumInForce open(StateReader ledger, IdentityValidator identities) {
        ConsortiumInForce inForce = new ConsortiumInForce(requireNonNull(identities, "identities"));
        inForce.follow(ledger);
        return inForce;
    }

    /** @return the document in force, or empty when the ledger holds none */
    public Optional<ConsortiumDocument> document() {
        return Optional.ofNullable(document);
    }

    /** Calls {@code listener} with each document that comes into force after this call, on the committing thread. */
    public void onChange(Consumer<ConsortiumDocument> listener) {
        listeners.add(requireNonNull(listener, "listener"));
    }

    /**
     * Applies the document the ledger holds now, if it changed: call it after each committed block, before the next
     * block is checked.
     */
    public synchronized void follow(StateReader ledger) {
        Optional<VersionedValue> stored = ledger.get(ConsortiumChanges.NAMESPACE, ConsortiumChanges.CONFIG_KEY);
        if (stored.isEmpty()) {
            return;
        }
        byte[] now = stored.get().value();
        if (Arrays.equals(now, bytes)) {
            return;
        }
        ConsortiumDocument next;
        try {
            next = ConsortiumDocument.parse(now);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                    "the consortium document on the ledger does not parse: " + e.getMessage(), e);
        }
        identities.update(next.msps());
        boolean first = document == null;
        bytes = now;
        document = next;
        LOG.info(() -> (first ? "consortium in force: sequence " : "consortium changed: sequence ") + next.sequence()
                + ", organisations " + next.mspIds() + ", nodes "
                + next.nodes().stream().map(m -> m.node().name()).toList());
        for (Consumer<ConsortiumDocument> listener : listeners) {
            try {
                listener.accept(next);
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "applying consortium sequence " + next.sequence() + ": " + e.getMessage(), e);
            }
        }
    }
}
