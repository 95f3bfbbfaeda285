package dev.dossier.node.follower;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.dossier.node.gateway.TransactionValidator;
import dev.dossier.node.gateway.ValidatedTransaction;
import dev.dossier.node.identity.Identity;
import dev.dossier.node.identity.IdentityException;
import dev.dossier.node.identity.IdentityValidator;
import dev.dossier.node.ledger.BlockHashes;
import dev.dossier.node.ledger.BlockRefusedException;
import dev.dossier.node.ledger.Envelopes;
import dev.dossier.node.ledger.WriteCheck;
import dev.dossier.node.ordering.BlockSignatures;
import java.security.SignatureException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * What a follower checks in a block a Fabric peer sent, before the ledger's own checks ({@link
 * dev.dossier.node.ledger.Ledger#append}: number, hash chain, data hash, MVCC replay, write rules):
 *
 * <ul>
 *   <li>the header's data hash is the hash of the block's data;
 *   <li>every block after the genesis block is signed, in its SIGNATURES metadata, by the orderer: each signature
 *       verifies ({@link BlockSignatures}) and its signer's certificate chains to the orderer organisation's CA. The
 *       signature covers the header (number, previous hash, data hash), so a peer cannot change what was ordered;
 *       the genesis block is vouched for by block 1's signed previous hash;
 *   <li>the transactions filter is the peer's word, which a peer could change without breaking the orderer's
 *       signature: every transaction it marks VALID that invokes the notary chaincode or touches its namespace is
 *       validated again as a Dossier node validates it at commit ({@link TransactionValidator}: creator and its
 *       signature, tx id, proposal hash, endorsements by the consortium's peers with valid signatures, read-write set
 *       in the notary's namespace only, apart from reads of {@value #LIFECYCLE}), and its writes must then satisfy
 *       the consortium's write rules (key-level endorsement policies, the notary rule, a majority for other keys),
 *       which the ledger judges against the state of that moment. Other VALID transactions (Fabric's chaincode
 *       lifecycle) are taken as the peer marked them: they cannot touch the notary's namespace.
 * </ul>
 *
 * A transaction is judged at its own timestamp (certificates valid then), since blocks arrive long after they were
 * made. Thread-safe.
 */
public final class FabricBlockVerifier {
    /** Fabric's chaincode lifecycle namespace, which every endorsed transaction reads (its chaincode's definition). */
    static final String LIFECYCLE = "_lifecycle";

    private final String notary;
    private final String ordererMsp;
    private final IdentityValidator orderers;
    private final TransactionValidator transactions;

    /**
     * @param notary the notary chaincode's name (its namespace)
     * @param ordererMsp the orderer organisation's MSP id
     * @param orderers validates the orderer organisation's certificates
     * @param transactions validates transactions as a node does at commit
     */
    public FabricBlockVerifier(
            String notary, String ordererMsp, IdentityValidator orderers, TransactionValidator transactions) {
        this.notary = requireNonNull(notary, "notary");
        this.ordererMsp = requireNonNull(ordererMsp, "ordererMsp");
        this.orderers = requireNonNull(orderers, "orderers");
        this.transactions = requireNonNull(transactions, "transactions").allowingReadsOf(Set.of(LIFECYCLE));
    }

    /**
     * @return the write check of each of the block's transactions, for {@link
     *     dev.dossier.node.ledger.Ledger#append}
     * @throws BlockRefusedException if the orderer's signature is missing or wrong, or a transaction marked VALID is
     *     not valid
     */
    public List<WriteCheck> verify(Block block) throws BlockRefusedException {
        long number = block.getHeader().getNumber();
        byte[] dataHash = BlockHashes.dataHash(block.getData());
        if (!Arrays.equals(dataHash, block.getHeader().getDataHash().toByteArray())) {
            // first: the orderer's signature covers the header only, the data through this hash
            throw new BlockRefusedException(
                    number,
                    "data hash mismatch: the header says "
                            + HexFormat.of()
                                    .formatHex(block.getHeader().getDataHash().toByteArray())
                            + ", its data hashes to " + HexFormat.of().formatHex(dataHash));
        }
        if (number > 0) {
            checkOrdererSignature(block, number);
        }
        ByteString filter = block.getMetadata().getMetadataCount() > BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE
                ? block.getMetadata().getMetadata(BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE)
                : ByteString.EMPTY;
        List<WriteCheck> checks = new ArrayList<>(block.getData().getDataCount());
        for (int i = 0; i < block.getData().getDataCount(); i++) {
            boolean markedValid = i < filter.size() && (filter.byteAt(i) & 0xff) == TxValidationCode.VALID_VALUE;
            checks.add(
                    markedValid && number > 0
                            ? checkValid(number, i, block.getData().getData(i))
                            : null);
        }
        return checks.stream()
                .map(check -> check == null ? WriteCheck.UNCHECKED : check)
                .toList();
    }

    private void checkOrdererSignature(Block block, long number) throws BlockRefusedException {
        try {
            BlockSignatures.verify(block, creator -> {
                try {
                    Identity identity = orderers.validate(creator);
                    return identity.mspId().equals(ordererMsp) ? identity : null;
                } catch (IdentityException e) {
                    return null;
                }
            });
        } catch (SignatureException e) {
            throw new BlockRefusedException(number, "orderer signature: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new BlockRefusedException(number, "SIGNATURES metadata is missing or does not decode");
        }
    }

    /** @return the write check of a VALID endorser transaction that concerns the notary, else null */
    private WriteCheck checkValid(long number, int txNumber, ByteString data) throws BlockRefusedException {
        Envelope envelope;
        ChannelHeader header;
        try {
            envelope = Envelope.parseFrom(data);
            header = ChannelHeader.parseFrom(
                    Payload.parseFrom(envelope.getPayload()).getHeader().getChannelHeader());
        } catch (InvalidProtocolBufferException e) {
            throw new BlockRefusedException(number, "tx " + txNumber + " is marked VALID but does not decode");
        }
        if (header.getType() != HeaderType.ENDORSER_TRANSACTION_VALUE || !concernsNotary(envelope)) {
            return null;
        }
        Instant at;
        try {
            at = Instant.ofEpochSecond(
                    header.getTimestamp().getSeconds(), header.getTimestamp().getNanos());
        } catch (DateTimeException e) {
            throw new BlockRefusedException(number, "tx " + txNumber + " has a timestamp out of range");
        }
        ValidatedTransaction validated = transactions.validate(envelope, at);
        if (!validated.valid()) {
            throw new BlockRefusedException(
                    number,
                    "tx " + txNumber + " (" + header.getTxId() + ") is marked VALID by the peer but is "
                            + validated.code() + ": " + validated.reason());
        }
        return validated.writeCheck();
    }

    /** @return whether the transaction invokes the notary chaincode or its read-write set touches its namespace */
    private boolean concernsNotary(Envelope envelope) {
        try {
            Transaction transaction = Transaction.parseFrom(
                    Payload.parseFrom(envelope.getPayload()).getData());
            for (var action : transaction.getActionsList()) {
                ChaincodeAction chaincodeAction = ChaincodeAction.parseFrom(
                        ProposalResponsePayload.parseFrom(ChaincodeActionPayload.parseFrom(action.getPayload())
                                        .getAction()
                                        .getProposalResponsePayload())
                                .getExtension());
                if (chaincodeAction.getChaincodeId().getName().equals(notary)) {
                    return true;
                }
            }
            for (NsReadWriteSet ns : Envelopes.readWriteSet(envelope).getNsRwsetList()) {
                if (ns.getNamespace().equals(notary)) {
                    return true;
                }
            }
            return false;
        } catch (InvalidProtocolBufferException e) {
            return true; // undecodable: let the transaction validator say why it is not valid
        }
    }
}
