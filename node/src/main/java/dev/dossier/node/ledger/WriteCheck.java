package dev.dossier.node.ledger;

import java.util.List;
import java.util.Optional;

/**
 * A commit-time rule on what one transaction may write: the key-level endorsement policies and the namespaces'
 * validation rules, judged by {@link Ledger#commit} for every transaction that passed its prechecks, against the
 * state as the block's preceding transactions left it. A transaction that breaks the rule is marked
 * {@code ENDORSEMENT_POLICY_FAILURE} and writes nothing. Implementations must be deterministic: the same
 * transaction and state give the same verdict on every node.
 */
@FunctionalInterface
public interface WriteCheck {
    /** Allows every write: for transactions whose writes need no endorsement (ledger tests, genesis). */
    WriteCheck UNCHECKED = (writes, state) -> Optional.empty();

    /**
     * @param writes every key the transaction writes, deletes or changes the metadata of
     * @return why the writes are not allowed, or empty if they are
     */
    Optional<String> violation(List<KeyWrite> writes, StateView state);
}
