package dev.dossier.node.credential;

import dev.dossier.credential.Contexts;
import dev.dossier.credential.DataIntegrity;
import dev.dossier.credential.ProofSigner;
import dev.dossier.credential.StatusList;
import dev.dossier.node.log.CommitmentLog;
import dev.dossier.node.revocation.RevocationIndex;
import jakarta.json.JsonObject;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The node's Bitstring Status Lists, built from its ledger: list {@code n} covers the commitment log's leaves {@code
 * n × 131,072} to {@code (n + 1) × 131,072 - 1}, and bit {@code i} is set when the entry at leaf {@code n × 131,072 +
 * i} is revoked or superseded. A credential's status index is its record's leaf index: assigned once by the log, in
 * block order, the same on every node, never shared by two entries, so two credentials can never share a bit.
 *
 * <p>Each list is a {@code BitstringStatusListCredential} signed with the node's checkpoint key ({@code
 * ecdsa-rdfc-2019}, P-256) under the node's {@code did:web}. A list is rebuilt when the revocation index's version or
 * the log's size changed (reading every revoked or superseded commitment once, and its leaf index), and the last
 * {@value #CACHED} lists built are kept. Thread-safe.
 */
public final class StatusLists {
    /** Lists kept built and signed. */
    static final int CACHED = 16;

    private final RevocationIndex revocations;
    private final CommitmentLog log;
    private final ProofSigner signer;
    private final String issuer;
    private final String baseUrl;
    private final Clock clock;
    private final Map<Long, Built> cache = new LinkedHashMap<>(CACHED, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Built> eldest) {
            return size() > CACHED;
        }
    };

    private record Built(long version, long logSize, JsonObject credential) {}

    /** Where a commitment's bit is. */
    public record Position(long leafIndex, long list, long index, String url) {}

    /**
     * @param signer the node's checkpoint key, as {@code ecdsa-rdfc-2019} under the node's DID
     * @param issuer the node's DID
     * @param baseUrl the node's HTTP address, such as {@code http://localhost:9051}
     */
    public StatusLists(
            RevocationIndex revocations,
            CommitmentLog log,
            ProofSigner signer,
            String issuer,
            String baseUrl,
            Clock clock) {
        this.revocations = Objects.requireNonNull(revocations, "revocations");
        this.log = Objects.requireNonNull(log, "log");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** @return the URL of list {@code n} on this node */
    public String url(long n) {
        return baseUrl + "/v1/status-lists/" + n;
    }

    /** @return where the bit of an anchored commitment is, empty if the log does not hold it (yet) */
    public java.util.Optional<Position> position(byte[] commitment) {
        OptionalLong leaf = log.indexOf(commitment);
        if (leaf.isEmpty()) {
            return java.util.Optional.empty();
        }
        long list = leaf.getAsLong() / StatusList.MIN_BITS;
        return java.util.Optional.of(
                new Position(leaf.getAsLong(), list, leaf.getAsLong() % StatusList.MIN_BITS, url(list)));
    }

    /** @return the number of lists the log's size calls for (at least 1) */
    public long count() {
        return Math.max(1, (log.size() + StatusList.MIN_BITS - 1) / StatusList.MIN_BITS);
    }

    /**
     * @return list {@code n}, signed
     * @throws IllegalArgumentException if {@code n} is beyond {@link #count()}
     */
    public synchronized JsonObject list(long n) {
        if (n < 0 || n >= count()) {
            throw new IllegalArgumentException("status list " + n + " does not exist: this node's log has " + count()
                    + " list(s), 0 to " + (count() - 1));
        }
        long version = revocations.version();
        long size = log.size();
        Built built = cache.get(n);
        if (built == null || built.version != version || built.logSize != size) {
            built = new Built(version, size, build(n));
            cache.put(n, built);
        }
        return built.credential;
    }

    private JsonObject build(long n) {
        StatusList bits = StatusList.empty();
        long first = n * StatusList.MIN_BITS;
        revocations.forEachCommitment(commitment -> {
            OptionalLong leaf = log.indexOf(commitment);
            if (leaf.isPresent() && leaf.getAsLong() >= first && leaf.getAsLong() < first + StatusList.MIN_BITS) {
                bits.set(leaf.getAsLong() - first);
            }
        });
        return DataIntegrity.sign(
                bits.credential(url(n), issuer, clock.instant()), signer, clock.instant(), Contexts.bundled());
    }
}
