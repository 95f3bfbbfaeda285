package dev.dossier.client;

/**
 * The calls Dossier makes to the notary contract. The gateway implementation submits through fabric-gateway; tests use
 * an in-memory one. Implementations are thread-safe.
 */
interface Notary {
    /** A committed transaction: its id, block and the contract's return value. */
    record Committed(String txId, long block, byte[] result) {}

    /**
     * Endorses and submits {@code function(args)} and waits until its block is committed (durably).
     *
     * @throws DossierException if it is refused, cannot be submitted, or is committed invalid
     */
    Committed submit(String function, String... args) throws DossierException;

    /**
     * Evaluates a query.
     *
     * @return the result, or null if the contract answered that the thing asked for does not exist
     * @throws DossierException if it is refused or cannot be made
     */
    byte[] evaluate(String function, String... args) throws DossierException;
}
