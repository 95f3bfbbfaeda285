package dev.dossier.node;

import dev.dossier.node.config.Consortium;
import dev.dossier.node.identity.Msp;
import dev.dossier.node.ordering.BlockLimits;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Everything a node needs to start: the channel and chaincode it serves (a contract jar, or the node's classpath when
 * {@code chaincodeJar} is null), where it listens, where its ledger lives, the organisations it trusts, its own
 * signing identity, and the block cutter's limits.
 */
public record NodeSettings(
        String channel,
        String chaincode,
        Path chaincodeJar,
        String host,
        int port,
        Path dataDirectory,
        List<Msp> organisations,
        String mspId,
        Path signCertificate,
        Path signKey,
        BlockLimits blockLimits) {

    public NodeSettings {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(chaincode, "chaincode");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        organisations = List.copyOf(organisations);
        Objects.requireNonNull(mspId, "mspId");
        Objects.requireNonNull(signCertificate, "signCertificate");
        Objects.requireNonNull(signKey, "signKey");
        Objects.requireNonNull(blockLimits, "blockLimits");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /**
     * Settings for one node of a consortium.
     *
     * @param nodeName the node's name in the consortium, or null for the organisation's first node
     * @param chaincodeJar the contract jar, or null to find the contract on the node's classpath
     * @throws IllegalArgumentException if the organisation or node is not in the consortium
     */
    public static NodeSettings of(
            Consortium consortium,
            String mspId,
            String nodeName,
            Path dataDirectory,
            Path chaincodeJar,
            BlockLimits blockLimits) {
        Consortium.Organisation organisation = consortium.organisations().stream()
                .filter(o -> o.mspId().equals(mspId) || o.name().equals(mspId))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no organisation " + mspId + " in the consortium"));
        Consortium.Node node = organisation.nodes().stream()
                .filter(n -> nodeName == null || n.name().equals(nodeName))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "no node " + nodeName + " in organisation " + organisation.mspId()));
        return new NodeSettings(
                consortium.channel(),
                consortium.chaincode(),
                chaincodeJar,
                node.host(),
                node.port(),
                dataDirectory,
                consortium.msps(),
                organisation.mspId(),
                node.certificate(),
                node.privateKey(),
                blockLimits);
    }

    /** @return the same settings listening on another port (0 picks a free one) */
    public NodeSettings withPort(int newPort) {
        return new NodeSettings(channel, chaincode, chaincodeJar, host, newPort, dataDirectory, organisations, mspId,
                signCertificate, signKey, blockLimits);
    }

    /** @return the same settings with the ledger in another directory */
    public NodeSettings withDataDirectory(Path directory) {
        return new NodeSettings(channel, chaincode, chaincodeJar, host, port, directory, organisations, mspId,
                signCertificate, signKey, blockLimits);
    }
}
