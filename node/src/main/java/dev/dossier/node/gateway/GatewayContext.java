package dev.dossier.node.gateway;

import com.google.protobuf.ByteString;
import dev.dossier.node.chaincode.ChaincodeRuntime;
import dev.dossier.node.identity.IdentityValidator;
import dev.dossier.node.identity.Signer;
import dev.dossier.node.ledger.Ledger;
import dev.dossier.node.ordering.Orderer;
import dev.dossier.node.ordering.RaftOrderer;
import dev.dossier.node.ordering.RaftStatus;
import dev.dossier.node.ordering.Waiting;
import dev.dossier.node.validation.WriteRules;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What the gateway service works with: the node's ledger, chaincode runtime, identities and own signer, transaction
 * validator, orderer, commit notifier and the other nodes' endorsers, the channel it serves and the address it is
 * reached at.
 */
public final class GatewayContext {
    private final String channel;
    private final String address;
    private final Ledger ledger;
    private final ChaincodeRuntime runtime;
    private final IdentityValidator identities;
    private final Signer signer;
    private final KnownSignatures knownSignatures;
    /** The consortium in force, replaced by the committing thread between two blocks when a change commits. */
    private final Supplier<Members> members;
    /** The validator of the members last seen. */
    private volatile InForce inForce;

    private final Orderer orderer;
    private final CommitNotifier notifier;
    private final Endorsers endorsers;

    /**
     * What of the consortium in force the gateway and commit-time validation need: its nodes' identities, whose
     * endorsements count, and the write rules over its organisations.
     */
    public record Members(Set<ByteString> nodeIdentities, WriteRules rules) {
        public Members {
            nodeIdentities = Set.copyOf(nodeIdentities);
            Objects.requireNonNull(rules, "rules");
        }
    }

    private record InForce(Members members, TransactionValidator validator) {}

    /**
     * Wires the gateway of a node of a network to a ledger and starts the orderer made by {@code orderers}. The
     * caller closes the returned context (orderer and endorser connections) before closing the ledger.
     *
     * @param members the consortium in force, asked before each transaction is judged: the node replaces it when a
     *     change commits, before the next block is checked
     * @param endorsers the other nodes to collect endorsements from
     * @throws IOException if the orderer cannot start
     */
    public GatewayContext(
            String channel,
            String address,
            Ledger ledger,
            ChaincodeRuntime runtime,
            IdentityValidator identities,
            Signer signer,
            Supplier<Members> members,
            Endorsers endorsers,
            Orderer.Factory orderers) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.address = Objects.requireNonNull(address, "address");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.identities = Objects.requireNonNull(identities, "identities");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.endorsers = Objects.requireNonNull(endorsers, "endorsers");
        this.knownSignatures = new KnownSignatures(100_000);
        this.members = Objects.requireNonNull(members, "members");
        this.notifier = new CommitNotifier(ledger);
        try {
            // the validator in force when a batch is checked: a change committed by an earlier block applies
            this.orderer = orderers.start(
                    notifier,
                    (envelope, at) -> validator().validate(envelope, at).pending());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start ordering: " + e.getMessage(), e);
        }
    }

    String channel() {
        return channel;
    }

    String address() {
        return address;
    }

    Ledger ledger() {
        return ledger;
    }

    ChaincodeRuntime runtime() {
        return runtime;
    }

    IdentityValidator identities() {
        return identities;
    }

    Signer signer() {
        return signer;
    }

    KnownSignatures knownSignatures() {
        return knownSignatures;
    }

    /** @return the validator of the consortium in force */
    TransactionValidator validator() {
        Members now = members.get();
        InForce seen = inForce;
        if (seen == null || seen.members() != now) {
            seen = new InForce(
                    now,
                    new TransactionValidator(
                            identities, channel, runtime.name(), now.nodeIdentities(), knownSignatures, now.rules()));
            inForce = seen;
        }
        return seen.validator();
    }

    WriteRules writeRules() {
        return members.get().rules();
    }

    /** @return the serialized identities of the consortium's nodes in force, whose endorsements count */
    public Set<ByteString> nodeIdentities() {
        return members.get().nodeIdentities();
    }

    private final java.util.List<Runnable> closeHooks = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Runs {@code hook} first when the context is closed. */
    void onClose(Runnable hook) {
        closeHooks.add(hook);
    }

    /** @return true once ordering stopped after a failure: nothing more is committed by this node */
    public boolean orderingFailed() {
        return orderer.failed();
    }

    Orderer orderer() {
        return orderer;
    }

    Endorsers endorsers() {
        return endorsers;
    }

    /** @return the orderer, for the node's own status and tests */
    public Orderer ordering() {
        return orderer;
    }

    CommitNotifier notifier() {
        return notifier;
    }

    /** @return what this node's ordering waits for now: its Raft place, queues and oldest uncommitted transaction */
    public Waiting waiting() {
        Optional<RaftStatus> raft = orderer instanceof RaftOrderer r ? r.status() : Optional.empty();
        return new Waiting(
                orderer instanceof RaftOrderer,
                raft,
                orderer.queuedTransactions(),
                orderer.batchesInFlight(),
                notifier.uncommitted(),
                notifier.oldestUncommitted());
    }

    /** @return true while the node can commit blocks */
    public boolean healthy() {
        return orderer.healthy();
    }

    /** Commits what is queued, stops ordering and closes connections to other nodes. */
    public void close() throws InterruptedException {
        closeHooks.forEach(Runnable::run);
        try {
            orderer.close();
        } finally {
            endorsers.close();
        }
    }
}
