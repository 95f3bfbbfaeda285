package dev.dossier.node;

import static dev.dossier.node.TestNetwork.anchorProposal;
import static dev.dossier.node.TestNetwork.newCommitment;
import static dev.dossier.node.TestNetwork.notary;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.dossier.crypto.CertificateBuilder;
import dev.dossier.crypto.P256PrivateKey;
import dev.dossier.crypto.Pem;
import dev.dossier.node.config.Consortium;
import dev.dossier.node.config.CryptoGen;
import dev.dossier.node.identity.FabricAttributes;
import dev.dossier.node.ledger.AuditReport;
import dev.dossier.node.ledger.LedgerAudit;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.nist.NISTNamedCurves;
import org.bouncycastle.asn1.x500.X500Name;
import org.hyperledger.fabric.client.ChaincodeEvent;
import org.hyperledger.fabric.client.CloseableIterator;
import org.hyperledger.fabric.client.CommitException;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.EndorseException;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.client.identity.Signer;
import org.hyperledger.fabric.client.identity.Signers;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.gateway.EndorseRequest;
import org.hyperledger.fabric.protos.gateway.GatewayGrpc;
import org.hyperledger.fabric.protos.gateway.PreparedTransaction;
import org.hyperledger.fabric.protos.gateway.SignedCommitStatusRequest;
import org.hyperledger.fabric.protos.gateway.SubmitRequest;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node over real gRPC and RocksDB on disk, driven by the official fabric-gateway client. */
class GatewayIT {
    @TempDir
    Path directory;

    private TestNetwork network;

    @BeforeEach
    void startNode() throws Exception {
        network = new TestNetwork(directory);
    }

    @AfterEach
    void stopNode() throws Exception {
        network.close();
    }

    @Test
    void submit_committedValid_andEvaluateReadsItBack() throws Exception {
        String commitment = newCommitment();
        try (Gateway gateway = network.gateway("issuer")) {
            Contract contract = notary(gateway);
            var status = contract.newProposal("anchor")
                    .addArguments(commitment, "record")
                    .build()
                    .endorse()
                    .submitAsync()
                    .getStatus();

            assertThat(status.getCode()).isEqualTo(TxValidationCode.VALID);
            assertThat(status.getBlockNumber()).isGreaterThanOrEqualTo(1);
            String entry = new String(contract.evaluateTransaction("status", commitment), StandardCharsets.UTF_8);
            assertThat(entry).contains(commitment).contains("Org1MSP").contains("active");
        }
    }

    @Test
    void concurrentSubmits_allCommittedOnce_inBatchedBlocks() throws Exception {
        int transactions = 200;
        long heightBefore = network.node.height();
        List<String> commitments = new ArrayList<>();
        for (int i = 0; i < transactions; i++) {
            commitments.add(newCommitment());
        }
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try (Gateway gateway = network.gateway("issuer")) {
            Contract contract = notary(gateway);
            List<Future<?>> results = new ArrayList<>();
            for (String commitment : commitments) {
                results.add(clients.submit(() -> contract.submitTransaction("anchor", commitment, "record")));
            }
            for (Future<?> result : results) {
                result.get(60, TimeUnit.SECONDS);
            }
            for (String commitment : commitments) {
                assertThat(new String(contract.evaluateTransaction("status", commitment), StandardCharsets.UTF_8))
                        .contains(commitment);
            }
        } finally {
            clients.shutdownNow();
        }
        long blocks = network.node.height() - heightBefore;
        assertThat(blocks).isBetween(1L, (long) transactions - 1);
    }

    @Test
    void committedData_survivesRestart_andAuditIsClean() throws Exception {
        String commitment = newCommitment();
        try (Gateway gateway = network.gateway("issuer")) {
            notary(gateway).submitTransaction("anchor", commitment, "record");
        }
        long height = network.node.height();

        network.restart();

        assertThat(network.node.height()).isEqualTo(height);
        try (Gateway gateway = network.gateway("inspector")) {
            assertThat(new String(notary(gateway).evaluateTransaction("status", commitment), StandardCharsets.UTF_8))
                    .contains(commitment);
        }
        network.stop();
        AuditReport report = LedgerAudit.audit(network.dataDirectory.resolve("ledger"));
        assertThat(report.clean()).as(report.problem()).isTrue();
        assertThat(report.blocksChecked()).isEqualTo(height);
        var logReport = dev.dossier.node.log.LogAudit.audit(
                network.dataDirectory.resolve("ledger"), network.dataDirectory.resolve("log"), "notary");
        assertThat(logReport.clean()).as(logReport.problem()).isTrue();
        assertThat(logReport.size()).isEqualTo(1);
        var missing = dev.dossier.node.log.LogAudit.audit(
                network.dataDirectory.resolve("ledger"), network.dataDirectory.resolve("no-such-log"), "notary");
        assertThat(missing.problem()).contains("has no commitment log");
        network.start();
    }

    @Test
    void chaincodeError_isWordedAsAFabric25Gateway_withTheContractMessageInTheDetail_andWritesNothing()
            throws Exception {
        long height = network.node.height();
        String contractMessage = "commitment must be 64 hexadecimal digits";
        try (Gateway gateway = network.gateway("issuer")) {
            // Fabric 2.5 internal/pkg/gateway/endorse.go and apiutils.go
            assertThatThrownBy(() -> notary(gateway).submitTransaction("anchor", "not-a-commitment", "record"))
                    .isInstanceOfSatisfying(EndorseException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ABORTED);
                        assertThat(e.getStatus().getDescription())
                                .isEqualTo("failed to endorse transaction, see attached details for more info");
                        assertThat(e.getDetails()).singleElement().satisfies(d -> {
                            assertThat(d.getMspId()).isEqualTo("Org1MSP");
                            assertThat(d.getAddress()).startsWith("localhost:");
                            assertThat(d.getMessage())
                                    .startsWith("chaincode response 500, ")
                                    .contains(contractMessage);
                        });
                    });
            // Fabric 2.5 internal/pkg/gateway/evaluate.go
            assertThatThrownBy(() -> notary(gateway).evaluateTransaction("status", "not-a-commitment"))
                    .isInstanceOfSatisfying(GatewayException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNKNOWN);
                        assertThat(e.getDetails()).singleElement().satisfies(d -> {
                            assertThat(d.getMessage())
                                    .startsWith("chaincode response 500, ")
                                    .contains(contractMessage);
                            assertThat(e.getStatus().getDescription())
                                    .isEqualTo("evaluate call to endorser returned error: " + d.getMessage());
                        });
                    });
        }
        assertThat(network.node.height()).isEqualTo(height);
    }

    /** Submits an anchor as {@code certificate} signing with {@code signer}; expects PERMISSION_DENIED and no block. */
    private void assertAnchorDenied(X509Certificate certificate, Signer signer, String reason) throws Exception {
        long height = network.node.height();
        try (Gateway gateway = network.gateway("Org1MSP", certificate, signer)) {
            assertThatThrownBy(() -> notary(gateway).submitTransaction("anchor", newCommitment(), "record"))
                    .isInstanceOfSatisfying(EndorseException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                        assertThat(e.getMessage()).containsIgnoringCase(reason);
                    });
            assertThatThrownBy(() -> notary(gateway).evaluateTransaction("status", newCommitment()))
                    .isInstanceOfSatisfying(
                            GatewayException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
        }
        assertThat(network.node.height()).isEqualTo(height);
    }

    @Test
    void creatorFromUnknownCa_isRefused_andWritesNothing() throws Exception {
        Consortium other = CryptoGen.generate(directory.resolve("other"), 1, "dossier", "notary", 9051);
        Consortium.User stranger = other.organisations().get(0).users().get(0);
        assertAnchorDenied(
                TestNetwork.certificate(stranger.certificate()),
                Signers.newPrivateKeySigner(TestNetwork.key(stranger.privateKey())),
                "creator rejected");
    }

    /** A certificate of Org1's CA for a fresh P-256 key, valid from {@code notBefore} to {@code notAfter}. */
    private X509Certificate org1Certificate(P256PrivateKey key, Instant notBefore, Instant notAfter) throws Exception {
        Path caCertificate = network.consortium.organisations().get(0).caCertificate();
        X509Certificate ca = Pem.readCertificate(caCertificate);
        P256PrivateKey caKey = Pem.readPrivateKey(caCertificate.resolveSibling("priv_sk"));
        return CertificateBuilder.issuedBy(
                        X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()), caKey)
                .subject(new X500Name("C=IT,O=org1.dossier.local,OU=client,CN=Temporary"), key.publicKey())
                .serial(BigInteger.valueOf(System.nanoTime()))
                .validity(notBefore, notAfter)
                .extension(
                        new ASN1ObjectIdentifier(FabricAttributes.OID),
                        false,
                        FabricAttributes.encode(Map.of("dossier.role", "issuer")))
                .build();
    }

    @Test
    void expiredOrNotYetValidCreator_isRefusedAtTheGateway_andOneExpiringBeforeSubmit_byCommitValidation()
            throws Exception {
        P256PrivateKey keys = P256PrivateKey.generate();
        Signer signer = keys::signDigest;
        Instant now = Instant.now();
        assertAnchorDenied(org1Certificate(keys, now.minusSeconds(7_200), now.minusSeconds(3_600)), signer, "expired");
        assertAnchorDenied(
                org1Certificate(keys, now.plusSeconds(3_600), now.plusSeconds(7_200)), signer, "not valid before");

        long height = network.node.height();
        X509Certificate shortLived = org1Certificate(
                keys, now.minusSeconds(60), Instant.now().plusSeconds(15)); // time to endorse on a slow machine
        byte[] prepared;
        try (Gateway gateway = network.gateway("Org1MSP", shortLived, signer)) {
            var proposal = notary(gateway)
                    .newProposal("anchor")
                    .addArguments(newCommitment(), "record")
                    .build();
            var endorsed = proposal.endorse();
            prepared = endorsed.getBytes();
            Thread.sleep(java.time.Duration.between(
                                    Instant.now(), shortLived.getNotAfter().toInstant())
                            .toMillis()
                    + 1_500);
            assertRefusedByCommitValidation(prepared, signer, "expired");
        }
        assertThat(network.node.height()).isEqualTo(height);
    }

    @Test
    void signatureByAnotherKey_isRefused_andWritesNothing() throws Exception {
        assertAnchorDenied(
                TestNetwork.certificate(network.user("issuer").certificate()),
                Signers.newPrivateKeySigner(
                        TestNetwork.key(network.user("employer").privateKey())),
                "signature");
    }

    @Test
    void highSSignature_isRefused_andWritesNothing() throws Exception {
        Consortium.User issuer = network.user("issuer");
        Signer lowS = Signers.newPrivateKeySigner(TestNetwork.key(issuer.privateKey()));
        BigInteger n = NISTNamedCurves.getByName("P-256").getN();
        Signer highS = digest -> {
            ASN1Sequence sequence = ASN1Sequence.getInstance(lowS.sign(digest));
            BigInteger r = ASN1Integer.getInstance(sequence.getObjectAt(0)).getValue();
            BigInteger s = ASN1Integer.getInstance(sequence.getObjectAt(1)).getValue();
            try {
                return new DERSequence(new ASN1Integer[] {new ASN1Integer(r), new ASN1Integer(n.subtract(s))})
                        .getEncoded();
            } catch (java.io.IOException e) {
                throw new java.security.GeneralSecurityException(e);
            }
        };
        assertAnchorDenied(TestNetwork.certificate(issuer.certificate()), highS, "low-s");
    }

    @Test
    void replayedTransaction_isRefused_andCommittedOnlyOnce() throws Exception {
        try (Gateway gateway = network.gateway("issuer")) {
            var transaction = anchorProposal(gateway).endorse();
            var status = transaction.submitAsync().getStatus();
            assertThat(status.isSuccessful()).isTrue();
            long height = network.node.height();

            Envelope signed =
                    PreparedTransaction.parseFrom(transaction.getBytes()).getEnvelope();
            var stub = GatewayGrpc.newBlockingStub(network.channel());
            assertThatThrownBy(() -> stub.submit(SubmitRequest.newBuilder()
                            .setTransactionId(transaction.getTransactionId())
                            .setChannelId("dossier")
                            .setPreparedTransaction(signed)
                            .build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
                        assertThat(e.getMessage()).contains(transaction.getTransactionId());
                    });
            Thread.sleep(200);
            assertThat(network.node.height()).isEqualTo(height);
        }
    }

    @Test
    void replayedProposal_isRefusedAtEndorsement() throws Exception {
        try (Gateway gateway = network.gateway("issuer")) {
            var proposal = anchorProposal(gateway);
            byte[] proposalBytes = proposal.getBytes();
            proposal.endorse().submit();

            var proposed = org.hyperledger.fabric.protos.gateway.ProposedTransaction.parseFrom(proposalBytes);
            var replay = gateway.newSignedProposal(proposalBytes, signatureOf(proposal, gateway));
            assertThatThrownBy(replay::endorse).isInstanceOfSatisfying(EndorseException.class, e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
                assertThat(e.getMessage()).contains(proposed.getTransactionId());
            });
        }
    }

    private static byte[] signatureOf(org.hyperledger.fabric.client.Proposal proposal, Gateway gateway)
            throws Exception {
        return org.hyperledger.fabric.protos.gateway.ProposedTransaction.parseFrom(proposal.getBytes())
                .getProposal()
                .getSignature()
                .toByteArray();
    }

    @Test
    void proposalDatedOutsideTheTimeWindow_isRefused_evenWithAValidSignature() throws Exception {
        try (Gateway gateway = network.gateway("issuer")) {
            var proposed = org.hyperledger.fabric.protos.gateway.ProposedTransaction.parseFrom(
                    anchorProposal(gateway).getBytes());
            var proposal = org.hyperledger.fabric.protos.peer.Proposal.parseFrom(
                    proposed.getProposal().getProposalBytes());
            var header = org.hyperledger.fabric.protos.common.Header.parseFrom(proposal.getHeader());
            var channelHeader = org.hyperledger.fabric.protos.common.ChannelHeader.parseFrom(header.getChannelHeader());
            Signer signer = Signers.newPrivateKeySigner(
                    TestNetwork.key(network.user("issuer").privateKey()));
            var stub = GatewayGrpc.newBlockingStub(network.channel());
            for (long offset : new long[] {-3_600, 3_600}) {
                var moved = channelHeader.toBuilder()
                        .setTimestamp(com.google.protobuf.Timestamp.newBuilder()
                                .setSeconds(channelHeader.getTimestamp().getSeconds() + offset))
                        .build();
                byte[] bytes = proposal.toBuilder()
                        .setHeader(header.toBuilder()
                                .setChannelHeader(moved.toByteString())
                                .build()
                                .toByteString())
                        .build()
                        .toByteArray();
                byte[] signature = signer.sign(
                        java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
                assertThatThrownBy(() -> stub.endorse(EndorseRequest.newBuilder()
                                .setTransactionId(channelHeader.getTxId())
                                .setChannelId("dossier")
                                .setProposedTransaction(SignedProposal.newBuilder()
                                        .setProposalBytes(ByteString.copyFrom(bytes))
                                        .setSignature(ByteString.copyFrom(signature)))
                                .build()))
                        .as("proposal dated %d s from now", offset)
                        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                            assertThat(e.getStatus().getDescription()).contains("more than 15 minutes from the node");
                        });
            }
        }
    }

    @Test
    void revokedCertificate_isRefusedAtTheGateway_andByCommitValidation() throws Exception {
        String employer = network.user("employer").name();
        byte[] endorsedBefore;
        try (Gateway gateway = network.gateway("employer")) {
            endorsedBefore = anchorProposal(gateway).endorse().getBytes();
        }
        long height = network.node.height();

        CryptoGen.revoke(network.consortium, employer, java.time.Duration.ofDays(30));
        network.restartReloadingConsortium();

        try (Gateway gateway = network.gateway("employer")) {
            assertThatThrownBy(() -> anchorProposal(gateway).endorse())
                    .isInstanceOfSatisfying(EndorseException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                        assertThat(e.getMessage()).contains("revoked").contains("revocation list");
                    });
        }
        assertRefusedByCommitValidation(
                endorsedBefore,
                Signers.newPrivateKeySigner(
                        TestNetwork.key(network.user("employer").privateKey())),
                "revoked");
        try (Gateway gateway = network.gateway("issuer")) {
            notary(gateway).submitTransaction("anchor", newCommitment(), "record");
        }
        assertThat(network.node.height()).isEqualTo(height + 1);
    }

    @Test
    void transactionsPayloadAgainWithAnotherSignature_isRefused_afterItsValidSignatureWasVerified() throws Exception {
        long height = network.node.height();
        byte[] prepared;
        try (Gateway gateway = network.gateway("employer")) {
            var transaction = anchorProposal(gateway).endorse();
            prepared = transaction.getBytes();
            assertThat(transaction.submitAsync().getStatus().isSuccessful())
                    .as("the validly signed transaction committed")
                    .isTrue();
        }
        assertThat(network.node.height()).isEqualTo(height + 1);

        // the node remembers the creator's valid signature over this payload; another one over it is verified
        assertRefusedByCommitValidation(
                prepared,
                Signers.newPrivateKeySigner(
                        TestNetwork.key(network.user("issuer").privateKey())),
                "signature of Org1MSP creator is not valid");
        assertThat(network.node.height()).isEqualTo(height + 1);
    }

    /**
     * Signs a prepared (endorsed) transaction as the client would and submits it: the commit validation the gateway
     * runs on submit refuses its creator (BAD_CREATOR_SIGNATURE) for {@code reason}.
     */
    private void assertRefusedByCommitValidation(byte[] preparedTransaction, Signer signer, String reason)
            throws Exception {
        Envelope envelope = signedEnvelope(preparedTransaction, signer);
        var stub = GatewayGrpc.newBlockingStub(network.channel());
        assertThatThrownBy(() -> stub.submit(SubmitRequest.newBuilder()
                        .setChannelId("dossier")
                        .setPreparedTransaction(envelope)
                        .build()))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getDescription())
                                .contains("BAD_CREATOR")
                                .contains(reason));
    }

    /** The envelope of a prepared (endorsed) transaction, signed by {@code signer} as the client would sign it. */
    private static Envelope signedEnvelope(byte[] preparedTransaction, Signer signer) throws Exception {
        Envelope unsigned = PreparedTransaction.parseFrom(preparedTransaction).getEnvelope();
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                .digest(unsigned.getPayload().toByteArray());
        return unsigned.toBuilder()
                .setSignature(ByteString.copyFrom(signer.sign(digest)))
                .build();
    }

    @Test
    void malformedProtobuf_isInvalidArgument_andWritesNothing() {
        long height = network.node.height();
        var stub = GatewayGrpc.newBlockingStub(network.channel());
        ByteString garbage = ByteString.copyFrom(new byte[] {0x0a, (byte) 0xff, 0x01, 0x02});

        assertThatThrownBy(() -> stub.endorse(EndorseRequest.newBuilder()
                        .setChannelId("dossier")
                        .setProposedTransaction(SignedProposal.newBuilder()
                                .setProposalBytes(garbage)
                                .setSignature(ByteString.copyFromUtf8("sig")))
                        .build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains("failed to unpack transaction proposal");
                });
        assertThatThrownBy(() -> stub.submit(SubmitRequest.newBuilder()
                        .setChannelId("dossier")
                        .setPreparedTransaction(
                                Envelope.newBuilder().setPayload(garbage).setSignature(ByteString.copyFromUtf8("sig")))
                        .build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains("BAD_PAYLOAD");
                });
        assertThatThrownBy(() -> stub.commitStatus(SignedCommitStatusRequest.newBuilder()
                        .setRequest(garbage)
                        .build()))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
        assertThat(network.node.height()).isEqualTo(height);
    }

    @Test
    void unsignedSubmit_isRefused() throws Exception {
        try (Gateway gateway = network.gateway("issuer")) {
            var transaction = anchorProposal(gateway).endorse();
            Envelope unsigned = PreparedTransaction.parseFrom(transaction.getBytes()).getEnvelope().toBuilder()
                    .clearSignature()
                    .build();
            var stub = GatewayGrpc.newBlockingStub(network.channel());
            assertThatThrownBy(() -> stub.submit(SubmitRequest.newBuilder()
                            .setChannelId("dossier")
                            .setPreparedTransaction(unsigned)
                            .build()))
                    .isInstanceOfSatisfying(
                            StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getDescription()).contains("must be signed"));
        }
    }

    @Test
    void chaincodeEvents_areStreamedAfterCommit() throws Exception {
        String commitment = newCommitment();
        try (Gateway gateway = network.gateway("issuer")) {
            var fabricNetwork = gateway.getNetwork("dossier");
            try (CloseableIterator<ChaincodeEvent> events = fabricNetwork.getChaincodeEvents("notary")) {
                var status = notary(gateway)
                        .newProposal("anchor")
                        .addArguments(commitment, "record")
                        .build()
                        .endorse()
                        .submitAsync()
                        .getStatus();
                ChaincodeEvent event = events.next();
                assertThat(event.getEventName()).isEqualTo("Anchored");
                assertThat(event.getTransactionId()).isEqualTo(status.getTransactionId());
                assertThat(event.getBlockNumber()).isEqualTo(status.getBlockNumber());
                assertThat(new String(event.getPayload(), StandardCharsets.UTF_8))
                        .contains(commitment);
            }
        }
    }

    @Test
    void unknownChaincode_isNotFound() throws Exception {
        try (Gateway gateway = network.gateway("issuer")) {
            assertThatThrownBy(() ->
                            gateway.getNetwork("dossier").getContract("other").evaluateTransaction("x"))
                    .isInstanceOfSatisfying(GatewayException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                        assertThat(e.getMessage()).contains("chaincode 'other'");
                    });
            assertThatThrownBy(() -> gateway.getNetwork("elsewhere")
                            .getContract("notary")
                            .evaluateTransaction("x"))
                    .isInstanceOfSatisfying(
                            GatewayException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        }
    }

    @Test
    void mvccConflict_isReportedByCommitStatus() throws Exception {
        String commitment = newCommitment();
        try (Gateway gateway = network.gateway("issuer")) {
            Contract contract = notary(gateway);
            var first = contract.newProposal("anchor")
                    .addArguments(commitment, "record")
                    .build()
                    .endorse();
            var second = contract.newProposal("anchor")
                    .addArguments(commitment, "record")
                    .build()
                    .endorse();
            assertThat(first.submitAsync().getStatus().isSuccessful()).isTrue();
            var status = second.submitAsync().getStatus();
            assertThat(status.getCode()).isEqualTo(TxValidationCode.MVCC_READ_CONFLICT);
            assertThatThrownBy(() -> second.submit()).isInstanceOf(Exception.class);
        } catch (CommitException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void commitmentLog_followsCommittedBlocks_andIsRebuiltFromThemWhenLost() throws Exception {
        String first = newCommitment();
        String second = newCommitment();
        try (Gateway gateway = network.gateway("issuer")) {
            notary(gateway).submitTransaction("anchor", first, "record");
            notary(gateway).submitTransaction("anchor", second, "record");
        }
        var log = network.node.commitmentLog();
        long size = log.size();
        byte[] leaf = java.util.HexFormat.of().parseHex(second);
        long index = log.indexOf(leaf).orElseThrow();
        byte[] root = log.root(size);
        assertThat(log.indexOf(java.util.HexFormat.of().parseHex(first))).hasValue(index - 1);
        dev.dossier.common.merkle.Proofs.verifyInclusion(
                index,
                size,
                dev.dossier.common.merkle.Rfc9162.leafHash(log.leafData(index)),
                log.inclusionProof(index, size),
                root);
        byte[] leafData = log.leafData(index);
        assertThat(java.util.Arrays.copyOf(leafData, 32)).isEqualTo(leaf);
        try (Gateway gateway = network.gateway("issuer")) {
            // the leaf's entry is the public part of the value the anchoring transaction wrote: the entry the chaincode
            // reports, without the issuing person (an issuer of the anchoring organisation sees it, a verifier not)
            String entry = new String(leafData, 32, leafData.length - 32, StandardCharsets.UTF_8);
            assertThat(entry).contains(second).contains("\"status\":\"active\"").doesNotContain("issuerId");
            assertThat(new String(notary(gateway).evaluateTransaction("status", second), StandardCharsets.UTF_8)
                            .replaceFirst("\"issuerId\":\"[^\"]*\",", ""))
                    .isEqualTo(entry);
        }

        network.stop();
        try (var files = java.nio.file.Files.walk(network.dataDirectory.resolve("log"))) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        }
        network.start();

        var rebuilt = network.node.commitmentLog();
        assertThat(rebuilt.size()).isEqualTo(size);
        assertThat(rebuilt.root(size)).isEqualTo(root);
        assertThat(rebuilt.indexOf(leaf)).hasValue(index);
        assertThat(rebuilt.leafData(index)).isEqualTo(leafData);
    }
}
