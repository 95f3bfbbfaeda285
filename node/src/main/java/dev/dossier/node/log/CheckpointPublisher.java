package dev.dossier.node.log;

import dev.dossier.common.note.Checkpoint;
import dev.dossier.common.note.NoteException;
import dev.dossier.common.note.NoteSignature;
import dev.dossier.common.note.NoteVerifier;
import dev.dossier.common.note.SignedNote;
import dev.dossier.common.note.TrustFile;
import dev.dossier.node.clock.NodeClock;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps a cosigned checkpoint of the node's commitment log, which receipts are built against. Every second, if the log
 * grew since the latest cosigned checkpoint or that checkpoint is more than a minute old, the node signs {@code
 * Checkpoint(origin, size, root(size), now)} and sends it to every other node of its cluster ({@code POST
 * /v1/checkpoint/cosign}); it keeps the signature lines that verify against the trust file's keys and, once it holds
 * the trust file's number of cosigners (its own signature included), stores the note durably in the log's database as
 * its latest cosigned checkpoint. A single node needs only its own signature.
 *
 * <p>The trust file and the nodes asked are replaced whole when the consortium in force changes ({@link #update}):
 * from the next round a node voted in is asked and counts, a node voted out is neither.
 *
 * <p>It also answers the other nodes' requests ({@link #cosign}): it adds its signature to a checkpoint only if a node
 * of the consortium in force signed it, it names this log, its time is within five minutes of this node's clock, and this
 * node's own log has the same root at that size.
 *
 * <p>Security: a cosigned checkpoint states that {@code cosigners} nodes computed the same root from their own copies
 * of the blocks; a receipt verified against it cannot be forged without the keys of that many nodes.
 *
 * <pre>{@code
 * try (CheckpointPublisher checkpoints = CheckpointPublisher.start(log, signer, trust, cosignUris)) {
 *     checkpoints.latest().ifPresent(cosigned -> System.out.println(cosigned.checkpoint()));
 * }
 * }</pre>
 */
public final class CheckpointPublisher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CheckpointPublisher.class.getName());

    /** How often the publisher looks at the log. */
    static final Duration INTERVAL = Duration.ofSeconds(1);
    /** A cosigned checkpoint older than this is renewed even if the log did not grow. */
    static final Duration MAX_AGE = Duration.ofSeconds(60);
    /** How far a checkpoint's time may be from this node's clock for it to cosign. */
    static final Duration MAX_SKEW = Duration.ofMinutes(5);
    /** How long a cosign request waits for this node's log to reach the checkpoint's size. */
    static final Duration BEHIND_WAIT = Duration.ofSeconds(3);
    /** How long the publisher waits for another node's cosignature (it may wait {@link #BEHIND_WAIT} itself). */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    /** Longest answer read from another node. */
    static final int MAX_RESPONSE_BYTES = 64 << 10;

    /** A checkpoint with enough signatures: the note, its parsed checkpoint and the nodes that signed it. */
    public record Cosigned(SignedNote note, Checkpoint checkpoint, Set<String> signers) {
        public Cosigned {
            Objects.requireNonNull(note, "note");
            Objects.requireNonNull(checkpoint, "checkpoint");
            signers = Set.copyOf(signers);
        }
    }

    /** Whose signatures count and whom to ask: replaced whole when the consortium in force changes. */
    private record Cosigners(TrustFile trust, List<URI> uris) {
        Cosigners {
            Objects.requireNonNull(trust, "trust");
            uris = List.copyOf(uris);
        }
    }

    private final CommitmentLog log;
    private final CheckpointSigner signer;
    private volatile Cosigners cosigners;
    private final Clock clock;
    private final Duration behindWait;
    private final HttpClient http;
    private final ScheduledExecutorService scheduler;
    private volatile Cosigned latest;
    private long lastWarning;

    CheckpointPublisher(
            CommitmentLog log,
            CheckpointSigner signer,
            TrustFile trust,
            List<URI> cosigners,
            Clock clock,
            Duration behindWait) {
        this.log = Objects.requireNonNull(log, "log");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.cosigners = new Cosigners(trust, cosigners);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.behindWait = Objects.requireNonNull(behindWait, "behindWait");
        this.http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "checkpoints");
            thread.setDaemon(true);
            return thread;
        });
        this.latest = reload().orElse(null);
    }

    /**
     * Reloads the latest cosigned checkpoint stored in the log and starts publishing.
     *
     * @param log the node's commitment log
     * @param signer signs checkpoints with the node's key, which must be in {@code trust}
     * @param trust the consortium's trust file: origin, node keys, cosigners needed
     * @param cosigners the cosign endpoints ({@code http://host:port/v1/checkpoint/cosign}) of the other nodes
     */
    public static CheckpointPublisher start(
            CommitmentLog log, CheckpointSigner signer, TrustFile trust, List<URI> cosigners) {
        CheckpointPublisher publisher =
                new CheckpointPublisher(log, signer, trust, cosigners, NodeClock.clock(), BEHIND_WAIT);
        publisher.scheduler.scheduleWithFixedDelay(
                publisher::publishQuietly, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        return publisher;
    }

    /** @return the latest cosigned checkpoint, if there is one yet */
    public Optional<Cosigned> latest() {
        return Optional.ofNullable(latest);
    }

    /**
     * @return {@code text} signed with this node's checkpoint key, which the trust file lists: what verifiers of the
     *     node's revocation list check
     */
    public SignedNote signNote(String text) {
        return signer.signNote(text);
    }

    /** @return the trust file that checkpoints are verified against */
    public TrustFile trust() {
        return cosigners.trust();
    }

    /**
     * Puts another trust file in force (the consortium's changed): from the next round only its keys' signatures
     * count, and its nodes are asked to cosign. A node whose own key it does not list publishes nothing until one
     * does. The latest cosigned checkpoint is dropped if it no longer has enough signatures of the new keys, so that
     * the next round cosigns a new one.
     *
     * @param trust the trust file in force
     * @param uris the cosign endpoints of the other nodes it lists
     */
    public synchronized void update(TrustFile trust, List<URI> uris) {
        cosigners = new Cosigners(trust, uris);
        Cosigned current = latest;
        if (current != null) {
            try {
                trust.verifier().verify(current.note());
            } catch (NoteException e) {
                latest = null;
                LOG.info(() -> "cosigned checkpoint " + current.checkpoint() + " no longer verifies against the"
                        + " consortium's keys in force (" + e.getMessage() + "); a new one will be cosigned");
            }
        }
    }

    /** @return whether the trust file lists this node's key under its name */
    private static boolean lists(TrustFile trust, NoteVerifier.Key own) {
        return trust.keys().stream().anyMatch(k -> k.name().equals(own.name()) && k.keyId() == own.keyId());
    }

    private Optional<Cosigned> reload() {
        Optional<String> stored = log.cosignedCheckpoint();
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        TrustFile trust = cosigners.trust();
        try {
            SignedNote note = SignedNote.parse(stored.get());
            Set<String> signers = trust.verifier().verify(note);
            Checkpoint checkpoint = Checkpoint.parse(note.text());
            if (!checkpoint.origin().equals(trust.origin())
                    || checkpoint.size() > log.size()
                    || !Arrays.equals(checkpoint.root(), log.root(checkpoint.size()))) {
                throw new NoteException("it does not describe this log: " + checkpoint);
            }
            return Optional.of(new Cosigned(note, checkpoint, signers));
        } catch (NoteException e) {
            LOG.warning(() -> "stored cosigned checkpoint dropped: " + e.getMessage());
            return Optional.empty();
        }
    }

    private void publishQuietly() {
        try {
            publish();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "checkpoint not published: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One round: if the log grew or the latest checkpoint is old, signs a new checkpoint, collects the other nodes'
     * signatures and stores it when enough nodes signed.
     *
     * @return the checkpoint stored by this round, if any
     */
    Optional<Cosigned> publish() throws IOException, InterruptedException {
        long now = clock.instant().getEpochSecond();
        Cosigned current = latest;
        if (current != null
                && current.checkpoint().size() >= log.size()
                && now - current.checkpoint().time() < MAX_AGE.toSeconds()) {
            return Optional.empty();
        }
        Cosigners inForce = cosigners;
        TrustFile trust = inForce.trust();
        if (!lists(trust, signer.verifierKey())) {
            warn("no checkpoint published: this node's key "
                    + signer.verifierKey().vkey() + " is not among the consortium's keys in force");
            return Optional.empty();
        }
        SignedNote own = signer.sign(trust.origin(), log, now);
        Map<String, NoteSignature> signatures = new LinkedHashMap<>();
        NoteSignature ownSignature = own.signatures().get(0);
        signatures.put(ownSignature.keyName(), ownSignature);
        if (!inForce.uris().isEmpty()) {
            collect(own, inForce, signatures);
        }
        SignedNote note = SignedNote.of(own.text(), new ArrayList<>(signatures.values()));
        Set<String> signers;
        Checkpoint checkpoint;
        try {
            signers = trust.verifier().verify(note);
            checkpoint = Checkpoint.parse(note.text());
        } catch (NoteException e) {
            warn("checkpoint of " + log.size() + " leaves not cosigned: " + e.getMessage());
            return Optional.empty();
        }
        if (current != null && checkpoint.size() < current.checkpoint().size()) {
            return Optional.empty();
        }
        Cosigned cosigned = new Cosigned(note, checkpoint, signers);
        synchronized (this) {
            if (cosigners != inForce) {
                return Optional.empty(); // the consortium changed meanwhile: the next round asks its nodes
            }
            log.storeCosignedCheckpoint(note.format());
            latest = cosigned;
        }
        LOG.fine(() -> "cosigned checkpoint " + checkpoint + " by " + signers);
        return Optional.of(cosigned);
    }

    /** Sends the note to every other node at once and adds the signature lines that verify against the trust file. */
    private void collect(SignedNote own, Cosigners inForce, Map<String, NoteSignature> signatures)
            throws InterruptedException {
        String body = own.format();
        List<CompletableFuture<String>> answers = new ArrayList<>();
        for (URI uri : inForce.uris()) {
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", "text/plain; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                    .build();
            answers.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
                    .thenApply(response -> read(uri, response)));
        }
        long deadline = System.nanoTime() + REQUEST_TIMEOUT.plusSeconds(1).toNanos();
        for (int i = 0; i < answers.size(); i++) {
            URI uri = inForce.uris().get(i);
            String answer;
            try {
                answer = answers.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                LOG.fine(() -> uri + " did not cosign: " + cause);
                answers.get(i).cancel(true);
                continue;
            }
            addVerified(own.text(), answer, inForce.trust(), signatures);
        }
    }

    private static String read(URI uri, HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            byte[] body = in.readNBytes(MAX_RESPONSE_BYTES + 1);
            if (body.length > MAX_RESPONSE_BYTES) {
                throw new IllegalStateException(uri + " answered more than " + MAX_RESPONSE_BYTES + " bytes");
            }
            String text = new String(body, StandardCharsets.UTF_8);
            if (response.statusCode() != 200) {
                throw new IllegalStateException(uri + " answered " + response.statusCode() + ": " + text.strip());
            }
            return text;
        } catch (IOException e) {
            throw new IllegalStateException(uri + ": " + e.getMessage(), e);
        }
    }

    private static void addVerified(
            String text, String answer, TrustFile trust, Map<String, NoteSignature> signatures) {
        SignedNote returned;
        try {
            returned = SignedNote.parse(answer);
        } catch (NoteException e) {
            LOG.fine(() -> "a cosigner answered something that is not a signed note: " + e.getMessage());
            return;
        }
        if (!returned.text().equals(text)) {
            LOG.fine("a cosigner returned another checkpoint text");
            return;
        }
        for (NoteSignature line : returned.signatures()) {
            if (signatures.containsKey(line.keyName())) {
                continue;
            }
            for (NoteVerifier.Key key : trust.keys()) {
                if (key.name().equals(line.keyName()) && key.keyId() == line.keyId()) {
                    try {
                        new NoteVerifier(List.of(key), 1).verify(SignedNote.of(text, List.of(line)));
                        signatures.put(line.keyName(), line);
                    } catch (NoteException e) {
                        LOG.fine(() -> "signature of " + key.name() + " does not verify");
                    }
                }
            }
        }
    }

    /**
     * Cosigns a checkpoint another node of the consortium signed: returns the same note with this node's signature
     * line appended (unchanged if it already carries it).
     *
     * @throws CosignException {@link CosignException.Reason#MALFORMED} if no node of the consortium signed it or its
     *     text is not a checkpoint; {@link CosignException.Reason#CONFLICT} if it names another log, its time is more
     *     than five minutes from this node's clock, or this node's log has another root at that size; {@link
     *     CosignException.Reason#BEHIND} if this node's log is still smaller after waiting up to three seconds
     * @throws InterruptedException if interrupted while waiting for the log
     */
    public SignedNote cosign(SignedNote note) throws CosignException, InterruptedException {
        Objects.requireNonNull(note, "note");
        TrustFile trust = cosigners.trust();
        Checkpoint checkpoint;
        try {
            new NoteVerifier(trust.keys(), 1).verify(note);
            checkpoint = Checkpoint.parse(note.text());
        } catch (NoteException e) {
            throw new CosignException(
                    CosignException.Reason.MALFORMED,
                    "not a checkpoint signed by a node of the" + " consortium: " + e.getMessage());
        }
        if (!checkpoint.origin().equals(trust.origin())) {
            throw new CosignException(
                    CosignException.Reason.CONFLICT,
                    "checkpoint of log " + checkpoint.origin() + ", this node keeps " + trust.origin());
        }
        long skew = Math.abs(checkpoint.time() - clock.instant().getEpochSecond());
        if (skew > MAX_SKEW.toSeconds()) {
            throw new CosignException(
                    CosignException.Reason.CONFLICT,
                    "checkpoint time " + checkpoint.instant() + " is " + skew + " s from this node's clock (at most "
                            + MAX_SKEW.toSeconds() + " s)");
        }
        long deadline = System.nanoTime() + behindWait.toNanos();
        while (log.size() < checkpoint.size()) {
            if (System.nanoTime() >= deadline) {
                throw new CosignException(
                        CosignException.Reason.BEHIND,
                        "this node's log has " + log.size() + " leaves, the checkpoint " + checkpoint.size());
            }
            Thread.sleep(20);
        }
        SignedNote cosigned;
        try {
            // the signer checks the size and root against this node's log before it signs
            cosigned = signer.cosign(note, log);
        } catch (NoteException e) {
            throw new CosignException(CosignException.Reason.MALFORMED, "not a checkpoint: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new CosignException(CosignException.Reason.CONFLICT, e.getMessage());
        }
        NoteVerifier.Key own = signer.verifierKey();
        boolean signedAlready =
                note.signatures().stream().anyMatch(s -> s.keyName().equals(own.name()) && s.keyId() == own.keyId());
        return signedAlready ? note : cosigned;
    }

    private synchronized void warn(String message) {
        long now = System.nanoTime();
        if (lastWarning == 0 || now - lastWarning > MAX_AGE.toNanos()) {
            lastWarning = now;
            LOG.warning(message);
        }
    }

    /** Stops publishing; the latest cosigned checkpoint stays stored in the log. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warning("checkpoint publisher did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
