package dev.dossier.client.credential;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dossier.client.LedgerEntry;
import dev.dossier.client.bulk.Anchoring;
import dev.dossier.client.bulk.Outcome;
import dev.dossier.client.digest.Commitment;
import dev.dossier.client.record.TrainingRecord;
import dev.dossier.client.transport.DossierException;
import dev.dossier.client.transport.NodeApi;
import dev.dossier.client.transport.Notary;
import dev.dossier.common.concurrent.DaemonThreads;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Issues the Open Badges credentials of anchored records: asks the node where each record's status bit is (its leaf
 * index in the commitment log, {@code GET /v1/credential-status}), signs the credential, and anchors the credentials'
 * digests (kind {@code credential}) in {@code anchorBatch} transactions of at most {@value #BATCH} entries. The
 * record must be anchored first, by this organisation: its leaf index is the credential's status index, so the
 * credential is revoked when the record is.
 */
public final class CredentialIssuance {
    /** Credential entries per {@code anchorBatch}. */
    public static final int BATCH = 1000;
    /** Threads that ask the node and sign. */
    static final int THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());

    private final Notary notary;
    private final NodeApi node;
    private final CredentialIssuer issuer;
    private final Clock clock;
    private final Duration wait;

    /** A record to issue the credential of, and its commitment. */
    public record Anchored(TrainingRecord record, Commitment commitment) {}

    /** @param wait how long to wait for a freshly committed record to reach the node's log */
    public CredentialIssuance(Notary notary, NodeApi node, CredentialIssuer issuer, Clock clock, Duration wait) {
        this.notary = Objects.requireNonNull(notary, "notary");
        this.node = Objects.requireNonNull(node, "node");
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.wait = Objects.requireNonNull(wait, "wait");
    }

    /**
     * Signs one record's credential and anchors its digest.
     *
     * @throws IOException if the node does not know the record's leaf, or the ledger refuses the credential's entry
     */
    public IssuedCredential issue(TrainingRecord record, Commitment commitment)
            throws IOException, InterruptedException, DossierException {
        return issueAll(List.of(new Anchored(record, commitment))).get(0);
    }

    /**
     * Signs the credentials of anchored records and anchors their digests.
     *
     * @return the credentials, in the order of {@code records}
     * @throws IOException if the node does not know a record's leaf, or the ledger refuses a credential's entry
     */
    public List<IssuedCredential> issueAll(List<Anchored> records)
            throws IOException, InterruptedException, DossierException {
        List<IssuedCredential> issued = new ArrayList<>(records.size());
        ExecutorService signers = Executors.newFixedThreadPool(THREADS, DaemonThreads.named("credential-signer"));
        try {
            List<Future<IssuedCredential>> futures = new ArrayList<>(records.size());
            for (Anchored anchored : records) {
                futures.add(signers.submit(() -> {
                    try {
                        return issuer.issue(
                                anchored.record(),
                                anchored.commitment(),
                                position(anchored.commitment()),
                                clock.instant());
                    } catch (IllegalArgumentException | IllegalStateException e) {
                        throw new IOException(
                                "no credential of record " + anchored.record().recordId() + " version "
                                        + anchored.record().version() + ": " + e.getMessage(),
                                e);
                    }
                }));
            }
            for (Future<IssuedCredential> future : futures) {
                issued.add(result(future));
            }
        } finally {
            signers.shutdownNow();
        }
        for (int from = 0; from < issued.size(); from += BATCH) {
            anchor(issued.subList(from, Math.min(issued.size(), from + BATCH)));
        }
        return issued;
    }

    private static IssuedCredential result(Future<IssuedCredential> future) throws IOException, InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(e.getCause());
        }
    }

    /**
     * @return where the bit of an anchored record is, as the node answers
     * @throws IOException if the record is not this organisation's active entry, or the node does not answer
     */
    public OpenBadges.StatusPosition position(Commitment record) throws IOException, InterruptedException {
        LedgerEntry entry = node.status(record)
                .orElseThrow(() -> new IOException("record " + record + " is not anchored: anchor it first"));
        if (!issuer.organisation().equals(entry.mspId()) || !"active".equals(entry.status())) {
            throw new IOException("record " + record + " is " + entry.status() + " and anchored by " + entry.mspId()
                    + ": " + issuer.organisation() + " issues credentials only of its own active records");
        }
        JsonNode answer = node.credentialStatus(record, wait);
        String list = answer.path("status_list").asText("");
        String index = answer.path("status_list_index").asText("");
        if (list.isEmpty() || !index.matches("0|[1-9][0-9]{0,17}")) {
            throw new IOException("the node's status list position of " + record + " is malformed: " + answer);
        }
        return new OpenBadges.StatusPosition(list, Long.parseLong(index));
    }

    private void anchor(List<IssuedCredential> batch) throws IOException, DossierException {
        StringBuilder entries = new StringBuilder("[");
        List<String> digests = new ArrayList<>(batch.size());
        for (IssuedCredential credential : batch) {
            entries.append(entries.length() > 1 ? "," : "").append(credential.entryJson());
            digests.add(credential.digest().toString());
        }
        Notary.Committed committed =
                notary.submit("anchorBatch", entries.append(']').toString());
        for (Anchoring.Result result : Anchoring.parseResults(committed.result(), digests)) {
            if (result.outcome() != Outcome.ANCHORED && result.outcome() != Outcome.ALREADY_ANCHORED) {
                throw new IOException("the ledger refused credential " + result.commitment() + ": " + result.outcome()
                        + (result.reason() == null ? "" : " (" + result.reason() + ")"));
            }
        }
    }
}
