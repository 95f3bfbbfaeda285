package dev.dossier.node.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.dossier.node.identity.TestOrganisation;
import dev.dossier.node.validation.WriteRules;
import io.grpc.Status;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the gateway's decoding and checking of what clients send: the bytes of a {@code SignedProposal} (Endorse,
 * Evaluate) through {@link ProposalChecker}, a creator with its signature through {@link
 * ProposalChecker#verifiedCreator}, and the bytes of a transaction {@code Envelope} (Submit, and again at commit)
 * through {@link TransactionValidator}. Whatever the bytes, the checker refuses with a {@link RequestException} of a
 * client-error status, and the validator returns a non-VALID code with a reason: a fuzzer cannot sign as a member, so
 * nothing it makes may be accepted. Seeds, in {@code
 * src/test/resources/dev/dossier/node/gateway/GatewayFuzzTestInputs/<method>/}, are well-formed requests of a user
 * whose CA no longer exists (they pass decoding and fail at the time window or the creator check), and the inputs of
 * findings ({@code timestamp-seconds-max}: a timestamp beyond {@link Instant}'s range made both checks throw {@link
 * java.time.DateTimeException}).
 */
class GatewayFuzzTest {
    private static final String CHANNEL = "dossier";
    private static final String CHAINCODE = "notary";
    private static final Set<Status.Code> REFUSALS =
            EnumSet.of(Status.Code.INVALID_ARGUMENT, Status.Code.PERMISSION_DENIED, Status.Code.NOT_FOUND);
    private static final TestOrganisation ORG1 = TestOrganisation.create("Org1MSP");
    private static final ProposalChecker CHECKER = new ProposalChecker(ORG1.validator(), CHANNEL, CHAINCODE);
    private static final TransactionValidator VALIDATOR = new TransactionValidator(
            ORG1.validator(),
            CHANNEL,
            CHAINCODE,
            Set.of(ORG1.userIdentity()),
            new KnownSignatures(16),
            new WriteRules(CHAINCODE, List.of("Org1MSP")));

    @FuzzTest
    void signedProposal(byte[] data) {
        SignedProposal signed;
        try {
            signed = SignedProposal.parseFrom(data);
        } catch (InvalidProtocolBufferException e) {
            return;
        }
        try {
            CHECKER.check(signed, "", "");
        } catch (RequestException e) {
            assertThat(e.code()).isIn(REFUSALS);
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        throw new AssertionError("a fuzzed proposal passed the checks: " + signed);
    }

    @Test
    void signedProposal_timestampBeyondInstant_isInvalidArgument() throws Exception {
        SignedProposal signed = SignedProposal.parseFrom(input("signedProposal/timestamp-seconds-max"));

        assertThatThrownBy(() -> CHECKER.check(signed, "", ""))
                .isInstanceOfSatisfying(
                        RequestException.class, e -> assertThat(e.code()).isEqualTo(Status.Code.INVALID_ARGUMENT))
                .hasMessage("proposal timestamp of " + Long.MAX_VALUE + " seconds since the epoch is out of range");
    }

    @Test
    void envelope_timestampBeyondInstant_isBadCommonHeader() throws Exception {
        Envelope envelope = Envelope.parseFrom(input("envelope/timestamp-seconds-max"));

        ValidatedTransaction validated = VALIDATOR.validate(envelope, Instant.now());

        assertThat(validated.code()).isEqualTo(TxValidationCode.BAD_COMMON_HEADER);
        assertThat(validated.timestamp()).isEqualTo(Instant.EPOCH);
        assertThat(validated.reason()).contains("out of range");
    }

    @FuzzTest
    void creator(byte[] data) {
        try {
            CHECKER.verifiedCreator(ByteString.copyFrom(data), data, ByteString.copyFrom(data, 0, data.length / 2));
        } catch (RequestException e) {
            assertThat(e.code()).isEqualTo(Status.Code.PERMISSION_DENIED);
            return;
        }
        throw new AssertionError("a fuzzed creator and signature were accepted");
    }

    @FuzzTest
    void envelope(byte[] data) {
        Envelope envelope;
        try {
            envelope = Envelope.parseFrom(data);
        } catch (InvalidProtocolBufferException e) {
            return;
        }
        ValidatedTransaction validated = VALIDATOR.validate(envelope, Instant.now());
        assertThat(validated.code()).isNotIn(TxValidationCode.VALID, TxValidationCode.UNRECOGNIZED);
        assertThat(validated.reason()).isNotBlank();
        assertThat(validated.envelope()).isSameAs(envelope);
        assertThat(validated.pending().envelope()).isSameAs(envelope);
    }

    private static byte[] input(String name) throws IOException {
        try (InputStream in = GatewayFuzzTest.class.getResourceAsStream("GatewayFuzzTestInputs/" + name)) {
            return in.readAllBytes();
        }
    }

    /**
     * The input as an envelope's payload, made to pass the creator checks (creator, channel, header type, transaction
     * id and signature set to those of a valid member) so that the transaction and its endorsements get decoded. No
     * trusted endorser signed it: the validator must still refuse it.
     */
    @FuzzTest
    void memberSignedEnvelope(byte[] data) {
        Payload payload;
        ChannelHeader channelHeader;
        SignatureHeader signatureHeader;
        try {
            payload = Payload.parseFrom(data);
            channelHeader = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
            signatureHeader = SignatureHeader.parseFrom(payload.getHeader().getSignatureHeader());
        } catch (InvalidProtocolBufferException e) {
            return;
        }
        ByteString nonce =
                signatureHeader.getNonce().isEmpty() ? ByteString.copyFromUtf8("n") : signatureHeader.getNonce();
        ByteString creator = ORG1.userSigner().serializedIdentity();
        signatureHeader =
                signatureHeader.toBuilder().setNonce(nonce).setCreator(creator).build();
        channelHeader = channelHeader.toBuilder()
                .setType(HeaderType.ENDORSER_TRANSACTION_VALUE)
                .setEpoch(0)
                .setChannelId(CHANNEL)
                .setTxId(Transactions.txId(nonce, creator))
                .build();
        ByteString payloadBytes = payload.toBuilder()
                .setHeader(payload.getHeader().toBuilder()
                        .setChannelHeader(channelHeader.toByteString())
                        .setSignatureHeader(signatureHeader.toByteString()))
                .build()
                .toByteString();
        Envelope envelope = Envelope.newBuilder()
                .setPayload(payloadBytes)
                .setSignature(ByteString.copyFrom(ORG1.userSigner().sign(payloadBytes.toByteArray())))
                .build();
        ValidatedTransaction validated = VALIDATOR.validate(envelope, Instant.now());
        assertThat(validated.code()).isNotIn(TxValidationCode.VALID, TxValidationCode.UNRECOGNIZED);
        assertThat(validated.code())
                .as("creator checks pass: %s", validated.reason())
                .isNotIn(TxValidationCode.BAD_CREATOR_SIGNATURE, TxValidationCode.BAD_PROPOSAL_TXID);
        assertThat(validated.reason()).isNotBlank();
    }
}
