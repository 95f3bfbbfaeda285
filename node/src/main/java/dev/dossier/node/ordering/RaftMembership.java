package dev.dossier.node.ordering;

import dev.dossier.node.identity.TlsSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.util.TimeDuration;

/** Changes the members of a running Raft group, as an operator adding a node to a network does. */
public final class RaftMembership {
    private static final Duration STEP_DOWN_TIMEOUT = Duration.ofSeconds(10);

    private RaftMembership() {}

    /**
     * Sets the group of the channel to {@code members}, asking the current members (all of {@code members} but
     * {@code joining}) to agree. The new member then receives the log, or fetches the blocks it misses. If the group
     * refuses at first, its leader is asked to step down and the change is asked for once more.
     *
     * @param tls the TLS identity to reach a group that runs over mutual TLS (a node's: the group accepts nothing
     *     else), or null for plaintext
     * @throws IOException if the group cannot be reached or refuses the change
     */
    public static void set(String channel, List<RaftSettings.Member> members, String joining, TlsSettings tls)
            throws IOException {
        set(channel, members, joining == null ? Set.of() : Set.of(joining), tls);
    }

    /**
     * Sets the group of the channel to {@code members}, asking those of them that are members already (all but
     * {@code joining}) to agree; a member left out is removed.
     *
     * @throws IOException if the group cannot be reached or refuses the change
     */
    public static void set(String channel, List<RaftSettings.Member> members, Set<String> joining, TlsSettings tls)
            throws IOException {
        List<RaftSettings.Member> current = new ArrayList<>();
        for (RaftSettings.Member member : members) {
            if (!joining.contains(member.name())) {
                current.add(member);
            }
        }
        RaftProperties properties = new RaftProperties();
        RaftConfigKeys.Rpc.setType(properties, SupportedRpcType.GRPC);
        RaftGroup group = RatisConfig.group(channel, current);
        List<RaftPeer> peers =
                RatisConfig.group(channel, members).getPeers().stream().toList();
        try (RaftClient client = RaftClient.newBuilder()
                .setProperties(properties)
                .setParameters(RatisConfig.tlsParameters(tls, members))
                .setRaftGroup(group)
                .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(
                        50, TimeDuration.valueOf(200, TimeUnit.MILLISECONDS)))
                .build()) {
            RaftClientReply reply;
            try {
                reply = client.admin().setConfiguration(peers);
            } catch (IOException e) {
                // After a leader change during a configuration change, Ratis' leader may keep sending to a member
                // its configuration no longer holds, and then refuses to add that member again ("Found duplicated
                // element"), each time, for as long as it leads. A new leader starts from its configuration alone.
                client.admin().transferLeadership(null, STEP_DOWN_TIMEOUT.toMillis());
                reply = client.admin().setConfiguration(peers);
            }
            if (!reply.isSuccess()) {
                throw new IOException("the Raft group refused the new members: " + reply.getException());
            }
        }
    }
}
