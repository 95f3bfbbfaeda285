package dev.dossier.client.transport;

import org.hyperledger.fabric.client.Contract;

/**
 * The calls the client makes to the notary contract, as transactions and queries: {@link #over(Contract)} submits them
 * through the official fabric-gateway client; tests and the benchmarks put an in-memory or PostgreSQL ledger in its
 * place. Implementations are thread-safe.
 */
public interface Notary {
    /** @return the notary contract {@code contract} of a fabric-gateway connection */
    static Notary over(Contract contract) {
        return new GatewayNotary(java.util.Objects.requireNonNull(contract, "contract"));
    }

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
