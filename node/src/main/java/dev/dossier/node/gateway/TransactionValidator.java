package dev.dossier.node.gateway;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.dossier.node.clock.NodeClock;
import dev.dossier.node.consortium.ConsortiumChanges;
import dev.dossier.node.identity.Identity;
import dev.dossier.node.identity.IdentityException;
import dev.dossier.node.identity.IdentityValidator;
import dev.dossier.node.ledger.WriteCheck;
import dev.dossier.node.validation.Signers;
import dev.dossier.node.validation.TransactionIdentities;
import dev.dossier.node.validation.WriteRules;
import java.security.SignatureException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeInvocationSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * Validates a transaction envelope as a Fabric committing peer does before MVCC: well-formed payload and header, a
 * creator valid for its organisation whose signature over the payload bytes is valid and low-S, a transaction id
 * derived from nonce and creator, a timestamp within {@link ProposalChecker#TIME_WINDOW} of the time it is judged at
 * (at commit: the block's cut time, so nobody dates an anchoring in the past or the future), our channel and
 * chaincode (or the consortium's system namespace, {@link ConsortiumChanges}), a proposal hash that binds the endorsed
 * result to the header, and endorsements by trusted endorsers (the consortium's nodes) whose signatures verify. Which
 * endorsements the writes need is not decided here, and never from the function name: the outcome carries a {@link
 * WriteRules} check, bound to the creator and the endorsers, that the ledger applies to every written key at commit
 * against the state of that moment; a consortium change carries instead {@link ConsortiumChanges#check}, which
 * recomputes its writes from the call and the state. MVCC and duplicate checks belong
 * to the ledger. Thread-safe; deterministic for a given set of identities, trusted endorsers, rules and validation
 * time (see {@link #validate(Envelope, Instant)}). The identity rules, creator and endorsers, are {@link
 * TransactionIdentities}'s, which a node ordering alone applies again at commit.
 */
public final class TransactionValidator {
    private final TransactionIdentities identities;
    private final String channel;
    private final String chaincode;
    private final KnownSignatures knownSignatures;
    private final WriteRules rules;
    private final Set<String> readOnlyNamespaces;

    /**
     * @param trustedEndorsers serialized identities of the consortium's nodes, whose endorsements count
     * @param knownSignatures endorsements this node signed and creator signatures it verified at submit, which need no
     *     second verification (the signer's certificate is still checked, so the outcome is the same with or without
     *     them); the creator signatures this validator verifies at submit are added
     * @param rules the commit-time write rules
     */
    public TransactionValidator(
            IdentityValidator identities,
            String channel,
            String chaincode,
            Set<ByteString> trustedEndorsers,
            KnownSignatures knownSignatures,
            WriteRules rules) {
        this.identities = new TransactionIdentities(identities, trustedEndorsers);
        this.channel = Objects.requireNonNull(channel, "channel");
        this.chaincode = Objects.requireNonNull(chaincode, "chaincode");
        this.knownSignatures = Objects.requireNonNull(knownSignatures, "knownSignatures");
        this.rules = Objects.requireNonNull(rules, "rules");
        this.readOnlyNamespaces = Set.of();
    }

    private TransactionValidator(TransactionValidator base, Set<String> readOnlyNamespaces) {
        this.identities = base.identities;
        this.channel = base.channel;
        this.chaincode = base.chaincode;
        this.knownSignatures = base.knownSignatures;
        this.rules = base.rules;
        this.readOnlyNamespaces = Set.copyOf(readOnlyNamespaces);
    }

    /**
     * @param namespaces namespaces a transaction may read besides the chaincode's, without writing to them: a Fabric
     *     peer records, in every transaction it endorses, its read of the chaincode's definition in {@code _lifecycle}
     * @return this validator, accepting reads of those namespaces
     */
    public TransactionValidator allowingReadsOf(Set<String> namespaces) {
        return new TransactionValidator(this, namespaces);
    }

    /**
     * Validates a transaction submitted to this node, at the current time; a valid creator signature is remembered
     * ({@link KnownSignatures}), so that the same transaction's validation at commit finds it.
     *
     * @return the validation outcome; never throws for a bad envelope
     */
    public ValidatedTransaction validate(Envelope envelope) {
        return validate(envelope, NodeClock.now(), true);
    }

    /**
     * Validates with certificates judged at {@code at} rather than the current time: nodes that apply the same
     * ordered transaction at the same agreed time reach the same outcome.
     *
     * @return the validation outcome; never throws for a bad envelope
     */
    public ValidatedTransaction validate(Envelope envelope, Instant at) {
        return validate(envelope, at, false);
    }

    /** @param submitted true at submit: a valid creator signature is remembered for the commit */
    private ValidatedTransaction validate(Envelope envelope, Instant at, boolean submitted) {
        Payload payload;
        ChannelHeader channelHeader;
        SignatureHeader signatureHeader;
        try {
            payload = Payload.parseFrom(envelope.getPayload());
            channelHeader = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
            signatureHeader = SignatureHeader.parseFrom(payload.getHeader().getSignatureHeader());
        } catch (InvalidProtocolBufferException e) {
            return invalid(
                    "", Instant.EPOCH, envelope, TxValidationCode.BAD_PAYLOAD, "malformed payload: " + e.getMessage());
        }
        String txId = channelHeader.getTxId();
        Optional<Instant> stamped = Transactions.timestamp(channelHeader);
        if (stamped.isEmpty()) {
            return invalid(
                    txId,
                    Instant.EPOCH,
                    envelope,
                    TxValidationCode.BAD_COMMON_HEADER,
                    "timestamp of " + channelHeader.getTimestamp().getSeconds()
                            + " seconds since the epoch is out of range");
        }
        Instant timestamp = stamped.get();
        if (Duration.between(timestamp, at).abs().compareTo(ProposalChecker.TIME_WINDOW) > 0) {
            return invalid(
                    txId,
                    timestamp,
                    envelope,
                    TxValidationCode.INVALID_OTHER_REASON,
                    "timestamp " + timestamp + " is more than " + ProposalChecker.TIME_WINDOW.toMinutes()
                            + " minutes from " + at);
        }
        if (channelHeader.getType() != HeaderType.ENDORSER_TRANSACTION_VALUE || channelHeader.getEpoch() != 0) {
            return invalid(
                    txId,
                    timestamp,
                    envelope,
                    TxValidationCode.BAD_COMMON_HEADER,
                    "header must be an ENDORSER_TRANSACTION of epoch 0");
        }
        if (signatureHeader.getNonce().isEmpty() || signatureHeader.getCreator().isEmpty()) {
            return invalid(
                    txId,
                    timestamp,
                    envelope,
                    TxValidationCode.BAD_COMMON_HEADER,
                    "signature header lacks nonce or creator");
        }
        if (!channel.equals(channelHeader.getChannelId())) {
            return invalid(
                    txId,
                    timestamp,
                    envelope,
                    TxValidationCode.TARGET_CHAIN_NOT_FOUND,
                    "channel '" + channelHeader.getChannelId() + "' is not served by this node");
        }
        if (envelope.getSignature().isEmpty()) {
            return invalid(
                    txId, timestamp, envelope, TxValidationCode.BAD_CREATOR_SIGNATURE, "transaction is not signed");
        }
        Identity creator;
        try {
            creator = identities.creator(signatureHeader.getCreator(), at);
        } catch (IdentityException e) {
            return invalid(txId, timestamp, envelope, TxValidationCode.BAD_CREATOR_SIGNATURE, e.getMessage());
        }
        try {
            // verified at submit on the node that took the transaction; at commit there, found
            byte[] digest = KnownSignatures.creatorDigest(envelope.getPayload());
            if (!knownSignatures.contains(digest, KnownSignatures.CREATOR, envelope.getSignature())) {
                creator.verifyDigest(digest, envelope.getSignature().toByteArray());
                if (submitted) {
                    knownSignatures.add(digest, KnownSignatures.CREATOR, envelope.getSignature());
                }
            }
        } catch (SignatureException e) {
            return invalid(
                    txId,
                    timestamp,
                    envelope,
                    TxValidationCode.BAD_CREATOR_SIGNATURE,
                    "signature of " + creator.mspId() + " creator is not valid: " + e.getMessage());
        }
        if (!Transactions.txId(signatureHeader.getNonce(), signatureHeader.getCreator())
                .equals(txId)) {
            return invalid(
                    txId,
                    timestamp,
                    envelope,
                    TxValidationCode.BAD_PROPOSAL_TXID,
                    "transaction id is not SHA-256(nonce || creator)");
        }
        return validateAction(payload, txId, timestamp, envelope, creator, at);
    }

    private ValidatedTransaction validateAction(
            Payload payload, String txId, Instant timestamp, Envelope envelope, Identity creator, Instant at) {
        ChaincodeActionPayload actionPayload;
        ProposalResponsePayload responsePayload;
        ChaincodeAction action;
        TxReadWriteSet rwset;
        ChaincodeProposalPayload proposalPayload;
        ChaincodeInvocationSpec invocation;
        try {
            Transaction transaction = Transaction.parseFrom(payload.getData());
            if (transaction.getActionsCount() != 1) {
                return invalid(
                        txId,
                        timestamp,
                        envelope,
                        TxValidationCode.INVALID_ENDORSER_TRANSACTION,
                        "expected exactly one action, found " + transaction.getActionsCount());
            }
            if (!transaction
                    .getActions(0)
                    .getHeader()
                    .equals(payload.getHeader().getSignatureHeader())) {
                return invalid(
                        txId,
                        timestamp,
                        envelope,
                        TxValidationCode.INVALID_ENDORSER_TRANSACTION,
                        "action header differs from the transaction's signature header");
            }
            actionPayload =
                    ChaincodeActionPayload.parseFrom(transaction.getActions(0).getPayload());
            proposalPayload = ChaincodeProposalPayload.parseFrom(actionPayload.getChaincodeProposalPayload());
            invocation = ChaincodeInvocationSpec.parseFrom(proposalPayload.getInput());
            responsePayload =
                    ProposalResponsePayload.parseFrom(actionPayload.getAction().getProposalResponsePayload());
            action = ChaincodeAction.parseFrom(responsePayload.getExtension());
            rwset = TxReadWriteSet.parseFrom(action.getResults());
        } catch (InvalidProtocolBufferException e) {
            return invalid(
                    txId,
                    timestamp,
                    envelope,
                    TxValidationCode.BAD_PAYLOAD,
                    "malformed transaction action: " + e.getMessage());
        }
        if (!proposalPayload.getTransientMapMap().isEmpty()) {
            return invalid(
                    txId,
                    timestamp,
                    envelope,
                    TxValidationCode.INVALID_ENDORSER_TRANSACTION,
                    "transient data must not be written into a transaction");
        }
        ByteString expectedHash =
                Transactions.proposalHash(payload.getHeader(), actionPayload.getChaincodeProposalPayload());
        if (!expectedHash.equals(responsePayload.getProposalHash())) {
            return invalid(
                    txId,
                    timestamp,
                    envelope,
                    TxValidationCode.INVALID_ENDORSER_TRANSACTION,
                    "endorsed proposal hash does not match the transaction header and payload");
        }
        String called = action.getChaincodeId().getName();
        boolean consortiumChange = called.equals(ConsortiumChanges.NAMESPACE);
        if (!chaincode.equals(called) && !consortiumChange) {
            return invalid(
                    txId,
                    timestamp,
                    envelope,
                    TxValidationCode.INVALID_CHAINCODE,
                    "chaincode '" + action.getChaincodeId().getName() + "' is not deployed");
        }
        if (action.getResponse().getStatus() >= 400) {
            return invalid(
                    txId,
                    timestamp,
                    envelope,
                    TxValidationCode.ENDORSEMENT_POLICY_FAILURE,
                    "endorsed response has error status " + action.getResponse().getStatus());
        }
        for (NsReadWriteSet ns : rwset.getNsRwsetList()) {
            if (!ns.getNamespace().equals(called) && !readsOnly(ns)) {
                return invalid(
                        txId,
                        timestamp,
                        envelope,
                        TxValidationCode.ILLEGAL_WRITESET,
                        "read-write set touches namespace '" + ns.getNamespace() + "'");
            }
        }
        ByteString endorsed = actionPayload.getAction().getProposalResponsePayload();
        List<String> endorsers;
        try {
            endorsers = identities.endorsingNodes(
                    actionPayload.getAction().getEndorsementsList(), at, (endorsement, endorser) -> {
                        byte[] digest = KnownSignatures.endorsementDigest(endorsed, endorsement.getEndorser());
                        if (!knownSignatures.containsEndorsement(digest, endorsement)) {
                            endorser.verifyDigest(
                                    digest, endorsement.getSignature().toByteArray());
                        }
                    });
        } catch (IdentityException e) {
            return invalid(txId, timestamp, envelope, TxValidationCode.ENDORSEMENT_POLICY_FAILURE, e.getMessage());
        }
        WriteCheck check = consortiumChange
                ? ConsortiumChanges.check(
                        invocation.getChaincodeSpec().getInput().getArgsList().stream()
                                .map(ByteString::toByteArray)
                                .toList(),
                        new ConsortiumChanges.Caller(
                                creator.mspId(), creator.attributes().get(EventReaders.ROLE_ATTRIBUTE)))
                : rules.check(new Signers(creator.mspId(), creator.subject(), timestamp, endorsers));
        return new ValidatedTransaction(txId, timestamp, envelope, TxValidationCode.VALID, "", rwset, check);
    }

    /** @return whether {@code ns} is a namespace this validator lets transactions read, and it only reads it */
    private boolean readsOnly(NsReadWriteSet ns) {
        if (!readOnlyNamespaces.contains(ns.getNamespace()) || ns.getCollectionHashedRwsetCount() > 0) {
            return false;
        }
        try {
            KVRWSet set = KVRWSet.parseFrom(ns.getRwset());
            return set.getWritesCount() == 0 && set.getMetadataWritesCount() == 0;
        } catch (InvalidProtocolBufferException e) {
            return false;
        }
    }

    private static ValidatedTransaction invalid(
            String txId, Instant timestamp, Envelope envelope, TxValidationCode code, String reason) {
        return new ValidatedTransaction(txId, timestamp, envelope, code, reason, null, WriteCheck.UNCHECKED);
    }
}
