package dev.dossier.node.http;

import static dev.dossier.node.http.Response.JSON;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dossier.node.ledger.Ledger;
import dev.dossier.node.log.CheckpointPublisher;
import dev.dossier.node.log.CommitmentLog;
import dev.dossier.node.metrics.NodeMetrics;
import dev.dossier.node.ordering.RaftStatus;
import dev.dossier.node.ordering.Waiting;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The operators' routes, {@code GET /healthz} and {@code GET /metrics}, and the meters the API adds to the node's
 * metrics (see {@code docs/metrics.md}).
 */
final class OperatorRoutes {
    private final Ledger ledger;
    private final CommitmentLog log;
    private final CheckpointPublisher checkpoints;
    private final BooleanSupplier health;
    private final Supplier<Optional<Waiting>> waiting;
    private final NodeMetrics metrics;

    OperatorRoutes(
            Ledger ledger,
            CommitmentLog log,
            CheckpointPublisher checkpoints,
            BooleanSupplier health,
            Supplier<Optional<Waiting>> waiting,
            NodeMetrics metrics) {
        this.ledger = ledger;
        this.log = log;
        this.checkpoints = checkpoints;
        this.health = health;
        this.waiting = waiting;
        this.metrics = metrics;
    }

    /**
     * {@code GET /healthz}: 200 while the node can commit blocks, else 503, with its heights and what its ordering
     * waits for ({@code ordering}).
     */
    Response health() {
        boolean healthy = health.getAsBoolean();
        ObjectNode body = JSON.createObjectNode()
                .put("status", healthy ? "ok" : "unavailable")
                .put("height", ledger.height())
                .put("log_size", log.size());
        Optional<CheckpointPublisher.Cosigned> latest = checkpoints.latest();
        if (latest.isPresent()) {
            body.put("checkpoint_size", latest.get().checkpoint().size());
        } else {
            body.putNull("checkpoint_size");
        }
        waiting.get().ifPresent(w -> body.set("ordering", ordering(w)));
        return Response.json(healthy ? 200 : 503, body);
    }

    private static ObjectNode ordering(Waiting waiting) {
        ObjectNode ordering = JSON.createObjectNode().put("role", waiting.role());
        Optional<RaftStatus> raft = waiting.raft();
        ordering.put("leader", raft.map(RaftStatus::leader).orElse(null));
        if (raft.isPresent()) {
            ordering.put("term", raft.get().term())
                    .put("commit_index", raft.get().commitIndex())
                    .put("applied_index", raft.get().appliedIndex())
                    .put("follower_lag", raft.get().followerLag());
        } else {
            ordering.putNull("term")
                    .putNull("commit_index")
                    .putNull("applied_index")
                    .putNull("follower_lag");
        }
        return ordering.put("queued_transactions", waiting.queuedTransactions())
                .put("batches_in_flight", waiting.batchesInFlight())
                .put("uncommitted_transactions", waiting.uncommittedTransactions())
                .put("oldest_uncommitted_seconds", waiting.oldestUncommitted().toMillis() / 1000.0);
    }

    /** {@code GET /metrics}: the node's metrics in the Prometheus text format. */
    Response metrics() {
        return new Response(
                200,
                "text/plain; version=0.0.4; charset=utf-8",
                metrics.scrape().getBytes(StandardCharsets.UTF_8),
                Map.of());
    }

    /** The API's meters: the node's health, ledger height, log and checkpoint, HTTP connections (see {@code docs/metrics.md}). */
    void registerMeters(GuardedServer server) {
        metrics.gauge(
                "dossier.healthy",
                "1 while the node can commit blocks (as /healthz), else 0.",
                () -> health.getAsBoolean() ? 1 : 0);
        metrics.gauge("dossier.ledger.height", "Committed blocks.", ledger::height);
        metrics.gauge("dossier.log.size", "Leaves of the commitment log.", log::size);
        metrics.gauge(
                "dossier.checkpoint.size",
                "Leaves covered by the latest cosigned checkpoint (-1: none yet).",
                () -> checkpoints.latest().map(c -> c.checkpoint().size()).orElse(-1L));
        metrics.gauge(
                "dossier.checkpoint.timestamp.seconds",
                "Time of the latest cosigned checkpoint, Unix seconds (0: none yet).",
                () -> checkpoints.latest().map(c -> c.checkpoint().time()).orElse(0L));
        metrics.gauge(
                "dossier.checkpoint.cosigners",
                "Nodes whose signatures on the latest cosigned checkpoint verify.",
                () -> checkpoints.latest().map(c -> c.signers().size()).orElse(0));
        metrics.gauge("dossier.http.connections.open", "Open HTTP connections.", server::openConnections);
        metrics.gauge(
                "dossier.http.connections.timed_out",
                "HTTP connections closed since start because a request's headers had not arrived in time.",
                server::timedOut);
        metrics.gauge(
                "dossier.http.connections.refused",
                "HTTP connections closed since start because their address had too many open.",
                server::refused);
    }
}
