package dev.dossier.client.bulk;

import dev.dossier.client.transport.DossierException;
import dev.dossier.client.transport.Notary;
import java.io.IOException;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What the bulk runs ({@link BulkAnchorer}, {@link BulkRevoker}) share about their transactions and threads: a
 * submission retries transient failures (node unavailable, deadline, MVCC conflict) up to {@value #ATTEMPTS} times
 * with exponential backoff from 200 ms, any other failure is thrown at once; the first failure of a run's threads
 * ends it.
 */
final class Retrying {
    private static final Logger LOG = Logger.getLogger(Retrying.class.getName());
    static final int ATTEMPTS = 6;
    private static final Set<String> TRANSIENT = Set.of(
            "UNAVAILABLE", "DEADLINE_EXCEEDED", "RESOURCE_EXHAUSTED", "MVCC_READ_CONFLICT", "PHANTOM_READ_CONFLICT");

    private Retrying() {}

    /**
     * @param what names the transaction in log lines ({@code batch 3}, {@code line 12})
     * @param stopped true once the run has failed elsewhere: no more retries
     */
    static Notary.Committed submit(Notary notary, String what, BooleanSupplier stopped, String function, String... args)
            throws DossierException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return notary.submit(function, args);
            } catch (DossierException e) {
                if (attempt == ATTEMPTS || !isTransient(e) || stopped.getAsBoolean()) {
                    throw e;
                }
                long backoff = 200L << (attempt - 1);
                LOG.log(
                        Level.WARNING,
                        what + " attempt " + attempt + " failed, retrying in " + backoff + " ms: " + e.getMessage());
                Thread.sleep(backoff);
            }
        }
    }

    /** @return true if {@code e} is worth retrying */
    static boolean isTransient(DossierException e) {
        return TRANSIENT.contains(String.valueOf(e.getCode()));
    }

    /**
     * Throws the failure a bulk run stopped on, as the run's own checked exception where it is one.
     *
     * @param failed the first failure of the run's threads, or null
     */
    static void rethrow(Exception failed) throws IOException, DossierException {
        if (failed instanceof DossierException e) {
            throw e;
        } else if (failed instanceof IOException e) {
            throw e;
        } else if (failed != null) {
            throw new IOException(failed.getMessage(), failed);
        }
    }
}
