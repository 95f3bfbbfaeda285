package dev.dossier.node.cli;

import dev.dossier.common.net.NodeAddress;
import dev.dossier.common.note.TrustFile;
import dev.dossier.node.NetworkAudit;
import dev.dossier.node.Node;
import dev.dossier.node.NodeSettings;
import dev.dossier.node.config.Consortium;
import dev.dossier.node.config.CryptoGen;
import dev.dossier.node.config.GenesisPolicy;
import dev.dossier.node.http.ApiClients;
import dev.dossier.node.identity.IdentityValidator;
import dev.dossier.node.ledger.AuditReport;
import dev.dossier.node.ledger.LedgerAudit;
import dev.dossier.node.log.LogAudit;
import dev.dossier.node.log.ReceiptAudit;
import dev.dossier.node.log.TrustFiles;
import dev.dossier.node.ordering.BlockLimits;
import dev.dossier.node.ordering.RaftMembership;
import dev.dossier.node.ordering.RaftSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The node side of the {@code dossier} launcher: {@code network init}, {@code network add-node}, {@code network
 * api-token}, {@code node start}, {@code audit}.
 */
@Command(
        name = "dossier",
        mixinStandardHelpOptions = true,
        scope = ScopeType.INHERIT, // --help and --version on every subcommand too
        subcommands = {Main.Network.class, Main.NodeCommand.class, Main.Audit.class})
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * @return the command line of the node side (for tests and embedding), which reports a failed command as
     *     {@code error: <message>}
     */
    public static CommandLine commandLine() {
        return new CommandLine(new Main()).setExecutionExceptionHandler(Main::fail);
    }

    private static int fail(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        commandLine.getErr().println("error: " + e.getMessage());
        return 1;
    }

    /** The trust file {@code network init} writes beside {@code consortium.yaml}. */
    static final String TRUST_FILE = "trust.txt";

    @Command(
            name = "network",
            description = "Manage a consortium.",
            subcommands = {Network.Init.class, AddNode.class, ListNodes.class, Revoke.class, ApiToken.class})
    static final class Network {
        @Command(name = "init", description = "Generate a consortium: a CA per organisation, node and user identities.")
        static final class Init implements Callable<Integer> {
            @Option(
                    names = "--orgs",
                    defaultValue = "1",
                    description = "number of organisations (default ${DEFAULT-VALUE})")
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
                TrustFile trust = TrustFiles.of(consortium);
                java.nio.file.Files.writeString(
                        out.resolve(TRUST_FILE),
                        "# Keys of the consortium's nodes: verifiers pin this file to check receipts offline.\n"
                                + trust.format());
                System.out.println("consortium of " + consortium.organisations().size() + " organisation(s), channel "
                        + consortium.channel() + ", chaincode " + consortium.chaincode() + ": "
                        + out.toAbsolutePath().resolve("consortium.yaml") + "; trust file for verifiers "
                        + out.toAbsolutePath().resolve(TRUST_FILE) + " (" + trust.cosigners() + " of "
                        + trust.keys().size() + " nodes must sign a checkpoint)");
                return 0;
            }
        }
    }

    @Command(
            name = "revoke",
            description = "Revoke a node's or user's certificate: its organisation's CA adds it to the organisation's"
                    + " revocation list (msp/crls/crl.pem). Restart every node for it to take effect.")
    static final class Revoke implements Callable<Integer> {
        @Option(names = "--network", required = true, description = "consortium directory (with consortium.yaml)")
        Path network;

        @Option(
                names = "--name",
                required = true,
                description = "the node or user, such as Employer@org1.dossier.local")
        String name;

        @Option(
                names = "--valid-days",
                defaultValue = "365",
                description = "days until the list's next update (default ${DEFAULT-VALUE})")
        int validDays;

        @Override
        public Integer call() throws Exception {
            Consortium consortium = Consortium.load(network.resolve("consortium.yaml"));
            Path crl = CryptoGen.revoke(consortium, name, java.time.Duration.ofDays(validDays));
            System.out.println("revoked " + name + ": " + crl.toAbsolutePath()
                    + "; restart every node of the network (each reads the lists when it starts)");
            return 0;
        }
    }

    @Command(
            name = "api-token",
            description =
                    "Create an API token for the nodes' HTTP API (POST /v1/anchor, GET /v1/dossier): it stands for"
                            + " one user of an organisation, whose key its node holds and signs with. Prints the token once;"
                            + " api-clients.yaml keeps only its SHA-256. Restart the organisation's node to use it.")
    static final class ApiToken implements Callable<Integer> {
        @Option(names = "--network", required = true, description = "consortium directory (with consortium.yaml)")
        Path network;

        @Option(names = "--user", required = true, description = "the user, such as Employer@org1.dossier.local")
        String user;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            String token = ApiClients.issue(network, user);
            spec.commandLine()
                    .getErr()
                    .println("API token for " + user + " (shown once; " + network.resolve(ApiClients.FILE_NAME)
                            + " keeps only its hash). Restart the node of " + user.substring(user.indexOf('@') + 1)
                            + " for it to take the token.");
            spec.commandLine().getOut().println(token);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "nodes", description = "List the nodes of a consortium: name, MSP id, host, gateway port.")
    static final class ListNodes implements Callable<Integer> {
        @Option(names = "--network", required = true, description = "consortium directory (with consortium.yaml)")
        Path network;

        @Override
        public Integer call() throws Exception {
            Consortium consortium = Consortium.load(network.resolve("consortium.yaml"));
            for (Consortium.Organisation organisation : consortium.organisations()) {
                for (Consortium.Node node : organisation.nodes()) {
                    System.out.println(
                            node.name() + " " + organisation.mspId() + " " + node.host() + " " + node.port());
                }
            }
            return 0;
        }
    }

    @Command(
            name = "add-node",
            description = "Add a node to the Raft group of a running network (the node must be in consortium.yaml "
                    + "and started with --join).")
    static final class AddNode implements Callable<Integer> {
        @Option(names = "--network", required = true, description = "consortium directory (with consortium.yaml)")
        Path network;

        @Option(names = "--node", required = true, description = "name of the node to add")
        String node;

        @Option(
                names = "--tls",
                description = "the network runs with --tls: reach its Raft group with the added node's TLS identity")
        boolean tls;

        @Override
        public Integer call() throws Exception {
            Consortium consortium = Consortium.load(network.resolve("consortium.yaml"));
            NodeSettings.Cluster cluster = NodeSettings.Cluster.of(consortium, node);
            List<RaftSettings.Member> members = cluster.nodes().stream()
                    .map(n -> new RaftSettings.Member(n.name(), n.host(), n.raftPort(), n.tlsCertificate()))
                    .toList();
            RaftMembership.set(consortium.channel(), members, node, tls ? consortium.tls(node) : null);
            System.out.println("Raft group of channel " + consortium.channel() + " is now " + members.size()
                    + " nodes; " + node + " catches up from the others");
            return 0;
        }
    }

    @Command(name = "node", description = "Run a node.", subcommands = NodeCommand.Start.class)
    static final class NodeCommand {
        @Command(
                name = "start",
                mixinStandardHelpOptions = true,
                description = "Start a node of the consortium and serve until stopped.")
        static final class Start implements Callable<Integer> {
            @Mixin
            GrpcOptions grpc;

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

            @Option(
                    names = "--http-port",
                    description = "port of the HTTP API (receipts, verify page, metrics); default: gateway port + "
                            + NodeAddress.HTTP_PORT_OFFSET + ", 0: any free port")
            Integer httpPort;

            @Option(
                    names = "--tls",
                    description =
                            "serve gRPC over mutual TLS with the node's tls/ files (clients need TLS client"
                                    + " certificates of a consortium TLS CA) and order over mutual TLS that accepts the"
                                    + " consortium's nodes only (their tls/server.crt); the other nodes must run with --tls too")
            boolean tls;

            @Option(
                    names = "--insecure",
                    description = "on a network of several nodes, run without --tls all the same: Raft and gRPC in"
                            + " plaintext, so anyone who reaches the node's Raft port can write to the ordering log."
                            + " Only for networks you control end to end (all nodes on one machine, tests); a node of"
                            + " several refuses to start without --tls otherwise. A single node needs neither")
            boolean insecure;

            @Option(names = "--block-max-tx", defaultValue = "1000")
            int blockMaxTransactions;

            @Option(names = "--block-timeout-ms", defaultValue = "20")
            long blockTimeoutMillis;

            @Option(
                    names = "--join",
                    description = "join a running network: take the genesis block from the other nodes and wait to be "
                            + "added with 'network add-node'")
            boolean join;

            @Option(names = "--election-timeout-ms", defaultValue = "1000", description = "Raft election timeout")
            long electionTimeoutMillis;

            @Option(names = "--snapshot-every", defaultValue = "10000", description = "Raft entries between snapshots")
            long snapshotEvery;

            @Override
            public Integer call() throws Exception {
                Consortium consortium = Consortium.load(network.resolve("consortium.yaml"));
                BlockLimits limits = new BlockLimits(
                        blockMaxTransactions, BlockLimits.DEFAULT.maxBytes(), Duration.ofMillis(blockTimeoutMillis));
                NodeSettings consortiumDefaults =
                        NodeSettings.of(consortium, organisation, node, data, chaincodeJar, limits);
                NodeSettings.Builder builder = consortiumDefaults.toBuilder()
                        .apiClients(network.resolve(ApiClients.FILE_NAME))
                        .genesisPolicy(GenesisPolicy.load(network).orElse(null));
                if (httpPort != null) {
                    builder.httpPort(httpPort);
                }
                if (tls) {
                    builder.tls(consortium.tls(consortiumDefaults.name()));
                }
                NodeSettings.Cluster cluster = consortiumDefaults.cluster();
                if (cluster != null) {
                    builder.cluster(cluster.withRaftTiming(
                                    Duration.ofMillis(electionTimeoutMillis), snapshotEvery, cluster.segmentBytes())
                            .joining(join)
                            .insecure(insecure));
                }
                NodeSettings settings = builder.build();
                Node running = Node.start(settings, grpc.limits());
                Runtime.getRuntime().addShutdownHook(new Thread(running::close, "shutdown"));
                System.out.println("node " + settings.mspId() + " listening on " + settings.host() + ":"
                        + running.port() + ", ledger height " + running.height() + "; HTTP API and verify page on "
                        + running.httpUrl() + "/verify");
                running.awaitTermination();
                return 0;
            }
        }
    }

    @Command(
            name = "audit",
            description = "Re-verify a stopped node's block chain and world state, or every node of a stopped network.")
    static final class Audit implements Callable<Integer> {
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
                System.out.println(
                        "audit FAILED at block " + report.firstBadBlock().orElse(-1) + ": " + report.problem());
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
            return 0;
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
            NodeSettings.Cluster cluster = NodeSettings.Cluster.of(
                    consortium, consortium.nodes().get(0).name());
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
}
