package dev.dossier.node;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import dev.dossier.node.identity.Identity;
import dev.dossier.node.identity.IdentityException;
import dev.dossier.node.identity.IdentityValidator;
import dev.dossier.node.ledger.AuditReport;
import dev.dossier.node.ledger.BlockHashes;
import dev.dossier.node.ledger.BlockSeal;
import dev.dossier.node.ledger.Ledger;
import dev.dossier.node.ledger.LedgerAudit;
import dev.dossier.node.ledger.LedgerException;
import dev.dossier.node.ordering.BlockSignatures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SignatureException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;

/**
 * Audits the ledgers of the stopped nodes of a network together: each ledger on its own ({@link LedgerAudit}: hash
 * chain, transactions filter, replayed world state), each block after the genesis block signed by the node that holds
 * it ({@link BlockSignatures}, the signer's certificate from the consortium), and agreement: block by block, up to the
 * lowest height, every node has the same header (so the same hash chain), the same transactions, the same
 * validation codes and the same consenter metadata (Raft position). A node that is behind is reported, not failed.
 *
 * <pre>{@code
 * NetworkAudit.Report report = NetworkAudit.audit(consortium, Map.of("node0.org1.dossier.local", data1.resolve("ledger"), ...));
 * }</pre>
 */
public final class NetworkAudit {
    private NetworkAudit() {}

    /** The outcome: clean or not, and one line per finding. */
    public record Report(boolean clean, List<String> lines) {
        public Report {
            lines = List.copyOf(lines);
        }
    }

    /**
     * @param ledgers each audited node's name and ledger directory; the nodes must be stopped
     * @throws IOException if a node is not in the consortium or its certificate cannot be read
     * @throws LedgerException if a ledger cannot be opened
     */
    public static Report audit(NodeSettings.Cluster cluster, IdentityValidator identities, Map<String, Path> ledgers)
            throws IOException, LedgerException {
        requireNonNull(cluster, "cluster");
        List<String> lines = new ArrayList<>();
        boolean clean = true;
        Map<String, Identity> signers = new LinkedHashMap<>();
        for (String node : ledgers.keySet()) {
            NodeSettings.ClusterNode entry = cluster.nodes().stream()
                    .filter(n -> n.name().equals(node))
                    .findFirst()
                    .orElseThrow(() -> new IOException("node " + node + " is not in the consortium"));
            try {
                signers.put(node, identities.validate(entry.serializedIdentity()));
            } catch (IdentityException e) {
                throw new IOException("certificate of node " + node + ": " + e.getMessage(), e);
            }
        }
        for (Map.Entry<String, Path> ledger : ledgers.entrySet()) {
            if (!Files.isRegularFile(ledger.getValue().resolve("CURRENT"))) {
                throw new LedgerException("no ledger for node " + ledger.getKey() + " in " + ledger.getValue());
            }
            AuditReport report = LedgerAudit.audit(ledger.getValue());
            if (report.clean()) {
                lines.add(ledger.getKey() + ": " + report.blocksChecked() + " blocks, " + report.transactions()
                        + " transactions, hash chain and world state verified");
            } else {
                clean = false;
                lines.add(ledger.getKey() + ": FAILED at block "
                        + report.firstBadBlock().orElse(-1) + ": " + report.problem());
            }
        }
        List<String> names = new ArrayList<>(ledgers.keySet());
        List<Ledger> open = new ArrayList<>();
        try {
            for (String name : names) {
                open.add(Ledger.open(ledgers.get(name)));
            }
            long lowest = open.stream().mapToLong(Ledger::height).min().orElse(0);
            long highest = open.stream().mapToLong(Ledger::height).max().orElse(0);
            for (int i = 0; i < names.size(); i++) {
                String problem = checkSignatures(open.get(i), signers.get(names.get(i)));
                if (problem != null) {
                    clean = false;
                    lines.add(names.get(i) + ": " + problem);
                } else {
                    lines.add(names.get(i) + ": every block from 1 to "
                            + (open.get(i).height() - 1) + " signed by the node");
                }
            }
            for (long number = 0; number < lowest; number++) {
                Block first = open.get(0).block(number).orElseThrow();
                for (int i = 1; i < open.size(); i++) {
                    String difference =
                            difference(first, open.get(i).block(number).orElseThrow());
                    if (difference != null) {
                        clean = false;
                        lines.add("block " + number + ": " + names.get(0) + " and " + names.get(i) + " disagree on "
                                + difference);
                        number = lowest;
                        break;
                    }
                }
            }
            if (lowest > 0) {
                byte[] hash = BlockHashes.headerHash(
                        open.get(0).block(lowest - 1).orElseThrow().getHeader());
                lines.add("blocks 0 to " + (lowest - 1) + " identical on all " + names.size() + " nodes; block "
                        + (lowest - 1) + " header hash " + HexFormat.of().formatHex(hash));
            }
            for (int i = 0; i < names.size(); i++) {
                if (open.get(i).height() < highest) {
                    lines.add(names.get(i) + " is behind: height " + open.get(i).height() + " of " + highest);
                }
            }
        } finally {
            for (Ledger ledger : open) {
                ledger.close();
            }
        }
        return new Report(clean, lines);
    }

    private static String checkSignatures(Ledger ledger, Identity node) {
        for (long number = 1; number < ledger.height(); number++) {
            Block block = ledger.block(number).orElseThrow();
            try {
                List<Identity> signed =
                        BlockSignatures.verify(block, creator -> creator.equals(node.serialized()) ? node : null);
                if (signed.isEmpty()) {
                    return "block " + number + " is not signed";
                }
            } catch (SignatureException | IllegalArgumentException e) {
                return e.getMessage();
            }
        }
        return null;
    }

    private static String difference(Block a, Block b) {
        if (!a.getHeader().equals(b.getHeader())) {
            return "the header (hash chain)";
        }
        if (!a.getData().equals(b.getData())) {
            return "the transactions";
        }
        if (!a.getMetadata()
                .getMetadata(BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE)
                .equals(b.getMetadata().getMetadata(BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE))) {
            return "the validation codes";
        }
        ByteString valueA = BlockSeal.signaturesMetadata(a).getValue();
        if (!valueA.equals(BlockSeal.signaturesMetadata(b).getValue())) {
            return "the consenter metadata (Raft position)";
        }
        return null;
    }
}
