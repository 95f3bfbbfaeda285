package dev.dossier.node.gateway;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.dossier.node.clock.NodeClock;
import dev.dossier.node.identity.IdentityException;
import dev.dossier.node.identity.IdentityValidator;
import dev.dossier.node.ledger.PendingTx;
import dev.dossier.node.ledger.WriteCheck;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * The identity checks a node that orders alone makes again when it commits a block: its gateway validated each
 * transaction when it was submitted, but a consortium change (a revoked certificate, a removed organisation or node)
 * may have come into force between that check and the block. So the creator and the endorsers must still be valid
 * identities of the consortium in force at commit, and at least one endorser a node of it, as a node of a Raft network
 * checks every ordered transaction at apply time. Signatures are not verified again: they were at submission and do
 * not depend on the consortium. A transaction that fails keeps its place in the block with the code the full check
 * gives ({@code BAD_CREATOR_SIGNATURE}, {@code ENDORSEMENT_POLICY_FAILURE}) and changes nothing.
 */
public final class CommitIdentities implements UnaryOperator<PendingTx> {
    private static final Logger LOG = Logger.getLogger(CommitIdentities.class.getName());

    private final IdentityValidator identities;
    private final Supplier<Set<ByteString>> nodes;

    /**
     * @param identities the identities in force, which the node updates when the consortium changes
     * @param nodes the serialized identities of the consortium's nodes in force, whose endorsements count
     */
    public CommitIdentities(IdentityValidator identities, Supplier<Set<ByteString>> nodes) {
        this.identities = Objects.requireNonNull(identities, "identities");
        this.nodes = Objects.requireNonNull(nodes, "nodes");
    }

    /** @return the transaction as it stands at the current time: unchanged, or invalid with the reason logged */
    @Override
    public PendingTx apply(PendingTx tx) {
        return recheck(tx, NodeClock.now());
    }

    /** @return the transaction unchanged if its identities hold at {@code at}, else the same transaction invalid */
    PendingTx recheck(PendingTx tx, Instant at) {
        if (tx.precheck() != TxValidationCode.VALID) {
            return tx;
        }
        Envelope envelope = tx.envelope();
        try {
            Payload payload = Payload.parseFrom(envelope.getPayload());
            ByteString creator = SignatureHeader.parseFrom(payload.getHeader().getSignatureHeader())
                    .getCreator();
            try {
                identities.validate(creator, at);
            } catch (IdentityException e) {
                return invalid(tx, TxValidationCode.BAD_CREATOR_SIGNATURE, "creator rejected: " + e.getMessage());
            }
            ChaincodeActionPayload action = ChaincodeActionPayload.parseFrom(
                    Transaction.parseFrom(payload.getData()).getActions(0).getPayload());
            Set<ByteString> inForce = nodes.get();
            boolean byNode = false;
            for (Endorsement endorsement : action.getAction().getEndorsementsList()) {
                try {
                    identities.validate(endorsement.getEndorser(), at);
                } catch (IdentityException e) {
                    return invalid(
                            tx,
                            TxValidationCode.ENDORSEMENT_POLICY_FAILURE,
                            "endorsement is not valid: " + e.getMessage());
                }
                byNode |= inForce.contains(endorsement.getEndorser());
            }
            if (!byNode) {
                return invalid(
                        tx, TxValidationCode.ENDORSEMENT_POLICY_FAILURE, "no endorsement by a node of the consortium");
            }
            return tx;
        } catch (InvalidProtocolBufferException | IndexOutOfBoundsException e) {
            // the gateway parsed it already: a transaction that gets here decodes
            return invalid(tx, TxValidationCode.BAD_PAYLOAD, "malformed transaction: " + e.getMessage());
        }
    }

    private static PendingTx invalid(PendingTx tx, TxValidationCode code, String reason) {
        LOG.info(() -> "transaction " + tx.txId() + " invalid at commit (" + code + "): " + reason);
        return new PendingTx(tx.txId(), tx.envelope(), tx.timestamp(), code, null, WriteCheck.UNCHECKED);
    }
}
