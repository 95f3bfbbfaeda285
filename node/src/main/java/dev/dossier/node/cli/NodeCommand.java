package dev.dossier.node.cli;

import dev.dossier.common.net.NodeAddress;
import dev.dossier.node.Node;
import dev.dossier.node.NodeSettings;
import dev.dossier.node.backup.NodeBackup;
import dev.dossier.node.config.Consortium;
import dev.dossier.node.config.GenesisPolicy;
import dev.dossier.node.config.OrganisationKeys;
import dev.dossier.node.consortium.ConsortiumFiles;
import dev.dossier.node.http.ApiClients;
import dev.dossier.node.ordering.BlockLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code dossier node start}: run one node; {@code node follow}: follow a Fabric channel; {@code node disk}: disk use. */
@Command(
        name = "node",
        description = "Run a node, follow a Fabric channel, or report a stopped node's disk use.",
        subcommands = {NodeCommand.Start.class, FollowCommand.class, DiskCommand.class})
final class NodeCommand {
    @Command(
            name = "start",
            mixinStandardHelpOptions = true,
            description = "Start a node of the consortium and serve until stopped.")
    static final class Start implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        GrpcOptions grpc;

        @Option(
                names = "--config",
                paramLabel = "NODE_YAML",
                description = "the node's configuration file: each setting is an option of this command without its"
                        + " dashes (data: /var/lib/dossier, tls: true), optionally under headings; options given here"
                        + " override the file's; paths in it are relative to its directory")
        Path config;

        @Option(names = "--network", description = "consortium directory (with consortium.yaml); required")
        Path network;

        @Option(names = "--org", defaultValue = "Org1MSP", description = "organisation (MSP id or name)")
        String organisation;

        @Option(names = "--node", description = "node name (default: the organisation's first node)")
        String node;

        @Option(names = "--data", description = "data directory of this node; required")
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
                description = "serve gRPC over TLS with the node's tls/ files, as a Fabric peer does: clients need"
                        + " no TLS certificate (one they present must be of a consortium TLS CA); node-to-node calls"
                        + " are mutual TLS, and Raft accepts the consortium's nodes only (their tls/server.crt);"
                        + " the other nodes must run with --tls too")
        boolean tls;

        @Option(
                names = "--tls-client-auth-required",
                description = "with --tls, refuse gRPC clients without a TLS client certificate of a consortium TLS"
                        + " CA at the handshake (Fabric's peer.tls.clientAuthRequired). Who a client is comes from"
                        + " its signed requests either way")
        boolean tlsClientAuthRequired;

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
                description =
                        "join a running network: take the genesis block from the other nodes and wait: once a vote"
                                + " ('network add-org' or 'network add-node') lists this node, the Raft leader adds it")
        boolean join;

        @Option(names = "--election-timeout-ms", defaultValue = "1000", description = "Raft election timeout")
        long electionTimeoutMillis;

        @Option(names = "--snapshot-every", defaultValue = "10000", description = "Raft entries between snapshots")
        long snapshotEvery;

        @Override
        public Integer call() throws Exception {
            return config == null ? run() : withConfig().run();
        }

        /**
         * @return these options over the {@code --config} file's settings: the file's first, then the options given on
         *     this command line, which overwrite them
         * @throws IOException if the file cannot be read or has a setting that is not an option
         */
        Start withConfig() throws IOException {
            Start merged = new Start();
            CommandLine parser = new CommandLine(merged).setOverwrittenOptionsAllowed(true);
            List<String> arguments = new ArrayList<>(NodeConfigFile.arguments(config, parser.getCommandSpec()));
            for (OptionSpec option : spec.commandLine().getParseResult().matchedOptions()) {
                if (!option.longestName().equals("--config")) {
                    arguments.add(option.longestName());
                    if (option.arity().max() > 0) { // a flag takes no value
                        arguments.addAll(option.originalStringValues());
                    }
                }
            }
            parser.parseArgs(arguments.toArray(String[]::new));
            return merged;
        }

        private Integer run() throws Exception {
            if (network == null || data == null) {
                throw new ParameterException(
                        spec.commandLine(),
                        "give the consortium directory and the data directory: --network and --data, or network:"
                                + " and data: in the --config file");
            }
            if (tlsClientAuthRequired && !tls) {
                throw new ParameterException(spec.commandLine(), "--tls-client-auth-required needs --tls");
            }
            Consortium consortium = Consortium.load(network.resolve("consortium.yaml"));
            BlockLimits limits = new BlockLimits(
                    blockMaxTransactions, BlockLimits.DEFAULT.maxBytes(), Duration.ofMillis(blockTimeoutMillis));
            NodeSettings consortiumDefaults =
                    NodeSettings.of(consortium, organisation, node, data, chaincodeJar, limits);
            NodeSettings.Builder builder = consortiumDefaults.toBuilder()
                    .apiClients(network.resolve(ApiClients.FILE_NAME))
                    .cardKeys(network.resolve(OrganisationKeys.CARDS.fileName()))
                    .genesisPolicy(GenesisPolicy.load(network).orElse(null));
            if (!join && !Files.isDirectory(data.resolve(NodeBackup.LEDGER))) {
                // a new ledger: its genesis block holds the consortium, which from then on changes by vote only
                builder.consortium(ConsortiumFiles.genesis(consortium, network));
            }
            if (httpPort != null) {
                builder.httpPort(httpPort);
            }
            if (tls) {
                builder.tls(consortium.tls(consortiumDefaults.name()).withClientAuthRequired(tlsClientAuthRequired));
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
