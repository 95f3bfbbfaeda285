package dev.dossier.node.gateway;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.dossier.node.chaincode.Simulation;
import dev.dossier.node.identity.Identity;
import dev.dossier.node.ledger.MetadataReader;
import dev.dossier.node.ordering.Orderer;
import dev.dossier.node.validation.Signers;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.gateway.ChaincodeEventsRequest;
import org.hyperledger.fabric.protos.gateway.ChaincodeEventsResponse;
import org.hyperledger.fabric.protos.gateway.CommitStatusRequest;
import org.hyperledger.fabric.protos.gateway.CommitStatusResponse;
import org.hyperledger.fabric.protos.gateway.EndorseRequest;
import org.hyperledger.fabric.protos.gateway.EndorseResponse;
import org.hyperledger.fabric.protos.gateway.ErrorDetail;
import org.hyperledger.fabric.protos.gateway.EvaluateRequest;
import org.hyperledger.fabric.protos.gateway.EvaluateResponse;
import org.hyperledger.fabric.protos.gateway.GatewayGrpc;
import org.hyperledger.fabric.protos.gateway.SignedChaincodeEventsRequest;
import org.hyperledger.fabric.protos.gateway.SignedCommitStatusRequest;
import org.hyperledger.fabric.protos.gateway.SubmitRequest;
import org.hyperledger.fabric.protos.gateway.SubmitResponse;
import org.hyperledger.fabric.protos.peer.ChaincodeEndorsedAction;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * Fabric's Gateway service (gateway.proto) served by this node: Evaluate and Endorse simulate the chaincode
 * in-process against committed state, Submit validates the signed transaction and queues it for ordering, CommitStatus
 * answers once the transaction's block is fsynced, ChaincodeEvents streams events of committed blocks. Every refusal
 * is a gRPC status with an {@link ErrorDetail} naming this node, so the official client raises a
 * {@code GatewayException} with a clear message.
 *
 * <p>Bounds: at most {@link GrpcLimits#commitStatusWaiters()} CommitStatus calls wait at once, and {@link
 * GrpcLimits#commitStatusWaitersPerIdentity()} per certificate (one more is {@code RESOURCE_EXHAUSTED}); at most
 * {@code maxEventStreams} event streams are open. ChaincodeEvents follows {@link EventReaders}: operators and auditors
 * receive every event, issuers and employers their own organisation's transactions' events, other roles are refused
 * with {@code PERMISSION_DENIED}.
 *
 * <p>This class checks each call and routes it; the node's own simulation and endorsement are {@code LocalEndorser}'s,
 * the waiting CommitStatus calls {@code CommitStatusAnswers}', an open event stream a {@code ChaincodeEventStream},
 * and the errors answered {@code GatewayErrors}'.
 */
public final class GatewayService extends GatewayGrpc.GatewayImplBase {
    private final GatewayContext context;
    private final LocalEndorser endorser;
    private final GatewayErrors errors;
    private final ProposalChecker checker;
    private final CommitNotifier notifier;
    private final EventReaders readers;
    private final CommitStatusWaiters waiters;
    private final ExecutorService eventStreams;
    private final Semaphore eventStreamSlots;
    private final CommitStatusAnswers answers;

    /**
     * @param context the node's ledger, chaincode, identities and ordering
     * @param readers who may receive which chaincode events
     * @param limits the caps on waiting commit-status calls
     * @param eventStreams runs one task per open chaincode-event stream
     * @param maxEventStreams how many event streams may be open at once
     * @param responses completes commit-status calls off the block-commit thread
     */
    public GatewayService(
            GatewayContext context,
            EventReaders readers,
            GrpcLimits limits,
            ExecutorService eventStreams,
            int maxEventStreams,
            Executor responses) {
        this.context = Objects.requireNonNull(context, "context");
        this.readers = Objects.requireNonNull(readers, "readers");
        this.endorser = new LocalEndorser(context);
        this.errors = new GatewayErrors(context);
        this.waiters = new CommitStatusWaiters(limits.commitStatusWaitersPerIdentity(), limits.commitStatusWaiters());
        this.checker = new ProposalChecker(
                context.identities(), context.channel(), context.runtime().name());
        this.notifier = context.notifier();
        this.eventStreams = Objects.requireNonNull(eventStreams, "eventStreams");
        this.eventStreamSlots = new Semaphore(maxEventStreams);
        this.answers = new CommitStatusAnswers(context, Objects.requireNonNull(responses, "responses"));
    }

    @Override
    public void evaluate(EvaluateRequest request, StreamObserver<EvaluateResponse> observer) {
        try {
            CheckedProposal proposal =
                    checker.check(request.getProposedTransaction(), request.getTransactionId(), request.getChannelId());
            checkTargets(request.getTargetOrganizationsList());
            Simulation simulation = endorser.simulate(proposal);
            var response = simulation.response();
            if (response.getStatus() >= 400) {
                throw errors.evaluationFailed(response);
            }
            observer.onNext(EvaluateResponse.newBuilder().setResult(response).build());
            observer.onCompleted();
        } catch (RequestException e) {
            observer.onError(errors.error(e));
        } catch (RuntimeException e) {
            observer.onError(errors.internal("evaluate", e));
        }
    }

    @Override
    public void endorse(EndorseRequest request, StreamObserver<EndorseResponse> observer) {
        try {
            CheckedProposal proposal =
                    checker.check(request.getProposedTransaction(), request.getTransactionId(), request.getChannelId());
            checkTargets(request.getEndorsingOrganizationsList());
            if (context.ledger().transaction(proposal.txId()).isPresent()) {
                throw new RequestException(
                        Status.Code.ALREADY_EXISTS, "duplicate transaction found [" + proposal.txId() + "]");
            }
            Simulation simulation = endorser.simulate(proposal);
            var response = simulation.response();
            if (response.getStatus() >= 400) {
                throw errors.endorsementFailed(response);
            }
            observer.onNext(EndorseResponse.newBuilder()
                    .setPreparedTransaction(
                            endorsedTransaction(proposal, simulation, request.getEndorsingOrganizationsList()))
                    .build());
            observer.onCompleted();
        } catch (RequestException e) {
            observer.onError(errors.error(e));
        } catch (RuntimeException e) {
            observer.onError(errors.internal("endorse", e));
        }
    }

    /**
     * The committed metadata of the keys a simulation writes: none for a key the simulation read and found without a
     * value (a key has metadata only while it has a value), else the ledger's.
     */
    private MetadataReader committedMetadata(Simulation simulation) {
        if (simulation.keysReadAbsent().isEmpty() || simulation.readWriteSet().getNsRwsetCount() != 1) {
            return context.ledger();
        }
        String namespace = simulation.readWriteSet().getNsRwset(0).getNamespace();
        return (ns, key) -> ns.equals(namespace) && simulation.keysReadAbsent().contains(key)
                ? Map.of()
                : context.ledger().metadata(ns, key);
    }

    private Envelope endorsedTransaction(CheckedProposal proposal, Simulation simulation, List<String> organisations)
            throws RequestException {
        ProposalResponse own = endorser.signedResponse(proposal, simulation);
        Set<String> ask = new LinkedHashSet<>(organisations);
        try {
            Signers creator = new Signers(
                    proposal.creator().mspId(), proposal.creator().subject(), proposal.timestamp(), List.of());
            ask.addAll(context.writeRules()
                    .organisationsToAsk(
                            simulation.keyWrites(), creator, context.signer().mspId(), committedMetadata(simulation)));
        } catch (IllegalArgumentException e) {
            throw new RequestException(
                    Status.Code.INTERNAL, "simulation produced an unusable write set: " + e.getMessage(), e);
        }
        return Transactions.preparedTransaction(
                proposal.header(),
                Transactions.withoutTransient(proposal.payload()),
                ChaincodeEndorsedAction.newBuilder()
                        .setProposalResponsePayload(own.getPayload())
                        .addAllEndorsements(
                                context.endorsers().collect(proposal, own.getPayload(), own.getEndorsement(), ask))
                        .build());
    }

    private void checkTargets(List<String> organisations) throws RequestException {
        String own = context.signer().mspId();
        for (String org : organisations) {
            if (!context.endorsers().reaches(org)) {
                throw new RequestException(
                        Status.Code.FAILED_PRECONDITION,
                        "no endorsing node for organisation " + org + " on this network (this node is " + own + ")");
            }
        }
    }

    @Override
    public void submit(SubmitRequest request, StreamObserver<SubmitResponse> observer) {
        try {
            if (!request.hasPreparedTransaction()) {
                throw new RequestException(Status.Code.INVALID_ARGUMENT, "a prepared transaction is required");
            }
            Envelope envelope = request.getPreparedTransaction();
            if (envelope.getSignature().isEmpty()) {
                throw new RequestException(Status.Code.INVALID_ARGUMENT, "prepared transaction must be signed");
            }
            ValidatedTransaction tx = context.validator().validate(envelope);
            if (!tx.valid()) {
                throw new RequestException(
                        submitCode(tx.code()),
                        "transaction " + tx.txId() + " refused: " + tx.code() + ": " + tx.reason());
            }
            if (!request.getTransactionId().isEmpty()
                    && !request.getTransactionId().equals(tx.txId())) {
                throw new RequestException(
                        Status.Code.INVALID_ARGUMENT,
                        "request transaction id '" + request.getTransactionId() + "' differs from the transaction's '"
                                + tx.txId() + "'");
            }
            if (!notifier.reserve(tx.txId())) {
                throw new RequestException(
                        Status.Code.ALREADY_EXISTS, "duplicate transaction id " + tx.txId() + ": already submitted");
            }
            order(tx);
            observer.onNext(SubmitResponse.getDefaultInstance());
            observer.onCompleted();
        } catch (RequestException e) {
            observer.onError(errors.error(e));
        } catch (RuntimeException e) {
            observer.onError(errors.internal("submit", e));
        }
    }

    private void order(ValidatedTransaction tx) throws RequestException {
        Orderer orderer = context.orderer();
        try {
            orderer.order(tx.pending());
        } catch (IllegalStateException e) {
            notifier.release(tx.txId());
            throw new RequestException(Status.Code.UNAVAILABLE, "transaction not accepted: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            notifier.release(tx.txId());
            Thread.currentThread().interrupt();
            throw new RequestException(Status.Code.UNAVAILABLE, "interrupted while queueing the transaction", e);
        }
    }

    private static Status.Code submitCode(TxValidationCode code) {
        return switch (code) {
            case BAD_CREATOR_SIGNATURE, ENDORSEMENT_POLICY_FAILURE -> Status.Code.PERMISSION_DENIED;
            case TARGET_CHAIN_NOT_FOUND, INVALID_CHAINCODE -> Status.Code.NOT_FOUND;
            default -> Status.Code.INVALID_ARGUMENT;
        };
    }

    @Override
    public void commitStatus(SignedCommitStatusRequest signed, StreamObserver<CommitStatusResponse> observer) {
        try {
            if (signed.getRequest().isEmpty()) {
                throw new RequestException(Status.Code.INVALID_ARGUMENT, "a commit status request is required");
            }
            CommitStatusRequest request;
            try {
                request = CommitStatusRequest.parseFrom(signed.getRequest());
            } catch (InvalidProtocolBufferException e) {
                throw new RequestException(Status.Code.INVALID_ARGUMENT, "invalid status request: " + e.getMessage());
            }
            if (request.getIdentity().isEmpty()) {
                throw new RequestException(Status.Code.INVALID_ARGUMENT, "no identity provided");
            }
            if (request.getTransactionId().isEmpty()) {
                throw new RequestException(Status.Code.INVALID_ARGUMENT, "transaction ID should not be empty");
            }
            checkChannel(request.getChannelId());
            Identity caller = checker.verifiedCreator(
                    request.getIdentity(), signed.getRequest().toByteArray(), signed.getSignature());
            String txId = request.getTransactionId();
            CommitStatusWaiters.Permit permit = waiters.acquire(caller);
            try {
                answers.answerOnCommit((ServerCallStreamObserver<CommitStatusResponse>) observer, txId, permit);
            } catch (RuntimeException e) {
                permit.release();
                throw e;
            }
        } catch (RequestException e) {
            observer.onError(errors.error(e));
        } catch (RuntimeException e) {
            observer.onError(errors.internal("commit status", e));
        }
    }

    private void checkChannel(String channel) throws RequestException {
        if (channel.isEmpty()) {
            throw new RequestException(Status.Code.INVALID_ARGUMENT, "no channel ID provided");
        }
        if (!channel.equals(context.channel())) {
            throw new RequestException(Status.Code.NOT_FOUND, "channel '" + channel + "' is not served by this node");
        }
    }

    @Override
    public void chaincodeEvents(SignedChaincodeEventsRequest signed, StreamObserver<ChaincodeEventsResponse> observer) {
        ChaincodeEventsRequest request;
        EventReaders.Scope scope;
        String mspId;
        try {
            try {
                request = ChaincodeEventsRequest.parseFrom(signed.getRequest());
            } catch (InvalidProtocolBufferException e) {
                throw new RequestException(
                        Status.Code.INVALID_ARGUMENT, "invalid chaincode events request: " + e.getMessage());
            }
            if (request.getIdentity().isEmpty()) {
                throw new RequestException(Status.Code.INVALID_ARGUMENT, "no identity provided");
            }
            checkChannel(request.getChannelId());
            if (!request.getChaincodeId().equals(context.runtime().name())) {
                throw new RequestException(
                        Status.Code.NOT_FOUND, "chaincode '" + request.getChaincodeId() + "' is not deployed");
            }
            Identity caller = checker.verifiedCreator(
                    request.getIdentity(), signed.getRequest().toByteArray(), signed.getSignature());
            scope = readers.eventScope(caller);
            mspId = caller.mspId();
            if (!eventStreamSlots.tryAcquire()) {
                throw new RequestException(Status.Code.RESOURCE_EXHAUSTED, "too many open event streams on this node");
            }
        } catch (RequestException e) {
            observer.onError(errors.error(e));
            return;
        }
        var stream = new ChaincodeEventStream(
                context, errors, (ServerCallStreamObserver<ChaincodeEventsResponse>) observer, request, scope, mspId);
        try {
            eventStreams.execute(() -> {
                try {
                    stream.run();
                } finally {
                    eventStreamSlots.release();
                }
            });
        } catch (RuntimeException e) {
            eventStreamSlots.release();
            observer.onError(errors.internal("chaincode events", e));
        }
    }

    /** @return this node as an endorser, which the Endorser service shares */
    LocalEndorser endorser() {
        return endorser;
    }

    /** @return how this node answers refusals and failures, which the Endorser service shares */
    GatewayErrors errors() {
        return errors;
    }
}
