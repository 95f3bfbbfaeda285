package dev.dossier.node.validation;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.dossier.node.clock.NodeClock;
import dev.dossier.node.identity.Identity;
import dev.dossier.node.identity.IdentityException;
import dev.dossier.node.identity.IdentityValidator;
import dev.dossier.node.ledger.PendingTx;
import dev.dossier.node.ledger.WriteCheck;
import java.security.SignatureException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * Who may create and endorse a transaction, as the consortium in force at a given time says: the creator a valid
 * identity of a member organisation, every endorser one too, and at least one endorser a node of the consortium.
 *
 * <p>The full validation of a transaction ({@code gateway.TransactionValidator}, at submission, at apply time on
 * every node of a Raft network, in a follower) makes these checks together with the signatures. A node that orders
 * alone makes them again as it commits each block ({@link #atCommit}): a consortium change (a revoked certificate, a
 * removed organisation or node) may have come into force between a transaction's submission and its block. The
 * signatures are not verified again then: they were at submission and do not depend on the consortium. Immutable.
 */
public final class TransactionIdentities {
    private static final Logger LOG = Logger.getLogger(TransactionIdentities.class.getName());

    /** Verifies one endorsement's signature, once its endorser is known to be a valid identity. */
    @FunctionalInterface
    public interface EndorsementSignature {
        /** For checks made after the signatures were verified: verifies nothing. */
        EndorsementSignature VERIFIED = (endorsement, endorser) -> {};

        /** @throws SignatureException if the endorsement's signature does not verify with the endorser's key */
        void verify(Endorsement endorsement, Identity endorser) throws SignatureException;
    }

    private final IdentityValidator identities;
    private final Set<ByteString> nodes;

    /**
     * @param identities the identities in force, which the node updates when the consortium changes
     * @param nodes the serialized identities of the consortium's nodes in force, whose endorsements count
     */
    public TransactionIdentities(IdentityValidator identities, Set<ByteString> nodes) {
        this.identities = Objects.requireNonNull(identities, "identities");
        this.nodes = Set.copyOf(nodes);
    }

    /**
     * The check a node that orders alone makes as it commits each block, with the consortium in force then.
     *
     * @param nodes the serialized identities of the consortium's nodes in force, asked for each transaction
     * @return each transaction unchanged if its identities hold now, else the same transaction invalid (with the code
     *     the full validation gives: {@code BAD_CREATOR_SIGNATURE} or {@code ENDORSEMENT_POLICY_FAILURE}), which keeps
     *     its place in the block and changes nothing; a transaction already invalid is left as it is
     */
    public static UnaryOperator<PendingTx> atCommit(IdentityValidator identities, Supplier<Set<ByteString>> nodes) {
        Objects.requireNonNull(identities, "identities");
        Objects.requireNonNull(nodes, "nodes");
        return tx -> new TransactionIdentities(identities, nodes.get()).recheck(tx, NodeClock.now());
    }

    /**
     * @return the creator's identity
     * @throws IdentityException if the creator is not a valid identity at {@code at}; the message starts with
     *     "creator rejected: " and names its MSP and the failed check
     */
    public Identity creator(ByteString creator, Instant at) throws IdentityException {
        try {
            return identities.validate(creator, at);
        } catch (IdentityException e) {
            throw new IdentityException("creator rejected: " + e.getMessage(), e);
        }
    }

    /**
     * Checks each endorser in turn (a valid identity at {@code at}, then its signature by {@code signatures}), then
     * that at least one endorser is a node of the consortium.
     *
     * @return the organisation of each node that endorsed, once per node, in the endorsements' order
     * @throws IdentityException if there is no endorsement, one is not valid, or none is a node's; the message says
     *     which
     */
    public List<String> endorsingNodes(List<Endorsement> endorsements, Instant at, EndorsementSignature signatures)
            throws IdentityException {
        if (endorsements.isEmpty()) {
            throw new IdentityException("transaction has no endorsement");
        }
        Set<ByteString> seen = new HashSet<>();
        List<String> organisations = new ArrayList<>();
        for (Endorsement endorsement : endorsements) {
            Identity endorser;
            try {
                endorser = identities.validate(endorsement.getEndorser(), at);
                signatures.verify(endorsement, endorser);
            } catch (IdentityException | SignatureException e) {
                throw new IdentityException("endorsement is not valid: " + e.getMessage(), e);
            }
            if (nodes.contains(endorsement.getEndorser()) && seen.add(endorsement.getEndorser())) {
                organisations.add(endorser.mspId());
            }
        }
        if (organisations.isEmpty()) {
            throw new IdentityException("no endorsement by a node of the consortium");
        }
        return organisations;
    }

    /** @return the transaction unchanged if its identities hold at {@code at}, else the same transaction invalid */
    PendingTx recheck(PendingTx tx, Instant at) {
        if (tx.precheck() != TxValidationCode.VALID) {
            return tx;
        }
        ByteString creator;
        ChaincodeActionPayload action;
        try {
            // the full validation parsed it already: a transaction that gets here decodes
            Payload payload = Payload.parseFrom(tx.envelope().getPayload());
            creator = SignatureHeader.parseFrom(payload.getHeader().getSignatureHeader())
                    .getCreator();
            action = ChaincodeActionPayload.parseFrom(
                    Transaction.parseFrom(payload.getData()).getActions(0).getPayload());
        } catch (InvalidProtocolBufferException | IndexOutOfBoundsException e) {
            return invalid(tx, TxValidationCode.BAD_PAYLOAD, "malformed transaction: " + e.getMessage());
        }
        try {
            creator(creator, at);
        } catch (IdentityException e) {
            return invalid(tx, TxValidationCode.BAD_CREATOR_SIGNATURE, e.getMessage());
        }
        try {
            endorsingNodes(action.getAction().getEndorsementsList(), at, EndorsementSignature.VERIFIED);
        } catch (IdentityException e) {
            return invalid(tx, TxValidationCode.ENDORSEMENT_POLICY_FAILURE, e.getMessage());
        }
        return tx;
    }

    private static PendingTx invalid(PendingTx tx, TxValidationCode code, String reason) {
        LOG.info(() -> "transaction " + tx.txId() + " invalid at commit (" + code + "): " + reason);
        return new PendingTx(tx.txId(), tx.envelope(), code, null, WriteCheck.UNCHECKED);
    }
}
