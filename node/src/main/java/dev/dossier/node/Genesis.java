package dev.dossier.node;

import com.google.protobuf.ByteString;
import dev.dossier.node.identity.Msp;
import java.util.List;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigValue;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.msp.FabricMSPConfig;
import org.hyperledger.fabric.protos.msp.MSPConfig;

/**
 * The channel's genesis transaction: a Fabric CONFIG envelope whose channel group lists, under "Application", each
 * organisation with its MSP (name and root certificates), as Fabric's configtxgen lays it out. Deterministic: the same
 * consortium gives the same bytes on every node (no timestamp, no signature), so every node's block 0 is identical.
 */
final class Genesis {
    private Genesis() {}

    static Envelope configEnvelope(String channel, List<Msp> organisations) {
        ConfigGroup.Builder application = ConfigGroup.newBuilder().setModPolicy("Admins");
        for (Msp msp : organisations) {
            FabricMSPConfig.Builder fabricMsp = FabricMSPConfig.newBuilder().setName(msp.mspId());
            for (String root : msp.rootCertificatesPem()) {
                fabricMsp.addRootCerts(ByteString.copyFromUtf8(root));
            }
            MSPConfig mspConfig = MSPConfig.newBuilder()
                    .setType(0)
                    .setConfig(fabricMsp.build().toByteString())
                    .build();
            application.putGroups(
                    msp.mspId(),
                    ConfigGroup.newBuilder()
                            .setModPolicy("Admins")
                            .putValues(
                                    "MSP",
                                    ConfigValue.newBuilder()
                                            .setValue(mspConfig.toByteString())
                                            .setModPolicy("Admins")
                                            .build())
                            .build());
        }
        Config config = Config.newBuilder()
                .setSequence(0)
                .setChannelGroup(ConfigGroup.newBuilder().putGroups("Application", application.build()))
                .build();
        ChannelHeader channelHeader = ChannelHeader.newBuilder()
                .setType(HeaderType.CONFIG_VALUE)
                .setChannelId(channel)
                .setVersion(1)
                .build();
        Payload payload = Payload.newBuilder()
                .setHeader(Header.newBuilder().setChannelHeader(channelHeader.toByteString()))
                .setData(ConfigEnvelope.newBuilder().setConfig(config).build().toByteString())
                .build();
        return Envelope.newBuilder().setPayload(payload.toByteString()).build();
    }
}
