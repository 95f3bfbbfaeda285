package dev.dossier.node;

import static dev.dossier.node.TestNetwork.newCommitment;
import static dev.dossier.node.TestNetwork.notary;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import dev.dossier.node.config.Consortium;
import dev.dossier.node.gateway.GrpcLimits;
import dev.dossier.node.identity.Signer;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.util.internal.PlatformDependent;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.identity.Signers;
import org.hyperledger.fabric.protos.gateway.CommitStatusRequest;
import org.hyperledger.fabric.protos.gateway.CommitStatusResponse;
import org.hyperledger.fabric.protos.gateway.GatewayGrpc;
import org.hyperledger.fabric.protos.gateway.PreparedTransaction;
import org.hyperledger.fabric.protos.gateway.SignedCommitStatusRequest;
import org.hyperledger.fabric.protos.gateway.SubmitRequest;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Denial of service through the node's gRPC API (issue 11, item 5), replayed against a real node over real gRPC with
 * the node's default limits unless a test says otherwise. The node runs in the test's JVM with its normal settings.
 */
class GatewayAttackIT {
    private static final long JUNK_MESSAGE_BYTES = 120L << 20;
    /** The most of a refused message HTTP/2 flow control lets through: the node's stream window is 1 MiB. */
    private static final long FLOW_CONTROL_BOUND = 4L << 20;

    @TempDir
    Path directory;

    private TestNetwork network;

    @AfterEach
    void stopNode() throws Exception {
        if (network != null) {
            network.close();
        }
    }

    @Test
    void tenConcurrent120MiBJunkMessages_areRefusedFromTheirLengthPrefix_whileANormalClientIsServed() throws Exception {
        network = new TestNetwork(directory);
        AtomicBoolean attacking = new AtomicBoolean(true);
        AtomicInteger servedDuringAttack = new AtomicInteger();
        AtomicReference<Throwable> clientFailure = new AtomicReference<>();
        AtomicLong peakDirectMemory = new AtomicLong();
        long directMemoryBefore = directMemory();
        Thread sampler = new Thread(() -> {
            while (attacking.get()) {
                peakDirectMemory.accumulateAndGet(directMemory(), Math::max);
                sleep(2);
            }
        });
        sampler.start();
        ExecutorService pool = Executors.newFixedThreadPool(11);
        try (Gateway gateway = network.gateway("issuer")) {
            Future<?> client = pool.submit(() -> {
                try {
                    while (attacking.get()) {
                        String commitment = newCommitment();
                        notary(gateway).submitTransaction("anchor", commitment, "record");
                        assertThat(new String(
                                        notary(gateway).evaluateTransaction("status", commitment),
                                        StandardCharsets.UTF_8))
                                .contains(commitment);
                        if (attacking.get()) {
                            servedDuringAttack.incrementAndGet();
                        }
                    }
                } catch (Throwable e) {
                    clientFailure.set(e);
                }
            });
            List<JunkGrpc.Outcome> outcomes = new ArrayList<>();
            // at least 3 s, and on until the normal client was served once (a slow machine may take longer to serve
            // its first transaction), for at most 60 s
            Instant attackUntil = Instant.now().plusSeconds(3);
            Instant attackAtMostUntil = Instant.now().plusSeconds(60);
            do {
                List<Future<JunkGrpc.Outcome>> wave = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    String path = i % 2 == 0 ? "/protos.Endorser/ProcessProposal" : "/gateway.Gateway/Submit";
                    wave.add(pool.submit(() -> JunkGrpc.call(
                            "localhost", network.node.port(), path, JUNK_MESSAGE_BYTES, Duration.ofSeconds(30))));
                }
                for (Future<JunkGrpc.Outcome> outcome : wave) {
                    outcomes.add(outcome.get(60, TimeUnit.SECONDS));
                }
            } while (Instant.now().isBefore(attackUntil)
                    || (servedDuringAttack.get() == 0 && Instant.now().isBefore(attackAtMostUntil)));
            attacking.set(false);
            client.get(60, TimeUnit.SECONDS);
            sampler.join();

            assertThat(clientFailure.get()).as("the normal client's failure").isNull();
            assertThat(servedDuringAttack.get())
                    .as("transactions of the normal client served during the attack")
                    .isPositive();
            assertThat(outcomes).hasSizeGreaterThanOrEqualTo(10).allSatisfy(outcome -> {
                if (outcome.resetCode() < 0) {
                    assertThat(outcome.grpcStatus())
                            .as(outcome.toString())
                            .isEqualTo(Status.Code.RESOURCE_EXHAUSTED.value());
                    assertThat(outcome.grpcMessage())
                            .contains("exceeds maximum size " + GrpcLimits.DEFAULT_MAX_MESSAGE_BYTES);
                } // else the node reset the stream (a sender that overran the flow-control window): refused too
                assertThat(outcome.bodyBytesSent())
                        .as("bytes of a 120 MiB message the node let in")
                        .isLessThan(FLOW_CONTROL_BOUND);
            });
            assertThat(peakDirectMemory.get() - directMemoryBefore)
                    // ten junk messages are 1,200 MiB; Netty's pooled arenas grow by whole chunks per event-loop
                    // thread, so a loaded machine that spreads the streams over more threads shows a few MiB more
                    // (67 MiB seen at load 11) without any message being buffered
                    .as("direct memory the node took during the attack (one junk message is 120 MiB)")
                    .isLessThan(96L << 20);

            String commitment = newCommitment();
            var status = notary(gateway)
                    .newProposal("anchor")
                    .addArguments(commitment, "record")
                    .build()
                    .endorse()
                    .submitAsync()
                    .getStatus();
            assertThat(status.getCode()).isEqualTo(TxValidationCode.VALID);
            assertThat(network.node.healthy()).isTrue();
        } finally {
            attacking.set(false);
            pool.shutdownNow();
        }
    }

    @Test
    void fullAnchorBatch_of5000EntriesWithEveryMember_fitsTheLimit_andCommits() throws Exception {
        network = new TestNetwork(directory);
        StringBuilder entries = new StringBuilder("[");
        for (int i = 0; i < 5_000; i++) {
            entries.append(i == 0 ? "" : ",")
                    .append("{\"commitment\":\"")
                    .append(newCommitment())
                    .append("\",\"kind\":\"")
                    .append("k".repeat(32))
                    .append("\",\"schemaVersion\":2147483647,\"validUntil\":\"2099-12-31\",\"subject\":\"")
                    .append(newCommitment())
                    .append("\"}");
        }
        entries.append(']');
        // the endorsed transaction comes back to the client: a client accepts large answers, as the client library does
        ManagedChannel connection = NettyChannelBuilder.forAddress("localhost", network.node.port())
                .usePlaintext()
                .maxInboundMessageSize(128 << 20)
                .build();
        Consortium.User issuer = network.user("issuer");
        try (Gateway gateway = TestNetwork.gateway(
                connection,
                "Org1MSP",
                TestNetwork.certificate(issuer.certificate()),
                Signers.newPrivateKeySigner(TestNetwork.key(issuer.privateKey())))) {
            var transaction = notary(gateway)
                    .newProposal("anchorBatch")
                    .addArguments(entries.toString())
                    .build()
                    .endorse();
            PreparedTransaction prepared = PreparedTransaction.parseFrom(transaction.getBytes());
            int submitBytes = SubmitRequest.newBuilder()
                    .setTransactionId(prepared.getTransactionId())
                    .setChannelId("dossier")
                    .setPreparedTransaction(prepared.getEnvelope())
                    .build()
                    .getSerializedSize();
            System.out.printf(
                    "Submit of a 5,000-entry anchorBatch: %,d bytes (issuer DN of %d characters); limit %,d%n",
                    submitBytes,
                    TestNetwork.certificate(issuer.certificate())
                            .getSubjectX500Principal()
                            .getName()
                            .length(),
                    network.limits.maxMessageBytes());
            assertThat(submitBytes).isGreaterThan(4 << 20).isLessThan(network.limits.maxMessageBytes() / 2);

            var status = transaction.submitAsync();
            assertThat(new String(status.getResult(), StandardCharsets.UTF_8)).contains("\"anchored\":5000");
            assertThat(status.getStatus().getCode()).isEqualTo(TxValidationCode.VALID);
        } finally {
            connection.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void commitStatusWaiters_beyondTheCapsPerIdentityAndOnTheNode_areRefused_andFreedWhenTheirCallerLeaves()
            throws Exception {
        network = new TestNetwork(directory, 1, GrpcLimits.DEFAULT.withCommitStatusWaiters(3, 5));
        var stub = GatewayGrpc.newFutureStub(network.channel());
        Signer issuer = network.consortium.signer("Issuer@org1.dossier.local");
        Signer employer = network.consortium.signer("Employer@org1.dossier.local");

        List<ListenableFuture<CommitStatusResponse>> issuerCalls = waitForCommits(stub, issuer, 5);
        assertRefused(issuerCalls, 2, "at most 3 at a time");
        List<ListenableFuture<CommitStatusResponse>> employerCalls = waitForCommits(stub, employer, 3);
        assertRefused(employerCalls, 1, "too many commit status calls waiting on this node (5)");

        // callers that go away give their places back: the issuer may wait again, and its transactions commit
        issuerCalls.forEach(call -> call.cancel(true));
        Instant deadline = Instant.now().plusSeconds(30);
        while (true) {
            ListenableFuture<CommitStatusResponse> again =
                    waitForCommits(stub, issuer, 1).get(0);
            Thread.sleep(300);
            if (!again.isDone()) {
                again.cancel(true);
                break;
            }
            assertThat(Instant.now()).as("the issuer is admitted again").isBefore(deadline);
        }
        try (Gateway gateway = network.gateway("issuer")) {
            String commitment = newCommitment();
            notary(gateway).submitTransaction("anchor", commitment, "record");
        }
        employerCalls.forEach(call -> call.cancel(true));
    }

    /** Starts {@code count} CommitStatus calls of {@code signer} for transactions that will never commit. */
    private static List<ListenableFuture<CommitStatusResponse>> waitForCommits(
            GatewayGrpc.GatewayFutureStub stub, Signer signer, int count) {
        List<ListenableFuture<CommitStatusResponse>> calls = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            CommitStatusRequest request = CommitStatusRequest.newBuilder()
                    .setChannelId("dossier")
                    .setTransactionId(newCommitment())
                    .setIdentity(signer.serializedIdentity())
                    .build();
            calls.add(stub.commitStatus(SignedCommitStatusRequest.newBuilder()
                    .setRequest(request.toByteString())
                    .setSignature(ByteString.copyFrom(signer.sign(request.toByteArray())))
                    .build()));
        }
        return calls;
    }

    /** Asserts that exactly {@code refused} of {@code calls} fail with RESOURCE_EXHAUSTED and the others wait. */
    private static void assertRefused(List<ListenableFuture<CommitStatusResponse>> calls, int refused, String message)
            throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        while (calls.stream().filter(Future::isDone).count() < refused
                && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        Thread.sleep(300);
        List<Status> failures = new ArrayList<>();
        for (ListenableFuture<CommitStatusResponse> call : calls) {
            if (call.isDone()) {
                try {
                    call.get();
                    failures.add(Status.OK);
                } catch (ExecutionException e) {
                    failures.add(Status.fromThrowable(e.getCause()));
                }
            }
        }
        assertThat(failures).hasSize(refused).allSatisfy(status -> {
            assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(status.getDescription()).contains(message);
        });
    }

    /** Direct memory in use in this JVM: NIO direct buffers and Netty's own direct allocations when it counts them. */
    private static long directMemory() {
        long nio = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct"))
                .mapToLong(BufferPoolMXBean::getMemoryUsed)
                .sum();
        return nio + Math.max(0, PlatformDependent.usedDirectMemory());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
