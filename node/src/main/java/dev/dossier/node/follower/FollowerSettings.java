package dev.dossier.node.follower;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import dev.dossier.node.identity.Msp;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a {@link Follower} needs: the channel and chaincode it follows, the peer it pulls from, its own identity, whom
 * it trusts (the consortium's organisations and peers, the orderer's organisation) and how it serves and cosigns.
 *
 * @param name this follower's key name in the trust file (one of {@code followers})
 * @param channel the Fabric channel
 * @param chaincode the notary chaincode, whose namespace makes the commitment log
 * @param peer how to reach the Fabric peer
 * @param mspId the follower's organisation
 * @param signCertificate the PEM certificate of the follower's identity: it signs its seek requests to the peer (a
 *     reader of the channel) and its checkpoints
 * @param signKey its PEM private key
 * @param organisations the consortium's organisations: creators and endorsers must be their members
 * @param endorsers serialized identities of the peers whose endorsements count (the organisations' peers)
 * @param orderer the orderer organisation, whose members sign blocks
 * @param dataDirectory where the ledger, the commitment log and the revocation index are kept
 * @param httpHost the HTTP API's host
 * @param httpPort the HTTP API's port (0: any free port)
 * @param followers every follower's key name and certificate (this one's included): the trust file's keys
 * @param cosigners the other followers' cosign endpoints ({@code http://host:port/v1/checkpoint/cosign})
 * @param cardKeys the consortium's card keys file ({@code card-keys.txt}), listed in the trust file; or null
 */
public record FollowerSettings(
        String name,
        String channel,
        String chaincode,
        PeerConnection peer,
        String mspId,
        Path signCertificate,
        Path signKey,
        List<Msp> organisations,
        Set<ByteString> endorsers,
        Msp orderer,
        Path dataDirectory,
        String httpHost,
        int httpPort,
        Map<String, Path> followers,
        List<URI> cosigners,
        Path cardKeys) {
    public FollowerSettings {
        requireNonNull(name, "name");
        requireNonNull(channel, "channel");
        requireNonNull(chaincode, "chaincode");
        requireNonNull(peer, "peer");
        requireNonNull(mspId, "mspId");
        requireNonNull(signCertificate, "signCertificate");
        requireNonNull(signKey, "signKey");
        organisations = List.copyOf(organisations);
        endorsers = Set.copyOf(endorsers);
        requireNonNull(orderer, "orderer");
        requireNonNull(dataDirectory, "dataDirectory");
        requireNonNull(httpHost, "httpHost");
        followers = new LinkedHashMap<>(followers);
        cosigners = List.copyOf(cosigners);
        if (organisations.isEmpty()) {
            throw new IllegalArgumentException("no organisation: the consortium's organisations are needed");
        }
        if (endorsers.isEmpty()) {
            throw new IllegalArgumentException("no endorsing peer: the consortium's peers are needed");
        }
        if (!followers.containsKey(name)) {
            throw new IllegalArgumentException("the followers " + followers.keySet() + " do not include " + name);
        }
        if (httpPort < 0 || httpPort > 65_535) {
            throw new IllegalArgumentException("HTTP port out of range: " + httpPort);
        }
    }

    @Override
    public Map<String, Path> followers() {
        return java.util.Collections.unmodifiableMap(followers);
    }
}
