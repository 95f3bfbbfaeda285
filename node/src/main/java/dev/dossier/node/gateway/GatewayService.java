package dev.dossier.node.gateway;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.dossier.node.chaincode.Invocation;
import dev.dossier.node.chaincode.Simulation;
import dev.dossier.node.identity.Identity;
import dev.dossier.node.identity.Signer;
import dev.dossier.node.ledger.KeyWrite;
import dev.dossier.node.ledger.TxStatus;
import dev.dossier.node.ordering.Orderer;
import dev.dossier.node.validation.Signers;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
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
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeEndorsedAction;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.SignedProposal;
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
 */
public final class GatewayService extends GatewayGrpc.GatewayImplBase {
    private static final Logger LOG = Logger.getLogger(GatewayService.class.getName());
    private static final String CHAINCODE_VERSION = "1.0";

    private final GatewayContext context;
    private final ProposalChecker checker;
    private final CommitNotifier notifier;
    private final EventReaders readers;
    private final CommitStatusWaiters waiters;
    private final ExecutorService eventStreams;
    private final Semaphore eventStreamSlots;
    private final Executor responses;

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
        this.waiters = new CommitStatusWaiters(limits.commitStatusWaitersPerIdentity(), limits.commitStatusWaiters());
        this.checker = new ProposalChecker(
                context.identities(), context.channel(), context.runtime().name());
        this.notifier = context.notifier();
        this.eventStreams = Objects.requireNonNull(eventStreams, "eventStreams");
        this.eventStreamSlots = new Semaphore(maxEventStreams);
        this.responses = Objects.requireNonNull(responses, "responses");
        // once ordering has stopped (the ledger failed to write), callers waiting for a commit status get an error
        // instead of waiting for ever; the node acknowledges nothing more until it is restarted
        var watch = HEALTH_WATCH.scheduleWithFixedDelay(
                () -> {
                    try {
                        if (context.orderingFailed()) {
                            notifier.failWaiters(new IllegalStateException(CommitNotifier.ORDERING_STOPPED));
                        }
                    } catch (RuntimeException e) {
                        // a closed context: nothing to watch any more
                    }
                },
                1,
                1,
                java.util.concurrent.TimeUnit.SECONDS);
        context.onClose(() -> watch.cancel(false));
    }

    private static final java.util.concurrent.ScheduledExecutorService HEALTH_WATCH =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "commit-status-health");
                thread.setDaemon(true);
                return thread;
            });

    @Override
    public void evaluate(EvaluateRequest request, StreamObserver<EvaluateResponse> observer) {
        try {
            CheckedProposal proposal =
                    checker.check(request.getProposedTransaction(), request.getTransactionId(), request.getChannelId());
            checkTargets(request.getTargetOrganizationsList());
            Simulation simulation = simulate(proposal);
            var response = simulation.response();
            if (response.getStatus() >= 400) {
                throw new RequestException(
                        Status.Code.UNKNOWN,
                        "evaluate call to endorser returned error: chaincode response " + response.getStatus() + ", "
                                + response.getMessage());
            }
            observer.onNext(EvaluateResponse.newBuilder().setResult(response).build());
            observer.onCompleted();
        } catch (RequestException e) {
            observer.onError(error(e));
        } catch (RuntimeException e) {
            observer.onError(internal("evaluate", e));
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
            Simulation simulation = simulate(proposal);
            var response = simulation.response();
            if (response.getStatus() >= 400) {
                throw new RequestException(
                        Status.Code.ABORTED,
                        "failed to endorse transaction: chaincode response " + response.getStatus() + ", "
                                + response.getMessage());
            }
            observer.onNext(EndorseResponse.newBuilder()
                    .setPreparedTransaction(
                            endorsedTransaction(proposal, simulation, request.getEndorsingOrganizationsList()))
                    .build());
            observer.onCompleted();
        } catch (RequestException e) {
            observer.onError(error(e));
        } catch (RuntimeException e) {
            observer.onError(internal("endorse", e));
        }
    }

    private Envelope endorsedTransaction(CheckedProposal proposal, Simulation simulation, List<String> organisations)
            throws RequestException {
        ProposalResponse own = signedResponse(proposal, simulation);
        Set<String> ask = new LinkedHashSet<>(organisations);
        try {
            Signers creator = new Signers(
                    proposal.creator().mspId(), proposal.creator().subject(), proposal.timestamp(), List.of());
            ask.addAll(context.writeRules()
                    .organisationsToAsk(
                            KeyWrite.of(simulation.readWriteSet()),
                            creator,
                            context.signer().mspId(),
                            context.ledger()));
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

    /** This node's endorsement of a simulated proposal, as its Endorser service answers it. */
    ProposalResponse signedResponse(CheckedProposal proposal, Simulation simulation) {
        ChaincodeID chaincodeId = ChaincodeID.newBuilder()
                .setName(context.runtime().name())
                .setVersion(CHAINCODE_VERSION)
                .build();
        ChaincodeAction.Builder action = ChaincodeAction.newBuilder()
                .setResults(simulation.readWriteSet().toByteString())
                .setResponse(simulation.response())
                .setChaincodeId(chaincodeId);
        ChaincodeEvent event = simulation.event();
        if (event != null) {
            action.setEvents(event.toBuilder()
                    .setChaincodeId(chaincodeId.getName())
                    .setTxId(proposal.txId())
                    .build()
                    .toByteString());
        }
        ByteString payloadWithoutTransient = Transactions.withoutTransient(proposal.payload());
        ByteString responsePayload = ProposalResponsePayload.newBuilder()
                .setProposalHash(Transactions.proposalHash(proposal.header(), payloadWithoutTransient))
                .setExtension(action.build().toByteString())
                .build()
                .toByteString();
        Signer signer = context.signer();
        ByteString endorser = signer.serializedIdentity();
        Endorsement endorsement = Endorsement.newBuilder()
                .setEndorser(endorser)
                .setSignature(ByteString.copyFrom(
                        signer.sign(responsePayload.concat(endorser).toByteArray())))
                .build();
        context.ownEndorsements().add(responsePayload, endorsement);
        return ProposalResponse.newBuilder()
                .setVersion(1)
                .setResponse(simulation.response())
                .setPayload(responsePayload)
                .setEndorsement(endorsement)
                .build();
    }

    Simulation simulate(CheckedProposal proposal) {
        SignedProposal signed = proposal.signedProposal();
        ByteString creator = proposal.creator().serialized();
        Invocation invocation = new Invocation(
                proposal.channelHeader().getChannelId(),
                proposal.txId(),
                proposal.invocationSpec().getChaincodeSpec().getInput().getArgsList(),
                proposal.payload().getTransientMapMap(),
                creator,
                proposal.creator().mspId(),
                proposal.timestamp(),
                signed,
                Transactions.binding(
                        proposal.nonce(), creator, proposal.channelHeader().getEpoch()));
        return context.runtime().simulate(context.ledger(), invocation);
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
            observer.onError(error(e));
        } catch (RuntimeException e) {
            observer.onError(internal("submit", e));
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
                answerOnCommit((ServerCallStreamObserver<CommitStatusResponse>) observer, txId, permit);
            } catch (RuntimeException e) {
                permit.release();
                throw e;
            }
        } catch (RequestException e) {
            observer.onError(error(e));
        } catch (RuntimeException e) {
            observer.onError(internal("commit status", e));
        }
    }

    /** Answers {@code call} once {@code txId} is committed, or fails it; gives {@code permit} back either way. */
    private void answerOnCommit(
            ServerCallStreamObserver<CommitStatusResponse> call, String txId, CommitStatusWaiters.Permit permit) {
        CompletableFuture<TxStatus> status = notifier.await(txId);
        call.setOnCancelHandler(() -> {
            notifier.forget(txId, status);
            permit.release();
        });
        if (!status.isDone() && context.orderingFailed()) {
            // ordering stopped (the ledger failed to write, a full disk say): nothing more is committed here
            notifier.failWaiters(new IllegalStateException(CommitNotifier.ORDERING_STOPPED));
        }
        status.whenCompleteAsync(
                (s, failure) -> {
                    permit.release();
                    if (call.isCancelled()) {
                        return;
                    }
                    if (failure != null) {
                        call.onError(Status.UNAVAILABLE
                                .withDescription(
                                        "transaction " + txId + " " + failure.getMessage() + " (see the node's log)")
                                .asRuntimeException());
                        return;
                    }
                    call.onNext(CommitStatusResponse.newBuilder()
                            .setResult(s.code())
                            .setBlockNumber(s.blockNumber())
                            .build());
                    call.onCompleted();
                },
                responses);
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
            observer.onError(error(e));
            return;
        }
        var call = (ServerCallStreamObserver<ChaincodeEventsResponse>) observer;
        long start = startBlock(request);
        try {
            eventStreams.execute(() -> {
                try {
                    streamEvents(call, start, request.getAfterTransactionId(), scope, mspId);
                } finally {
                    eventStreamSlots.release();
                }
            });
        } catch (RuntimeException e) {
            eventStreamSlots.release();
            observer.onError(internal("chaincode events", e));
        }
    }

    private long startBlock(ChaincodeEventsRequest request) {
        var position = request.getStartPosition();
        return switch (position.getTypeCase()) {
            case OLDEST -> 0;
            case SPECIFIED -> position.getSpecified().getNumber();
            default -> context.ledger().height();
        };
    }

    /**
     * Streams the chaincode events of committed blocks from {@code start}, each block's valid transactions' events of
     * this node's chaincode, and only those created by {@code mspId} when {@code scope} is own-organisation.
     */
    private void streamEvents(
            ServerCallStreamObserver<ChaincodeEventsResponse> call,
            long start,
            String afterTxId,
            EventReaders.Scope scope,
            String mspId) {
        String chaincode = context.runtime().name();
        boolean skipping = !afterTxId.isEmpty();
        long next = start;
        try {
            while (!call.isCancelled()) {
                if (!context.notifier().awaitBlock(next, 1_000)) {
                    continue;
                }
                Block block = context.ledger().block(next).orElseThrow();
                List<ChaincodeEvent> events = new ArrayList<>();
                byte[] filter = block.getMetadata()
                        .getMetadata(BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE)
                        .toByteArray();
                for (int i = 0; i < block.getData().getDataCount(); i++) {
                    Optional<BlockEvents.Emitted> emitted =
                            BlockEvents.read(block.getData().getData(i));
                    if (skipping && next == start) {
                        if (emitted.isPresent()
                                && emitted.get().event().getTxId().equals(afterTxId)) {
                            skipping = false;
                        }
                        continue;
                    }
                    if (emitted.isEmpty() || filter[i] != TxValidationCode.VALID_VALUE) {
                        continue;
                    }
                    ChaincodeEvent event = emitted.get().event();
                    boolean visible = scope == EventReaders.Scope.ALL
                            || emitted.get().creatorMspId().equals(mspId);
                    if (visible && event.getChaincodeId().equals(chaincode)) {
                        events.add(event);
                    }
                }
                if (!events.isEmpty()) {
                    while (!call.isReady() && !call.isCancelled()) {
                        Thread.sleep(10);
                    }
                    call.onNext(ChaincodeEventsResponse.newBuilder()
                            .setBlockNumber(next)
                            .addAllEvents(events)
                            .build());
                }
                next++;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            call.onError(
                    Status.UNAVAILABLE.withDescription("node is shutting down").asRuntimeException());
        } catch (RuntimeException e) {
            if (!call.isCancelled()) {
                call.onError(internal("chaincode events", e));
            }
        }
    }

    StatusRuntimeException error(RequestException e) {
        ErrorDetail detail = ErrorDetail.newBuilder()
                .setAddress(context.address())
                .setMspId(context.signer().mspId())
                .setMessage(e.getMessage())
                .build();
        com.google.rpc.Status status = com.google.rpc.Status.newBuilder()
                .setCode(e.code().value())
                .setMessage(e.getMessage())
                .addDetails(Any.pack(detail))
                .build();
        return StatusProto.toStatusRuntimeException(status);
    }

    StatusRuntimeException internal(String call, RuntimeException e) {
        LOG.log(Level.SEVERE, call + " failed", e);
        return error(new RequestException(Status.Code.INTERNAL, call + " failed on the node: " + e));
    }
}
