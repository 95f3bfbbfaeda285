package dev.dossier.node.ordering;

import com.google.protobuf.ByteString;
import dev.dossier.node.identity.TlsSettings;
import java.io.IOException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.TimeDuration;

/**
 * A plain Ratis client aimed at a network's Raft group, as an attacker would build one: the group id is public (it is
 * derived from the channel name), the members' addresses are in {@code consortium.yaml}. Tests use it to write
 * entries to the ordering log directly, with or without a certificate.
 */
public final class RaftInjector implements AutoCloseable {
    private final RaftClient client;

    private RaftInjector(RaftClient client) {
        this.client = client;
    }

    /** A client without TLS. */
    public static RaftInjector plaintext(String channel, List<RaftSettings.Member> members) {
        return new RaftInjector(client(channel, members, new Parameters()));
    }

    /** A client with a node's TLS identity, set up as the node itself sets up its Raft client. */
    public static RaftInjector asNode(String channel, List<RaftSettings.Member> members, TlsSettings node)
            throws IOException {
        return new RaftInjector(client(channel, members, RatisConfig.tlsParameters(node, members)));
    }

    /**
     * A client presenting any certificate (a user's TLS certificate, say) and trusting the consortium's TLS CAs, so
     * that only the server can refuse the connection.
     */
    public static RaftInjector withCertificate(
            String channel,
            List<RaftSettings.Member> members,
            PrivateKey key,
            X509Certificate certificate,
            List<X509Certificate> roots) {
        Parameters parameters = new Parameters();
        GrpcTlsConfig tls = new GrpcTlsConfig(key, certificate, roots, true);
        GrpcConfigKeys.Admin.setTlsConf(parameters, tls);
        GrpcConfigKeys.Client.setTlsConf(parameters, tls);
        GrpcConfigKeys.Server.setTlsConf(parameters, tls);
        return new RaftInjector(client(channel, members, parameters));
    }

    private static RaftClient client(String channel, List<RaftSettings.Member> members, Parameters parameters) {
        RaftProperties properties = new RaftProperties();
        RaftConfigKeys.Rpc.setType(properties, SupportedRpcType.GRPC);
        RaftClientConfigKeys.Rpc.setRequestTimeout(properties, TimeDuration.valueOf(3, TimeUnit.SECONDS));
        return RaftClient.newBuilder()
                .setProperties(properties)
                .setParameters(parameters)
                .setRaftGroup(RatisConfig.group(channel, members))
                .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(
                        5, TimeDuration.valueOf(200, TimeUnit.MILLISECONDS)))
                .build();
    }

    /**
     * Writes one entry and waits for it to be applied.
     *
     * @return the state machine's reply: empty if the entry made a block, the ordering rules' reason otherwise
     * @throws IOException if the entry was not written (the group refused the connection or the request)
     */
    public String send(ByteString entry) throws IOException {
        RaftClientReply reply =
                client.io().send(Message.valueOf(UnsafeByteOperations.unsafeWrap(entry.asReadOnlyByteBuffer())));
        if (!reply.isSuccess()) {
            throw new IOException("not written: " + reply.getException(), reply.getException());
        }
        return reply.getMessage().getContent().toStringUtf8();
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
