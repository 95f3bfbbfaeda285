package dev.dossier.node.ordering;

import dev.dossier.crypto.Pem;
import dev.dossier.node.identity.TlsSettings;
import dev.dossier.node.identity.TlsTrust;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.client.retry.RequestTypeDependentRetryPolicy;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.apache.ratis.proto.RaftProtos.RaftClientRequestProto;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/** How this node's Ratis server and client are set up: the group, its TLS, the server's properties, retries. */
final class RatisConfig {
    private RatisConfig() {}

    /**
     * @param members the group's members, whose TLS certificates are the only ones a Raft connection accepts when
     *     {@code tls} has no trust of the consortium in force ({@link TlsSettings#trust}); with one, the nodes of the
     *     consortium in force at each handshake are
     * @return Ratis parameters carrying mutual TLS for its server, admin and client channels: the node's own TLS
     *     certificate, and peers accepted only if they present a node's TLS certificate issued by a consortium TLS
     *     CA ({@link TlsTrust#nodes}); no TLS when {@code tls} is null
     * @throws IOException if a TLS file cannot be read
     */
    static Parameters tlsParameters(TlsSettings tls, List<RaftSettings.Member> members) throws IOException {
        Parameters parameters = new Parameters();
        if (tls != null) {
            TlsTrust trust = tls.trust();
            if (trust == null) {
                List<X509Certificate> nodes = new ArrayList<>();
                for (RaftSettings.Member member : members) {
                    nodes.add(Pem.readCertificate(member.tlsCertificate()));
                }
                trust = tls.fileTrust(nodes);
            }
            GrpcTlsConfig config = GrpcTlsConfig.newBuilder()
                    .setKeyManager(tls.keyManager())
                    .setTrustManager(trust.nodes())
                    .setMutualTls(true)
                    .build();
            GrpcConfigKeys.Server.setTlsConf(parameters, config);
            GrpcConfigKeys.Admin.setTlsConf(parameters, config);
            GrpcConfigKeys.Client.setTlsConf(parameters, config);
        }
        return parameters;
    }

    /** @return the Raft group of a channel: a group id derived from the channel name, and its members */
    static RaftGroup group(String channel, List<RaftSettings.Member> members) {
        List<RaftPeer> peers = new ArrayList<>();
        for (RaftSettings.Member member : members) {
            peers.add(RaftPeer.newBuilder()
                    .setId(RaftPeerId.valueOf(member.name()))
                    .setAddress(member.address())
                    .build());
        }
        UUID id = UUID.nameUUIDFromBytes(("dossier channel " + channel).getBytes(StandardCharsets.UTF_8));
        return RaftGroup.valueOf(RaftGroupId.valueOf(id), peers);
    }

    static RaftProperties properties(RaftSettings settings, RaftSettings.Member me) {
        RaftProperties properties = new RaftProperties();
        RaftConfigKeys.Rpc.setType(properties, SupportedRpcType.GRPC);
        // the node's own address only, never every interface; the admin and client services share this server
        GrpcConfigKeys.Server.setHost(properties, me.host());
        GrpcConfigKeys.Admin.setHost(properties, me.host());
        GrpcConfigKeys.Client.setHost(properties, me.host());
        GrpcConfigKeys.Server.setPort(properties, me.port());
        GrpcConfigKeys.setMessageSizeMax(properties, SizeInBytes.valueOf(64L << 20));
        RaftServerConfigKeys.setStorageDir(
                properties, List.of(settings.directory().toFile()));
        long timeout = settings.electionTimeout().toMillis();
        RaftServerConfigKeys.Rpc.setTimeoutMin(properties, TimeDuration.valueOf(timeout, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setTimeoutMax(properties, TimeDuration.valueOf(2 * timeout, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setRequestTimeout(
                properties, TimeDuration.valueOf(Math.max(3_000, 3 * timeout), TimeUnit.MILLISECONDS));
        RaftClientConfigKeys.Rpc.setRequestTimeout(
                properties, TimeDuration.valueOf(Math.max(3_000, 3 * timeout), TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Log.setSegmentSizeMax(properties, SizeInBytes.valueOf(settings.segmentBytes()));
        // an appended entry must fit the appender's buffer, which must fit the log's write buffer
        long appenderBytes = RaftOrderer.MAX_LOG_ENTRY_BYTES;
        RaftServerConfigKeys.Log.Appender.setBufferByteLimit(properties, SizeInBytes.valueOf(appenderBytes));
        RaftServerConfigKeys.Log.setWriteBufferSize(properties, SizeInBytes.valueOf(appenderBytes + (1 << 20)));
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(properties, settings.purgeToSnapshot());
        RaftServerConfigKeys.Log.setPurgeGap(properties, 1);
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(properties, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(properties, settings.snapshotEvery());
        // the leader never ships a snapshot: a follower too far behind fetches the blocks it misses
        RaftServerConfigKeys.Log.Appender.setInstallSnapshotEnabled(properties, false);
        // A follower composing appends answers an append that starts at the same index as one still being written
        // with that earlier append's outcome, though it carries more entries: it acknowledges entries it never wrote
        // (the leader counts them towards a majority, then refuses the follower's "send from my end" for the rest of
        // its term). Each append is written before it is acknowledged instead. See docs/operators.md.
        RaftServerConfigKeys.Log.setAppendEntriesComposeEnabled(properties, false);
        // No metadata entries: by default the leader appends one recording the commit index after every commit, which
        // doubles the entries every member writes, syncs and acknowledges per block. They let a member apply
        // committed entries on restart before it hears from a leader; here the ledger is the state machine and durable
        // after each block, so a restarted member resumes from its ledger and learns the commit index from the leader.
        RaftServerConfigKeys.Log.setLogMetadataEnabled(properties, false);
        return properties;
    }

    /** Has the Raft server built with {@code parameters} refuse the votes {@link LostEntries} must refuse. */
    static void guardVotes(Parameters parameters, LostEntries lostEntries) {
        GrpcConfigKeys.Server.setServicesCustomizer(
                parameters, (builder, services) -> builder.intercept(lostEntries.interceptor()));
    }

    /**
     * Sets how long this node's Raft server waits before its first election: its usual election timeout, or, for a
     * node whose log lost entries ({@link LostEntries}), ten times that and at least 10 s, long enough for the node to
     * pause its elections once its server has started.
     */
    static void firstElection(RaftProperties properties, RaftSettings settings, boolean lostEntries) {
        long timeout = settings.electionTimeout().toMillis();
        long first = lostEntries ? Math.max(10_000, 10 * timeout) : timeout;
        RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMin(
                properties, TimeDuration.valueOf(first, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMax(
                properties, TimeDuration.valueOf(2 * first, TimeUnit.MILLISECONDS));
    }

    /** @return a client for this node's own Raft server's admin service, which gives up after about 5 s */
    static RaftClient adminClient(RaftProperties properties, Parameters parameters, RaftGroup group) {
        return RaftClient.newBuilder()
                .setProperties(properties)
                .setParameters(parameters)
                .setRaftGroup(group)
                .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(
                        50, TimeDuration.valueOf(100, TimeUnit.MILLISECONDS)))
                .build();
    }

    /**
     * A batch is sent again every 100 ms, through leader changes, until {@link RaftOrderer#ORDERING_TIMEOUT} after it was first
     * sent; then the Raft client gives up (one attempt then in flight may add one request timeout) and the batch is
     * reported dropped, which answers the callers waiting for its commit status. A count of attempts would bound
     * nothing: each attempt may wait a request timeout for a starved or unreachable peer.
     */
    static RetryPolicy retryPolicy() {
        TimeDuration sleep = TimeDuration.valueOf(100, TimeUnit.MILLISECONDS);
        return RequestTypeDependentRetryPolicy.newBuilder()
                .setRetryPolicy(RaftClientRequestProto.TypeCase.WRITE, RetryPolicies.retryForeverWithSleep(sleep))
                .setTimeout(
                        RaftClientRequestProto.TypeCase.WRITE,
                        TimeDuration.valueOf(RaftOrderer.ORDERING_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                .build();
    }
}
