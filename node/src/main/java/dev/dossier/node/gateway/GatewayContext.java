package dev.dossier.node.gateway;

import dev.dossier.node.chaincode.ChaincodeRuntime;
import dev.dossier.node.identity.IdentityValidator;
import dev.dossier.node.identity.Signer;
import dev.dossier.node.ledger.Ledger;
import dev.dossier.node.ordering.SoloOrderer;
import java.util.Objects;

/**
 * What the gateway service works with: the node's ledger, chaincode runtime, identities and own signer, transaction
 * validator, orderer and commit notifier, the channel it serves and the address it is reached at.
 */
public final class GatewayContext {
    private final String channel;
    private final String address;
    private final Ledger ledger;
    private final ChaincodeRuntime runtime;
    private final IdentityValidator identities;
    private final Signer signer;
    private final EndorsementLog ownEndorsements;
    private final TransactionValidator validator;
    private final SoloOrderer orderer;
    private final CommitNotifier notifier;

    /**
     * Wires the gateway to a ledger and starts ordering into it. The caller closes the returned context's orderer
     * (through {@link #close()}) before closing the ledger.
     */
    public GatewayContext(
            String channel,
            String address,
            Ledger ledger,
            ChaincodeRuntime runtime,
            IdentityValidator identities,
            Signer signer,
            dev.dossier.node.ordering.BlockLimits limits) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.address = Objects.requireNonNull(address, "address");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.identities = Objects.requireNonNull(identities, "identities");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.ownEndorsements = new EndorsementLog(100_000);
        this.validator = new TransactionValidator(
                identities,
                channel,
                runtime.name(),
                java.util.Set.of(signer.serializedIdentity()),
                ownEndorsements);
        this.notifier = new CommitNotifier(ledger);
        this.orderer = new SoloOrderer(ledger, limits, notifier, 20_000);
        this.orderer.start();
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

    EndorsementLog ownEndorsements() {
        return ownEndorsements;
    }

    TransactionValidator validator() {
        return validator;
    }

    SoloOrderer orderer() {
        return orderer;
    }

    CommitNotifier notifier() {
        return notifier;
    }

    /** @return true while the node can commit blocks */
    public boolean healthy() {
        return orderer.healthy();
    }

    /** Commits what is queued and stops ordering. */
    public void close() throws InterruptedException {
        orderer.close();
    }
}
