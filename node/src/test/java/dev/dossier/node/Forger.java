package dev.dossier.node;

import com.google.protobuf.ByteString;
import dev.dossier.node.config.Consortium;
import dev.dossier.node.validation.SignaturePolicies;
import java.time.Instant;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.identity.Signer;
import org.hyperledger.fabric.client.identity.Signers;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.gateway.PreparedTransaction;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVMetadataEntry;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVMetadataWrite;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeEndorsedAction;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TransactionAction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * A dishonest member organisation's forged transactions, for the attack tests of the commit-time write rules on a
 * two-node, two-organisation {@link TestCluster}: it takes a transaction its own node endorsed, replaces the write set
 * in the notary's namespace with one of its choosing, endorses that again with its own node's key, signs it with one
 * of its own users and submits it, exactly what a modified node could do.
 */
final class Forger {
    private static final String NOTARY = "notary";

    private final TestCluster cluster;

    Forger(TestCluster cluster) {
        this.cluster = cluster;
    }

    /** A transaction endorsed by the node of the creator's organisation, ready to carry another write set. */
    record Forgery(
            TestCluster cluster,
            Envelope envelope,
            Signer creator,
            dev.dossier.node.identity.Signer node,
            int nodeIndex) {
        Instant timestamp() throws Exception {
            ChannelHeader header = ChannelHeader.parseFrom(
                    Payload.parseFrom(envelope.getPayload()).getHeader().getChannelHeader());
            return Instant.ofEpochSecond(
                    header.getTimestamp().getSeconds(), header.getTimestamp().getNanos());
        }

        /** Replaces the write set, endorses and signs again, submits, and returns the code both nodes gave it. */
        TxValidationCode commit(KVRWSet writes) throws Exception {
            Payload payload = Payload.parseFrom(envelope.getPayload());
            Transaction transaction = Transaction.parseFrom(payload.getData());
            TransactionAction action = transaction.getActions(0);
            ChaincodeActionPayload actionPayload = ChaincodeActionPayload.parseFrom(action.getPayload());
            ProposalResponsePayload response =
                    ProposalResponsePayload.parseFrom(actionPayload.getAction().getProposalResponsePayload());
            ChaincodeAction chaincodeAction = ChaincodeAction.parseFrom(response.getExtension());
            TxReadWriteSet forged = TxReadWriteSet.newBuilder()
                    .setDataModel(TxReadWriteSet.DataModel.KV)
                    .addNsRwset(NsReadWriteSet.newBuilder().setNamespace(NOTARY).setRwset(writes.toByteString()))
                    .build();
            ByteString forgedResponse = response.toBuilder()
                    .setExtension(chaincodeAction.toBuilder()
                            .setResults(forged.toByteString())
                            .build()
                            .toByteString())
                    .build()
                    .toByteString();
            ByteString endorser = node.serializedIdentity();
            ChaincodeEndorsedAction endorsed = ChaincodeEndorsedAction.newBuilder()
                    .setProposalResponsePayload(forgedResponse)
                    .addEndorsements(Endorsement.newBuilder()
                            .setEndorser(endorser)
                            .setSignature(ByteString.copyFrom(
                                    node.sign(forgedResponse.concat(endorser).toByteArray()))))
                    .build();
            Payload forgedPayload = payload.toBuilder()
                    .setData(transaction.toBuilder()
                            .setActions(
                                    0,
                                    action.toBuilder()
                                            .setPayload(actionPayload.toBuilder()
                                                    .setAction(endorsed)
                                                    .build()
                                                    .toByteString()))
                            .build()
                            .toByteString())
                    .build();
            return cluster.submitSigned(
                    Envelope.newBuilder()
                            .setPayload(forgedPayload.toByteString())
                            .build(),
                    creator,
                    nodeIndex);
        }
    }

    Forgery forge(String userName) throws Exception {
        return forge(userName, cluster.organisationOf(userName));
    }

    /** Endorses an honest anchoring by {@code userName} on node {@code nodeIndex}, to take its envelope apart. */
    Forgery forge(String userName, int nodeIndex) throws Exception {
        Consortium.User user = cluster.userNamed(userName);
        Signer signer = Signers.newPrivateKeySigner(TestNetwork.key(user.privateKey()));
        byte[] prepared;
        try (Gateway gateway = cluster.gatewayOf(userName)) {
            prepared = gateway.getNetwork("dossier")
                    .getContract(NOTARY)
                    .newProposal("getPolicy")
                    .build()
                    .endorse()
                    .getBytes();
        }
        Consortium.Node node =
                cluster.consortium.organisations().get(nodeIndex).nodes().get(0);
        return new Forgery(
                cluster,
                PreparedTransaction.parseFrom(prepared).getEnvelope(),
                signer,
                cluster.consortium.signer(node.name()),
                cluster.organisationOf(userName));
    }

    static KVRWSet writes(Object... writes) {
        KVRWSet.Builder set = KVRWSet.newBuilder();
        for (Object write : writes) {
            if (write instanceof KVWrite w) {
                set.addWrites(w);
            } else {
                set.addMetadataWrites((KVMetadataWrite) write);
            }
        }
        return set.build();
    }

    static KVWrite put(String key, String value) {
        return KVWrite.newBuilder()
                .setKey(key)
                .setValue(ByteString.copyFromUtf8(value))
                .build();
    }

    /** The metadata write giving {@code key} the key-level policy "a node of {@code mspId}". */
    static KVMetadataWrite owner(String key, String mspId) {
        return KVMetadataWrite.newBuilder()
                .setKey(key)
                .addEntries(KVMetadataEntry.newBuilder()
                        .setName("VALIDATION_PARAMETER")
                        .setValue(SignaturePolicies.ownedBy(mspId).toByteString()))
                .build();
    }

    /** A deletion of {@code key}. */
    static KVWrite delete(String key) {
        return KVWrite.newBuilder().setKey(key).setIsDelete(true).build();
    }

    /** @return the subject DN (RFC 2253) of {@code userName}'s certificate, as entries name it */
    String subjectOf(String userName) throws Exception {
        return TestNetwork.certificate(cluster.userNamed(userName).certificate())
                .getSubjectX500Principal()
                .getName();
    }
}
