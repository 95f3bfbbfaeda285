package dev.dossier.node.cli;

import dev.dossier.common.card.CardKey;
import dev.dossier.common.note.TrustFile;
import dev.dossier.credential.CredentialKey;
import dev.dossier.node.NodeSettings;
import dev.dossier.node.config.Consortium;
import dev.dossier.node.config.CryptoGen;
import dev.dossier.node.config.FabricNames;
import dev.dossier.node.config.OrganisationKeys;
import dev.dossier.node.http.ApiClients;
import dev.dossier.node.log.TrustFiles;
import dev.dossier.node.ordering.RaftMembership;
import dev.dossier.node.ordering.RaftSettings;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dossier network}: make a consortium and change it. */
@Command(
        name = "network",
        description = "Manage a consortium.",
        subcommands = {
            NetworkCommand.Init.class,
            NetworkCommand.AddCardKey.class,
            ConsortiumCommands.OrgInit.class,
            ConsortiumCommands.AddOrg.class,
            ConsortiumCommands.AddNode.class,
            ConsortiumCommands.RemoveNode.class,
            ConsortiumCommands.Revoke.class,
            KeyCommands.AddKey.class,
            KeyCommands.RemoveKey.class,
            ConsortiumCommands.Approve.class,
            ConsortiumCommands.Proposals.class,
            ConsortiumCommands.Config.class,
            NetworkCommand.RaftMembers.class,
            NetworkCommand.ListNodes.class,
            NetworkStatusCommand.class,
            NetworkCommand.ApiToken.class
        })
final class NetworkCommand {
    /** The trust file {@code network init} writes beside {@code consortium.yaml}. */
    static final String TRUST_FILE = "trust.txt";

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

        @Option(
                names = "--domain",
                defaultValue = "dossier.local",
                description = "organisation i's domain is org<i>.DOMAIN (Fabric's test network: example.com); only"
                        + " in names and certificates, the nodes listen on localhost (default ${DEFAULT-VALUE})")
        String domain;

        @Option(
                names = "--node-name",
                defaultValue = "node0",
                description = "each organisation's node is NAME.org<i>.DOMAIN, a name its TLS certificate holds"
                        + " (Fabric's test network: peer0; default ${DEFAULT-VALUE})")
        String nodeName;

        @Option(
                names = "--user",
                paramLabel = "NAME=ROLE",
                description =
                        "an extra user of every organisation, NAME@org<i>.DOMAIN with the dossier.role ROLE"
                                + " (operator, issuer, employer, worker, inspector, auditor), such as User1=issuer;"
                                + " repeatable. Admin, Issuer, Employer, Inspector, Auditor, Worker1 and Worker2 are always made")
        Map<String, String> users = new LinkedHashMap<>();

        @Option(
                names = "--hosts",
                split = ",",
                paramLabel = "HOST",
                description = "each organisation's node host, in order, comma-separated (default: localhost): the"
                        + " address it listens on and is reached at, also in its TLS certificate")
        List<String> hosts = List.of();

        @Override
        public Integer call() throws Exception {
            Consortium consortium = CryptoGen.generate(
                    out, organisations, channel, chaincode, port, new FabricNames(domain, nodeName, users), hosts);
            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            List<CardKey> cardKeys = OrganisationKeys.CARDS.generate(
                    out, consortium, today, today.plus(OrganisationKeys.DEFAULT_VALIDITY));
            TrustFile trust = TrustFiles.of(consortium).withCardKeys(cardKeys);
            writeTrust(out, trust);
            System.out.println("consortium of " + consortium.organisations().size() + " organisation(s), channel "
                    + consortium.channel() + ", chaincode " + consortium.chaincode() + ": "
                    + out.toAbsolutePath().resolve("consortium.yaml") + "; trust file for verifiers "
                    + out.toAbsolutePath().resolve(TRUST_FILE) + " (" + trust.cosigners() + " of "
                    + trust.keys().size() + " nodes must sign a checkpoint)");
            for (CardKey key : cardKeys) {
                System.out.println("card-signing key of " + key.organisation() + ": "
                        + OrganisationKeys.CARDS.privateKeyFile(out, key).toAbsolutePath() + " (0600, signs from "
                        + key.validFrom()
                        + " to " + key.validTo() + ")");
            }
            for (CredentialKey key : OrganisationKeys.CREDENTIALS.generate(
                    out, consortium, today, today.plus(OrganisationKeys.DEFAULT_VALIDITY))) {
                System.out.println("credential-signing key (Ed25519) of " + key.organisation() + ": "
                        + OrganisationKeys.CREDENTIALS.privateKeyFile(out, key).toAbsolutePath() + " (0600, signs from "
                        + key.validFrom() + " to " + key.validTo() + "; public keys in "
                        + out.toAbsolutePath().resolve(OrganisationKeys.CREDENTIALS.fileName()) + ")");
            }
            return 0;
        }
    }

    /** Writes the consortium's trust file: the nodes' checkpoint keys and the organisations' card keys. */
    static void writeTrust(Path network, TrustFile trust) throws java.io.IOException {
        java.nio.file.Files.writeString(
                network.resolve(TRUST_FILE),
                "# Keys of the consortium's nodes and card keys of its organisations: verifiers pin this file to check"
                        + " receipts and cards offline.\n"
                        + trust.format());
    }

    @Command(
            name = "card-key",
            description =
                    "On a network whose genesis holds no consortium document (made before the consortium was on the"
                            + " ledger): add a card-signing key to an organisation (a rotation: give it a validity starting"
                            + " before the old key's ends). Writes cards/<MSP id>/<key id>.key (0600), adds its line to"
                            + " card-keys.txt and trust.txt; restart the nodes to serve it at /v1/keys, and give verifiers"
                            + " the new trust file. Cards signed by the old key verify while its line stays. On a network"
                            + " whose ledger holds the consortium, use 'network add-key', a vote.")
    static final class AddCardKey implements Callable<Integer> {
        @Option(names = "--network", required = true, description = "consortium directory (with consortium.yaml)")
        Path network;

        @CommandLine.Mixin
        KeyCommands.NewKey key;

        @Override
        public Integer call() throws Exception {
            Consortium consortium = Consortium.load(network.resolve("consortium.yaml"));
            if (consortium.organisations().stream().noneMatch(o -> o.mspId().equals(key.organisation))) {
                throw new IllegalArgumentException("no organisation " + key.organisation + " in " + network);
            }
            CardKey made = OrganisationKeys.CARDS.add(network, key.organisation, key.from, key.to);
            TrustFile trust = TrustFiles.of(consortium)
                    .withCardKeys(OrganisationKeys.CARDS.load(network.resolve(OrganisationKeys.CARDS.fileName())));
            writeTrust(network, trust);
            System.out.println("card-signing key " + made.keyIdHex() + " of " + key.organisation + ": "
                    + OrganisationKeys.CARDS.privateKeyFile(network, made).toAbsolutePath() + " (signs from "
                    + key.from + " to " + key.to + "); trust file "
                    + network.resolve(TRUST_FILE).toAbsolutePath());
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
            name = "raft-members",
            description = "Set the Raft group of a running network to the nodes of consortium.yaml, at once, with"
                    + " Ratis' admin call (the node named must be started with --join, or be running). For a network"
                    + " whose genesis holds no consortium document, and for tests of Raft changes: otherwise add a"
                    + " node with 'network add-node', a vote, and the Raft leader changes the group.")
    static final class RaftMembers implements Callable<Integer> {
        @Option(names = "--network", required = true, description = "consortium directory (with consortium.yaml)")
        Path network;

        @Option(names = "--node", required = true, description = "name of the node that joins the group")
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
}
