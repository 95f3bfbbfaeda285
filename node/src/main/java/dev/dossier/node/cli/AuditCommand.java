package dev.dossier.node.cli;

import dev.dossier.node.NetworkAudit;
import dev.dossier.node.NodeSettings;
import dev.dossier.node.config.Consortium;
import dev.dossier.node.identity.IdentityValidator;
import dev.dossier.node.ledger.AuditReport;
import dev.dossier.node.ledger.LedgerAudit;
import dev.dossier.node.log.CommitmentLog;
import dev.dossier.node.log.LogAudit;
import dev.dossier.node.log.ReceiptAudit;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dossier audit}: re-verify a stopped node or network. */
@Command(
        name = "audit",
        description = "Re-verify a stopped node's block chain and world state, or every node of a stopped network.")
final class AuditCommand implements Callable<Integer> {
    @Option(names = "--data", description = "data directory of the node")
    Path data;

    @Option(
            names = "--chaincode",
            defaultValue = "notary",
            description = "the notary chaincode, whose anchored commitments make the commitment log")
    String chaincode;

    @Option(
            names = "--network",
            description = "network directory of 'network up' (consortium.yaml, nodes/<node>/ledger): audit every "
                    + "node, check each block's signature and that all nodes agree")
    Path network;

    @Option(
            names = "--receipts",
            description = "with --network: receipts of 'dossier anchor' (repeatable); every receipt's commitment "
                    + "must be anchored exactly once on every node, and the nodes must have the same height, "
                    + "last block and commitment log")
    List<Path> receipts = List.of();

    @Option(
            names = "--leaves",
            paramLabel = "FILE",
            description = "with --data: once the log is audited clean, write its leaves to FILE as JSON Lines"
                    + " ({\"index\":…,\"commitment\":\"<hex>\",\"entry\":{…}}), to compare two logs")
    Path leaves;

    @Override
    public Integer call() throws Exception {
        if (network != null) {
            return auditNetwork();
        }
        if (data == null) {
            throw new CommandLine.ParameterException(
                    new CommandLine(this), "give --data of a node or --network of a network");
        }
        AuditReport report = LedgerAudit.audit(data.resolve("ledger"));
        if (!report.clean()) {
            System.out.println("audit FAILED at block " + report.firstBadBlock().orElse(-1) + ": " + report.problem());
            return 3;
        }
        System.out.println("audit clean: " + report.blocksChecked() + " blocks, " + report.transactions()
                + " transactions, hash chain and world state verified");
        LogAudit.Report log = LogAudit.audit(data.resolve("ledger"), data.resolve("log"), chaincode);
        if (!log.clean()) {
            System.out.println("commitment log audit FAILED: " + log.problem());
            return 3;
        }
        System.out.println("commitment log clean: " + log.size() + " commitments, root " + log.root()
                + ", re-derived from the blocks");
        if (leaves != null) {
            writeLeaves(data.resolve("log"), leaves);
        }
        return 0;
    }

    /** Writes the leaves of the commitment log in {@code logDirectory} to {@code out}, one JSON object a line. */
    private void writeLeaves(Path logDirectory, Path out) throws java.io.IOException {
        HexFormat hex = HexFormat.of();
        try (CommitmentLog log = CommitmentLog.open(logDirectory, chaincode);
                BufferedWriter writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            for (long index = 0; index < log.size(); index++) {
                byte[] leaf = log.leafData(index);
                writer.write("{\"index\":" + index + ",\"commitment\":\"" + hex.formatHex(leaf, 0, 32) + "\",\"entry\":"
                        + new String(leaf, 32, leaf.length - 32, StandardCharsets.UTF_8) + "}\n");
            }
        }
        System.out.println("leaves written to " + out);
    }

    private int auditNetwork() throws Exception {
        Consortium consortium = Consortium.load(network.resolve("consortium.yaml"));
        Map<String, Path> ledgers = new LinkedHashMap<>();
        for (Consortium.Node node : consortium.nodes()) {
            Path ledger = network.resolve("nodes").resolve(node.name()).resolve("ledger");
            if (java.nio.file.Files.isDirectory(ledger)) {
                ledgers.put(node.name(), ledger);
            } else {
                System.out.println(node.name() + ": no ledger in " + ledger + ", skipped");
            }
        }
        NodeSettings.Cluster cluster =
                NodeSettings.Cluster.of(consortium, consortium.nodes().get(0).name());
        NetworkAudit.Report report = NetworkAudit.audit(cluster, new IdentityValidator(consortium.msps()), ledgers);
        report.lines().forEach(System.out::println);
        boolean clean = report.clean();
        Map<String, Path> data = new LinkedHashMap<>();
        for (Map.Entry<String, Path> ledger : ledgers.entrySet()) {
            Path node = ledger.getValue().getParent();
            data.put(ledger.getKey(), node);
            LogAudit.Report log = LogAudit.audit(ledger.getValue(), node.resolve("log"), chaincode);
            if (log.clean()) {
                System.out.println(ledger.getKey() + ": commitment log of " + log.size() + " commitments, root "
                        + log.root() + ", re-derived from the blocks");
            } else {
                clean = false;
                System.out.println(ledger.getKey() + ": commitment log audit FAILED: " + log.problem());
            }
        }
        if (!receipts.isEmpty()) {
            ReceiptAudit.Report checked = ReceiptAudit.audit(data, receipts, chaincode);
            checked.lines().forEach(System.out::println);
            clean &= checked.clean();
        }
        System.out.println(clean ? "network audit clean" : "network audit FAILED");
        return clean ? 0 : 3;
    }
}
