package dev.dossier.node.ordering;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.dossier.node.clock.NodeClock;
import dev.dossier.node.identity.Signer;
import java.security.SecureRandom;
import java.time.Instant;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.orderer.SeekInfo;

/**
 * A request for blocks as Fabric's Deliver services take it (an orderer's {@code AtomicBroadcast.Deliver}, a peer's
 * {@code Deliver.Deliver}): an envelope whose payload has a {@code DELIVER_SEEK_INFO} channel header (the channel, the
 * time now), a signature header (the signer's serialized identity, a fresh 24-byte nonce) and the {@code SeekInfo} as
 * data, signed by the signer. The service checks the signature and the channel's Readers policy against it.
 */
public final class SeekRequests {
    private static final SecureRandom RANDOM = new SecureRandom();

    private SeekRequests() {}

    /** @return the signed request for {@code seek} on {@code channel} */
    public static Envelope signed(String channel, Signer signer, SeekInfo seek) {
        requireNonNull(channel, "channel");
        requireNonNull(signer, "signer");
        requireNonNull(seek, "seek");
        Instant now = NodeClock.now();
        byte[] nonce = new byte[24];
        RANDOM.nextBytes(nonce);
        ChannelHeader channelHeader = ChannelHeader.newBuilder()
                .setType(HeaderType.DELIVER_SEEK_INFO_VALUE)
                .setChannelId(channel)
                .setTimestamp(
                        Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
                .build();
        SignatureHeader signatureHeader = SignatureHeader.newBuilder()
                .setCreator(signer.serializedIdentity())
                .setNonce(ByteString.copyFrom(nonce))
                .build();
        ByteString payload = Payload.newBuilder()
                .setHeader(Header.newBuilder()
                        .setChannelHeader(channelHeader.toByteString())
                        .setSignatureHeader(signatureHeader.toByteString()))
                .setData(seek.toByteString())
                .build()
                .toByteString();
        return Envelope.newBuilder()
                .setPayload(payload)
                .setSignature(ByteString.copyFrom(signer.sign(payload.toByteArray())))
                .build();
    }
}
