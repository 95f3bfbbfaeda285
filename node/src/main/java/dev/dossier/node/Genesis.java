package dev.dossier.node;

import com.google.protobuf.ByteString;
import dev.dossier.node.clock.NodeClock;
import dev.dossier.node.config.GenesisPolicy;
import dev.dossier.node.consortium.ConsortiumChanges;
import dev.dossier.node.consortium.ConsortiumDocument;
import dev.dossier.node.identity.IdentityValidator;
import dev.dossier.node.identity.Msp;
import dev.dossier.node.ledger.Envelopes;
import dev.dossier.node.ledger.Ledger;
import dev.dossier.node.ledger.LedgerException;
import java.io.IOException;
import java.util.List;
import java.util.logging.Logger;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigValue;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.msp.FabricMSPConfig;
import org.hyperledger.fabric.protos.msp.MSPConfig;

/**
 * The channel's genesis transaction: a Fabric CONFIG envelope whose channel group lists, under "Application", each
 * organisation with its MSP (name and root certificates), as Fabric's configtxgen lays it out, and, when the network
 * has one, the first role policy: as the notary's initial state (value {@value Envelopes#INITIAL_STATE}: the policy
 * document under the contract's policy key) and the founding organisations' signatures of it (value
 * {@value #POLICY_SIGNATURES}, the {@link GenesisPolicy} signatures file's form), and the consortium at sequence 0
 * ({@link ConsortiumDocument}) in the consortium's namespace. Deterministic: the same consortium
 * and policy give the same bytes on every node (no timestamp, no signature of its own), so every node's block 0 is
 * identical.
 */
final class Genesis {
    /**
     * The notary contract's policy key: the composite key {@code policy} with no attributes, as the contract's
     * {@code Governance.POLICY_KEY} ({@code new CompositeKey("policy").toString()}).
     */
    static final String POLICY_KEY = "\u0000policy\u0000";

    /** Config value (in "Application") with the founding organisations' signatures of the first policy. */
    static final String POLICY_SIGNATURES = "DossierPolicySignatures";

    private static final Logger LOG = Logger.getLogger(Genesis.class.getName());

    private Genesis() {}

    /** Writes the genesis block of a new channel, with the consortium's signed first role policy when there is one. */
    static void createChannel(NodeSettings settings, IdentityValidator identities, Ledger ledger)
            throws IOException, LedgerException {
        GenesisPolicy policy = settings.genesisPolicy();
        if (policy != null) {
            try {
                policy.verify(
                        identities,
                        settings.organisations().stream().map(Msp::mspId).toList(),
                        NodeClock.now());
            } catch (IllegalArgumentException e) {
                throw new IOException("cannot create channel " + settings.channel() + ": " + e.getMessage(), e);
            }
        } else {
            LOG.warning(() -> "creating channel " + settings.channel() + " without a first role policy ("
                    + GenesisPolicy.POLICY_FILE + "): the notary's policy can never be changed");
        }
        Block genesis = ledger.commitGenesis(Genesis.configEnvelope(
                settings.channel(), settings.organisations(), settings.chaincode(), policy, settings.consortium()));
        LOG.info(() -> "created channel " + settings.channel() + " with genesis block of " + genesis.getSerializedSize()
                + " bytes");
    }

    private static NsReadWriteSet write(String namespace, String key, byte[] value) {
        return NsReadWriteSet.newBuilder()
                .setNamespace(namespace)
                .setRwset(KVRWSet.newBuilder()
                        .addWrites(KVWrite.newBuilder().setKey(key).setValue(ByteString.copyFrom(value)))
                        .build()
                        .toByteString())
                .build();
    }

    /**
     * @param chaincode the notary's namespace, where the policy is written (ignored without a policy)
     * @param policy the first role policy, verified by the caller, or null for none
     * @param consortium the consortium at sequence 0, written in the consortium's namespace, or null for none (the
     *     consortium then stays the nodes' files and cannot change by vote)
     */
    static Envelope configEnvelope(
            String channel,
            List<Msp> organisations,
            String chaincode,
            GenesisPolicy policy,
            ConsortiumDocument consortium) {
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
        TxReadWriteSet.Builder initial = TxReadWriteSet.newBuilder().setDataModel(TxReadWriteSet.DataModel.KV);
        if (policy != null) {
            initial.addNsRwset(write(chaincode, POLICY_KEY, policy.document()));
            application.putValues(
                    POLICY_SIGNATURES,
                    ConfigValue.newBuilder()
                            .setValue(ByteString.copyFrom(policy.signaturesJson()))
                            .setModPolicy("Admins")
                            .build());
        }
        if (consortium != null) {
            initial.addNsRwset(write(ConsortiumChanges.NAMESPACE, ConsortiumChanges.CONFIG_KEY, consortium.toJson()));
        }
        if (initial.getNsRwsetCount() > 0) {
            application.putValues(
                    Envelopes.INITIAL_STATE,
                    ConfigValue.newBuilder()
                            .setValue(initial.build().toByteString())
                            .setModPolicy("Admins")
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
