package dev.dossier.node.follower;

import dev.dossier.common.concurrent.DaemonThreads;
import dev.dossier.common.note.Checkpoint;
import dev.dossier.common.note.TrustFile;
import dev.dossier.node.StartedParts;
import dev.dossier.node.config.OrganisationKeys;
import dev.dossier.node.gateway.KnownSignatures;
import dev.dossier.node.gateway.TransactionValidator;
import dev.dossier.node.http.HttpApi;
import dev.dossier.node.http.HttpLimits;
import dev.dossier.node.identity.IdentityValidator;
import dev.dossier.node.identity.Msp;
import dev.dossier.node.identity.Signer;
import dev.dossier.node.ledger.BlockRefusedException;
import dev.dossier.node.ledger.Ledger;
import dev.dossier.node.ledger.LedgerException;
import dev.dossier.node.log.CheckpointPublisher;
import dev.dossier.node.log.CheckpointSigner;
import dev.dossier.node.log.CommitmentLog;
import dev.dossier.node.log.TrustFiles;
import dev.dossier.node.metrics.LedgerMeters;
import dev.dossier.node.metrics.NodeMetrics;
import dev.dossier.node.revocation.RevocationIndex;
import dev.dossier.node.validation.WriteRules;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.hyperledger.fabric.protos.common.Block;

/**
 * A Dossier process that follows a Fabric channel: no ordering, no endorsing. It pulls the channel's blocks from a
 * peer's Deliver service ({@link PeerDeliver}), from its ledger's height on (so it resumes where it stopped), checks
 * each ({@link FabricBlockVerifier}, then {@link Ledger#append}), stores it in a node's ledger and feeds the same
 * derived state a node feeds ({@link dev.dossier.node.DerivedStates}: commitment log, revocation index). It serves a node's HTTP API for
 * the channel ({@link HttpApi}: receipts, status, checkpoints, revocations, the verify page, health, metrics; no
 * anchoring) and signs checkpoints of its log that the other followers cosign, as nodes do.
 *
 * <p>A block refused (a peer that lies, or a block the consortium's rules do not allow) stops the following: nothing
 * of it is stored, {@code /healthz} answers 503 with the reason in the log, and the follower asks again after {@link
 * #RETRY_REFUSED}. A lost connection is retried with a back-off of up to {@link #RETRY_MAX}.
 *
 * <pre>{@code
 * try (Follower follower = Follower.start(settings)) {
 *     follower.awaitTermination();
 * }
 * }</pre>
 */
public final class Follower implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Follower.class.getName());

    /** How long after a refused block the follower asks its peer again. */
    public static final Duration RETRY_REFUSED = Duration.ofSeconds(30);

    /** The longest wait between two attempts to reach the peer. */
    public static final Duration RETRY_MAX = Duration.ofSeconds(30);

    /** The trust file a follower writes in its data directory: its followers' keys, for verifiers. */
    public static final String TRUST_FILE = "trust.txt";

    private final StartedParts parts;
    private final Ledger ledger;
    private final CommitmentLog log;
    private final FollowedChannel channel;
    private final CheckpointPublisher checkpoints;
    private final HttpApi http;
    private final Thread following;
    /** Why the last stream of blocks ended, null while one runs. */
    private volatile String problem = "not connected to the peer yet";
    /** The last block refused, until a block is accepted. */
    private volatile String refused;

    private Follower(StartedParts parts, FollowerSettings settings, Parts started) throws IOException {
        this.parts = parts;
        this.ledger = started.ledger;
        this.log = started.log;
        this.channel = new FollowedChannel(started.verifier, ledger, List.of(started.log, started.revocations));
        channel.catchUp();
        this.checkpoints = started.checkpoints;
        this.http = parts.add(
                "HTTP API",
                HttpApi.builder()
                        .address(settings.httpHost(), settings.httpPort())
                        .ledger(ledger, settings.chaincode())
                        .log(log)
                        .checkpoints(checkpoints)
                        .revocations(started.revocations)
                        .health(this::healthy)
                        .metrics(started.metrics)
                        .limits(HttpLimits.fromProperties(System.getProperties()))
                        .start(),
                HttpApi::close);
        PeerDeliver deliver = new PeerDeliver(settings.peer(), settings.channel(), started.signer);
        ExecutorService streamThread = parts.add(
                "peer stream thread",
                Executors.newSingleThreadExecutor(DaemonThreads.named("peer-deliver")),
                executor -> {
                    executor.shutdown();
                    executor.awaitTermination(10, TimeUnit.SECONDS);
                });
        this.following = new Thread(() -> follow(deliver, streamThread, settings), "follower");
        following.setDaemon(true);
        parts.add("following", following, thread -> {
            thread.interrupt();
            thread.join(TimeUnit.SECONDS.toMillis(10));
        });
    }

    /** The parts started before the HTTP API. */
    private record Parts(
            Signer signer,
            NodeMetrics metrics,
            Ledger ledger,
            CommitmentLog log,
            RevocationIndex revocations,
            FabricBlockVerifier verifier,
            CheckpointPublisher checkpoints) {}

    /**
     * Opens (or creates) the ledger and the derived state, starts serving the HTTP API and following the peer.
     *
     * @throws IOException if the identity, a certificate or a TLS file cannot be read, or the HTTP port cannot be
     *     bound
     * @throws LedgerException if the ledger cannot be opened (another process holds it) or holds a node's own blocks
     */
    public static Follower start(FollowerSettings settings) throws IOException, LedgerException {
        Signer signer = Signer.fromPem(settings.mspId(), settings.signCertificate(), settings.signKey());
        StartedParts parts = new StartedParts();
        try {
            NodeMetrics metrics = parts.add("metrics", new NodeMetrics(), NodeMetrics::close);
            Ledger ledger =
                    parts.add("ledger", Ledger.open(settings.dataDirectory().resolve("ledger")), Ledger::close);
            if (ledger.height() > 0 && !ledger.followed()) {
                throw new LedgerException(
                        "the ledger in " + settings.dataDirectory().resolve("ledger")
                                + " is a node's own: a follower needs a data directory of its own");
            }
            String origin = Checkpoint.origin(settings.channel(), settings.chaincode());
            CommitmentLog log = parts.add(
                    "commitment log",
                    CommitmentLog.open(settings.dataDirectory().resolve("log"), settings.chaincode()),
                    CommitmentLog::close);
            RevocationIndex revocations = parts.add(
                    "revocation index",
                    RevocationIndex.open(settings.dataDirectory().resolve("revocations"), settings.chaincode(), origin),
                    RevocationIndex::close);
            LedgerMeters.bind(metrics, ledger);
            TrustFile trust = TrustFiles.majority(origin, settings.followers())
                    .withCardKeys(
                            settings.cardKeys() == null ? List.of() : OrganisationKeys.CARDS.load(settings.cardKeys()));
            Files.writeString(settings.dataDirectory().resolve(TRUST_FILE), trust.format(), StandardCharsets.UTF_8);
            CheckpointPublisher checkpoints = parts.add(
                    "checkpoint publisher",
                    CheckpointPublisher.start(
                            log, new CheckpointSigner(signer, settings.name()), trust, settings.cosigners()),
                    CheckpointPublisher::close);
            Parts started = new Parts(signer, metrics, ledger, log, revocations, verifier(settings), checkpoints);
            Follower follower = new Follower(parts, settings, started);
            follower.following.start();
            LOG.info(() -> "following channel " + settings.channel() + " from the peer " + settings.peer()
                    + " as " + settings.mspId() + ", ledger height " + ledger.height() + "; HTTP API on "
                    + follower.httpUrl());
            return follower;
        } catch (Throwable e) {
            parts.closeAfter(e);
            throw e;
        }
    }

    /** @return the checks of the blocks of the channel {@code settings} name, against the trust they give */
    static FabricBlockVerifier verifier(FollowerSettings settings) {
        List<String> mspIds = settings.organisations().stream().map(Msp::mspId).toList();
        TransactionValidator transactions = new TransactionValidator(
                new IdentityValidator(settings.organisations()),
                settings.channel(),
                settings.chaincode(),
                settings.endorsers(),
                new KnownSignatures(1),
                new WriteRules(settings.chaincode(), mspIds));
        return new FabricBlockVerifier(
                settings.chaincode(),
                settings.orderer().mspId(),
                new IdentityValidator(List.of(settings.orderer())),
                transactions);
    }

    private void follow(PeerDeliver deliver, ExecutorService streamThread, FollowerSettings settings) {
        Duration wait = Duration.ofSeconds(1);
        while (!Thread.currentThread().isInterrupted()) {
            try {
                long from = ledger.height();
                problem = null;
                deliver.stream(from, this::accept, streamThread);
            } catch (InterruptedException e) {
                return;
            } catch (BlockRefusedException e) {
                problem = e.getMessage();
                refused = e.getMessage();
                LOG.severe(() -> "the peer " + settings.peer().address() + " sent a block this follower refuses: "
                        + e.getMessage() + "; nothing of it is stored, asking again in " + RETRY_REFUSED.toSeconds()
                        + " s");
                wait = RETRY_REFUSED;
            } catch (Exception e) {
                problem = e.getMessage();
                Duration next = wait;
                LOG.log(
                        Level.WARNING,
                        e,
                        () -> "following the peer: " + e.getMessage() + "; again in " + next.toSeconds() + " s");
            }
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            wait = wait.multipliedBy(2).compareTo(RETRY_MAX) > 0 ? RETRY_MAX : wait.multipliedBy(2);
        }
    }

    private void accept(Block block) throws BlockRefusedException, LedgerException {
        channel.accept(block);
        refused = null;
    }

    /** @return whether the follower is streaming blocks from its peer and has not refused the last one it got */
    public boolean healthy() {
        return problem == null && refused == null;
    }

    /** @return the number of blocks followed */
    public long height() {
        return ledger.height();
    }

    /** @return the commitment log derived from the channel */
    public CommitmentLog commitmentLog() {
        return log;
    }

    /** @return the HTTP API's base URL */
    public String httpUrl() {
        return http.baseUrl();
    }

    /** Blocks until the follower is closed. */
    public void awaitTermination() throws InterruptedException {
        following.join();
    }

    /** Stops following, the HTTP API, checkpoint publishing, and closes the derived state and the ledger. */
    @Override
    public void close() {
        parts.close();
    }
}
