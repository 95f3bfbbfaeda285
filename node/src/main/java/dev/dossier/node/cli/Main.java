package dev.dossier.node.cli;

import dev.dossier.node.Node;
import dev.dossier.node.NodeSettings;
import dev.dossier.node.config.Consortium;
import dev.dossier.node.config.CryptoGen;
import dev.dossier.node.ledger.AuditReport;
import dev.dossier.node.ledger.LedgerAudit;
import dev.dossier.node.ordering.BlockLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The node side of the {@code dossier} launcher: {@code network init}, {@code node start}, {@code audit}. */
@Command(
        name = "dossier",
        mixinStandardHelpOptions = true,
        subcommands = {Main.Network.class, Main.NodeCommand.class, Main.Audit.class})
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).setExecutionExceptionHandler(Main::fail).execute(args));
    }

    private static int fail(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        commandLine.getErr().println("error: " + e.getMessage());
        return 1;
    }

    @Command(name = "network", description = "Manage a consortium.", subcommands = Network.Init.class)
    static final class Network {
        @Command(name = "init", description = "Generate a consortium: a CA per organisation, node and user identities.")
        static final class Init implements Callable<Integer> {
            @Option(names = "--orgs", defaultValue = "1", description = "number of organisations (default ${DEFAULT-VALUE})")
            int organisations;

            @Option(names = "--out", defaultValue = "network", description = "output directory, must be empty")
            Path out;

            @Option(names = "--channel", defaultValue = "dossier")
            String channel;

            @Option(names = "--chaincode", defaultValue = "notary")
            String chaincode;

            @Option(names = "--port", defaultValue = "7051", description = "port of the first node; others follow")
            int port;

            @Override
            public Integer call() throws Exception {
                Consortium consortium = CryptoGen.generate(out, organisations, channel, chaincode, port);
                System.out.println("consortium of " + consortium.organisations().size() + " organisation(s), channel "
                        + consortium.channel() + ", chaincode " + consortium.chaincode() + ": "
                        + out.toAbsolutePath().resolve("consortium.yaml"));
                return 0;
            }
        }
    }

    @Command(name = "node", description = "Run a node.", subcommands = NodeCommand.Start.class)
    static final class NodeCommand {
        @Command(name = "start", description = "Start a node of the consortium and serve until stopped.")
        static final class Start implements Callable<Integer> {
            @Option(names = "--network", required = true, description = "consortium directory (with consortium.yaml)")
            Path network;

            @Option(names = "--org", defaultValue = "Org1MSP", description = "organisation (MSP id or name)")
            String organisation;

            @Option(names = "--node", description = "node name (default: the organisation's first node)")
            String node;

            @Option(names = "--data", required = true, description = "data directory of this node")
            Path data;

            @Option(names = "--chaincode-jar", description = "Fabric Java contract jar (default: node classpath)")
            Path chaincodeJar;

            @Option(names = "--block-max-tx", defaultValue = "1000")
            int blockMaxTransactions;

            @Option(names = "--block-timeout-ms", defaultValue = "20")
            long blockTimeoutMillis;

            @Override
            public Integer call() throws Exception {
                Consortium consortium = Consortium.load(network.resolve("consortium.yaml"));
                BlockLimits limits = new BlockLimits(
                        blockMaxTransactions,
                        BlockLimits.DEFAULT.maxBytes(),
                        Duration.ofMillis(blockTimeoutMillis));
                NodeSettings settings = NodeSettings.of(consortium, organisation, node, data, chaincodeJar, limits);
                Node running = Node.start(settings);
                Runtime.getRuntime().addShutdownHook(new Thread(running::close, "shutdown"));
                System.out.println("node " + settings.mspId() + " listening on " + settings.host() + ":"
                        + running.port() + ", ledger height " + running.height());
                running.awaitTermination();
                return 0;
            }
        }
    }

    @Command(name = "audit", description = "Re-verify a stopped node's block chain and world state.")
    static final class Audit implements Callable<Integer> {
        @Option(names = "--data", required = true, description = "data directory of the node")
        Path data;

        @Override
        public Integer call() throws Exception {
            AuditReport report = LedgerAudit.audit(data.resolve("ledger"));
            if (report.clean()) {
                System.out.println("audit clean: " + report.blocksChecked() + " blocks, " + report.transactions()
                        + " transactions, hash chain and world state verified");
                return 0;
            }
            System.out.println("audit FAILED at block " + report.firstBadBlock().orElse(-1) + ": " + report.problem());
            return 3;
        }
    }
}
