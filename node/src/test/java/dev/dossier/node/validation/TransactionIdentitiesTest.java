package dev.dossier.node.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.dossier.node.identity.IdentityException;
import dev.dossier.node.identity.TestOrganisation;
import dev.dossier.node.ledger.PendingTx;
import dev.dossier.node.ledger.WriteCheck;
import java.security.SignatureException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeEndorsedAction;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TransactionAction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.Test;

/**
 * The identity rule of a transaction, as the full validation and a one-node commit apply it: a member's organisation
 * (Org1) whose user also stands for a node when the test lists it among the nodes, and an organisation outside the
 * consortium (Org9), whose identities the validator does not know.
 */
class TransactionIdentitiesTest {
    private static final TestOrganisation ORG1 = TestOrganisation.create("Org1MSP");
    private static final TestOrganisation OUTSIDER = TestOrganisation.create("Org9MSP");
    private static final Instant NOW = Instant.now();

    private final ByteString member = ORG1.userIdentity();
    private final ByteString outsider = OUTSIDER.userIdentity();

    @Test
    void creatorAndANodesEndorsement_leaveTheTransactionAsItIs() {
        PendingTx tx = pending(member, member);

        assertThat(withNodes(member).recheck(tx, NOW)).isSameAs(tx);
    }

    @Test
    void creatorOutsideTheConsortium_isBadCreatorSignature() {
        PendingTx checked = withNodes(member).recheck(pending(outsider, member), NOW);

        assertThat(checked.precheck()).isEqualTo(TxValidationCode.BAD_CREATOR_SIGNATURE);
        assertThat(checked.writeCheck()).isSameAs(WriteCheck.UNCHECKED);
        assertThat(checked.txId()).isEqualTo("tx-1");
    }

    @Test
    void endorserOutsideTheConsortium_isEndorsementPolicyFailure_evenBesideANodes() {
        PendingTx checked = withNodes(member).recheck(pending(member, member, outsider), NOW);

        assertThat(checked.precheck()).isEqualTo(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
    }

    @Test
    void validEndorsersNoneANode_isEndorsementPolicyFailure() {
        PendingTx checked = withNodes().recheck(pending(member, member), NOW);

        assertThat(checked.precheck()).isEqualTo(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
    }

    @Test
    void aTransactionAlreadyInvalid_isLeftAsItIs() {
        PendingTx tx = new PendingTx(
                "tx-1", envelope(outsider, outsider), TxValidationCode.MVCC_READ_CONFLICT, null, WriteCheck.UNCHECKED);

        assertThat(withNodes(member).recheck(tx, NOW)).isSameAs(tx);
    }

    @Test
    void anUndecodablePayload_isBadPayload() {
        PendingTx tx = new PendingTx(
                "tx-1",
                Envelope.newBuilder()
                        .setPayload(ByteString.copyFromUtf8("not a payload"))
                        .build(),
                TxValidationCode.VALID,
                TxReadWriteSet.getDefaultInstance(),
                WriteCheck.UNCHECKED);

        assertThat(withNodes(member).recheck(tx, NOW).precheck()).isEqualTo(TxValidationCode.BAD_PAYLOAD);
    }

    @Test
    void creator_refused_saysSo() {
        assertThatThrownBy(() -> withNodes(member).creator(outsider, NOW))
                .isInstanceOf(IdentityException.class)
                .hasMessageStartingWith("creator rejected: ")
                .hasMessageContaining("Org9MSP");
    }

    @Test
    void endorsingNodes_countsANodeOnce_andNamesItsOrganisation() throws Exception {
        List<String> nodes = withNodes(member)
                .endorsingNodes(
                        List.of(endorsement(member), endorsement(member)),
                        NOW,
                        TransactionIdentities.EndorsementSignature.VERIFIED);

        assertThat(nodes).containsExactly("Org1MSP");
    }

    @Test
    void endorsingNodes_aSignatureThatFails_isNotValid() {
        TransactionIdentities.EndorsementSignature refusing = (endorsement, endorser) -> {
            throw new SignatureException("signature does not verify");
        };

        assertThatThrownBy(() -> withNodes(member).endorsingNodes(List.of(endorsement(member)), NOW, refusing))
                .isInstanceOf(IdentityException.class)
                .hasMessage("endorsement is not valid: signature does not verify");
    }

    @Test
    void endorsingNodes_none_isRefused() {
        assertThatThrownBy(() -> withNodes(member)
                        .endorsingNodes(List.of(), NOW, TransactionIdentities.EndorsementSignature.VERIFIED))
                .isInstanceOf(IdentityException.class)
                .hasMessage("transaction has no endorsement");
    }

    private static TransactionIdentities withNodes(ByteString... nodes) {
        return new TransactionIdentities(ORG1.validator(), Set.of(nodes));
    }

    private static PendingTx pending(ByteString creator, ByteString... endorsers) {
        return new PendingTx(
                "tx-1",
                envelope(creator, endorsers),
                TxValidationCode.VALID,
                TxReadWriteSet.getDefaultInstance(),
                WriteCheck.UNCHECKED);
    }

    private static Envelope envelope(ByteString creator, ByteString... endorsers) {
        ChaincodeEndorsedAction.Builder action = ChaincodeEndorsedAction.newBuilder();
        for (ByteString endorser : endorsers) {
            action.addEndorsements(endorsement(endorser));
        }
        ByteString signatureHeader = SignatureHeader.newBuilder()
                .setCreator(creator)
                .setNonce(ByteString.copyFromUtf8("nonce"))
                .build()
                .toByteString();
        Transaction transaction = Transaction.newBuilder()
                .addActions(TransactionAction.newBuilder()
                        .setHeader(signatureHeader)
                        .setPayload(ChaincodeActionPayload.newBuilder()
                                .setAction(action)
                                .build()
                                .toByteString()))
                .build();
        Payload payload = Payload.newBuilder()
                .setHeader(Header.newBuilder().setSignatureHeader(signatureHeader))
                .setData(transaction.toByteString())
                .build();
        return Envelope.newBuilder().setPayload(payload.toByteString()).build();
    }

    private static Endorsement endorsement(ByteString endorser) {
        return Endorsement.newBuilder()
                .setEndorser(endorser)
                .setSignature(ByteString.copyFromUtf8("not verified here"))
                .build();
    }
}
