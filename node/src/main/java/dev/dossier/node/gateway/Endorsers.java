package dev.dossier.node.gateway;

import static java.util.Objects.requireNonNull;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import dev.dossier.node.identity.TlsSettings;
import dev.dossier.node.validation.WriteRules;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.hyperledger.fabric.protos.gateway.ErrorDetail;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.hyperledger.fabric.protos.peer.EndorserGrpc;
import org.hyperledger.fabric.protos.peer.ProposalResponse;

/**
 * The other nodes of the network, as endorsers: when the writes of a simulated transaction need endorsements of
 * organisations other than this node's (see {@link WriteRules#organisationsToAsk}), or the client chose endorsing
 * organisations, the gateway sends the client's signed
 * proposal to a node of each such organisation (Fabric's {@code Endorser/ProcessProposal}) and adds their
 * endorsements to its own, as Fabric's gateway does. Every endorser must have produced exactly the same proposal
 * response payload; a node that has not yet committed the block this node simulated on is asked again shortly.
 * Thread-safe; connections are opened on first use and kept.
 */
public final class Endorsers implements AutoCloseable {
    private static final long DEADLINE_SECONDS = 30;
    private static final int ATTEMPTS = 6;
    private static final long RETRY_MILLIS = 100;

    /** A node that endorses for its organisation: its name, MSP id and gateway address ({@code host:port}). */
    public record Peer(String name, String mspId, String address) {
        public Peer {
            requireNonNull(name, "name");
            requireNonNull(mspId, "mspId");
            requireNonNull(address, "address");
        }
    }

    private final String ownMsp;
    /** The other nodes by organisation; replaced whole when the consortium changes. */
    private volatile Map<String, List<Peer>> peersByMsp;

    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    private final TlsSettings tls;
    private final ClientInterceptor[] interceptors;

    /**
     * @param ownMsp this node's organisation
     * @param peers the other nodes (this node's own entry, if present, is ignored)
     * @param tls this node's TLS, to reach the other nodes with, or null for plaintext
     * @param interceptors on every call to another node (the node's gRPC client metrics, say)
     */
    public Endorsers(String ownMsp, List<Peer> peers, TlsSettings tls, ClientInterceptor... interceptors) {
        this.ownMsp = requireNonNull(ownMsp, "ownMsp");
        this.tls = tls;
        this.interceptors = interceptors.clone();
        this.peersByMsp = byMsp(peers);
    }

    /**
     * Replaces the other nodes (a consortium change committed): the nodes of a new organisation are asked from now on,
     * those of a removed one no more. Connections already open stay open.
     *
     * @param peers the other nodes (this node's own entry, if present, is ignored)
     */
    public void update(List<Peer> peers) {
        peersByMsp = byMsp(peers);
    }

    private Map<String, List<Peer>> byMsp(List<Peer> peers) {
        Map<String, List<Peer>> byMsp = new LinkedHashMap<>();
        for (Peer peer : peers) {
            byMsp.computeIfAbsent(peer.mspId(), m -> new ArrayList<>()).add(peer);
        }
        byMsp.replaceAll((msp, list) -> List.copyOf(list));
        return Map.copyOf(byMsp);
    }

    /** No other node: this node endorses alone, for clients of every organisation it trusts. */
    public static Endorsers none(String ownMsp) {
        return new Endorsers(ownMsp, List.of(), null);
    }

    /** @return true if this node can get an endorsement of organisation {@code mspId} */
    boolean reaches(String mspId) {
        return ownMsp.equals(mspId) || peersByMsp.containsKey(mspId);
    }

    /**
     * Collects the other organisations' endorsements of a proposal this node endorsed with {@code own}.
     *
     * @param organisations the organisations to ask besides this node's: those the writes need and those the client
     *     asked for
     * @return this node's endorsement followed by the others', one per organisation asked
     * @throws RequestException if an organisation cannot be reached, refuses, or answers a different result
     */
    List<Endorsement> collect(
            CheckedProposal proposal, ByteString responsePayload, Endorsement own, Collection<String> organisations)
            throws RequestException {
        Set<String> ask = new LinkedHashSet<>(organisations);
        ask.remove(ownMsp);
        List<Endorsement> endorsements = new ArrayList<>();
        endorsements.add(own);
        if (ask.isEmpty()) {
            return endorsements;
        }
        Map<String, ListenableFuture<ProposalResponse>> calls = new LinkedHashMap<>();
        for (int attempt = 1; ; attempt++) {
            for (String msp : ask) {
                calls.put(msp, call(msp, proposal));
            }
            Set<String> behind = new LinkedHashSet<>();
            for (Map.Entry<String, ListenableFuture<ProposalResponse>> call : calls.entrySet()) {
                ProposalResponse response = await(call.getKey(), call.getValue());
                if (response.getResponse().getStatus() >= 400) {
                    throw notEnoughEndorsements(
                            List.of(detail(call.getKey(), GatewayErrors.chaincodeResponse(response.getResponse()))));
                }
                if (!response.getPayload().equals(responsePayload)) {
                    behind.add(call.getKey());
                } else {
                    endorsements.add(response.getEndorsement());
                }
            }
            if (behind.isEmpty()) {
                return endorsements;
            }
            if (attempt == ATTEMPTS) {
                // their ledger differs from this node's: Fabric's words, one detail per organisation
                throw notEnoughEndorsements(behind.stream()
                        .map(msp -> detail(msp, "ProposalResponsePayloads do not match"))
                        .toList());
            }
            ask = behind;
            calls.clear();
            try {
                Thread.sleep(RETRY_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RequestException(Status.Code.UNAVAILABLE, "interrupted while collecting endorsements", e);
            }
        }
    }

    /**
     * Fabric 2.5's answer when other organisations' endorsements are missing: {@code ABORTED failed to collect enough
     * transaction endorsements, see attached details for more info} ({@code internal/pkg/gateway/endorse.go}).
     */
    private static RequestException notEnoughEndorsements(List<ErrorDetail> details) {
        return new RequestException(
                Status.Code.ABORTED,
                "failed to collect enough transaction endorsements, see attached details for more info",
                details);
    }

    /** @return an error detail naming the node of {@code msp} that was asked */
    private ErrorDetail detail(String msp, String message) {
        return ErrorDetail.newBuilder()
                .setAddress(peersByMsp.get(msp).get(0).address())
                .setMspId(msp)
                .setMessage(message)
                .build();
    }

    private ListenableFuture<ProposalResponse> call(String msp, CheckedProposal proposal) throws RequestException {
        List<Peer> peers = peersByMsp.get(msp);
        if (peers == null || peers.isEmpty()) {
            throw new RequestException(
                    Status.Code.FAILED_PRECONDITION, "no endorsing node for organisation " + msp + " on this network");
        }
        // the organisation's first node; a deployment with several nodes per organisation lists the closest first
        Peer peer = peers.get(0);
        return EndorserGrpc.newFutureStub(channel(peer))
                .withInterceptors(interceptors)
                .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                .processProposal(proposal.signedProposal());
    }

    private static ProposalResponse await(String msp, ListenableFuture<ProposalResponse> call) throws RequestException {
        try {
            return call.get(DEADLINE_SECONDS + 5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof StatusRuntimeException status) {
                Status.Code code = status.getStatus().getCode() == Status.Code.ALREADY_EXISTS
                        ? Status.Code.ALREADY_EXISTS
                        : status.getStatus().getCode() == Status.Code.UNAVAILABLE
                                ? Status.Code.UNAVAILABLE
                                : Status.Code.ABORTED;
                throw new RequestException(
                        code,
                        "endorsement by " + msp + " failed: "
                                + status.getStatus().getDescription(),
                        status);
            }
            throw new RequestException(Status.Code.UNAVAILABLE, "endorsement by " + msp + " failed: " + cause, cause);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new RequestException(Status.Code.DEADLINE_EXCEEDED, "no endorsement by " + msp + " in time", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RequestException(Status.Code.UNAVAILABLE, "interrupted while collecting endorsements", e);
        }
    }

    private ManagedChannel channel(Peer peer) {
        return channels.computeIfAbsent(peer.address(), address -> TlsSettings.channel(address, tls));
    }

    @Override
    public void close() {
        for (ManagedChannel channel : channels.values()) {
            channel.shutdownNow();
        }
    }
}
