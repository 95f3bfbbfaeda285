package dev.dossier.node.gateway;

import com.google.protobuf.ByteString;
import dev.dossier.node.identity.Identity;
import java.time.Instant;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.peer.ChaincodeInvocationSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.SignedProposal;

/**
 * A transaction proposal that passed every check a Fabric peer makes before simulating it: well formed, creator
 * certificate valid for a known organisation, signature valid and low-S, transaction id derived from nonce and
 * creator, channel and chaincode known.
 */
record CheckedProposal(
        SignedProposal signedProposal,
        Header header,
        ChannelHeader channelHeader,
        ByteString nonce,
        ChaincodeProposalPayload payload,
        ChaincodeInvocationSpec invocationSpec,
        Identity creator) {

    String txId() {
        return channelHeader.getTxId();
    }

    String chaincodeName() {
        return invocationSpec.getChaincodeSpec().getChaincodeId().getName();
    }

    Instant timestamp() {
        var ts = channelHeader.getTimestamp();
        return Instant.ofEpochSecond(ts.getSeconds(), ts.getNanos());
    }
}
