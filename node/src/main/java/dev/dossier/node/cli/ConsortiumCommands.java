package dev.dossier.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dossier.crypto.Pem;
import dev.dossier.node.config.Consortium;
import dev.dossier.node.config.CryptoGen;
import dev.dossier.node.consortium.ConsortiumChanges;
import dev.dossier.node.consortium.ConsortiumDocument;
import dev.dossier.node.consortium.ConsortiumFiles;
import dev.dossier.node.consortium.ConsortiumImport;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The consortium's changes by vote ({@link ConsortiumChanges}), as an operator makes them: each change command reads
 * the consortium in force from a node, proposes the new document as the organisation's vote and prints the proposal's
 * hash; the other organisations' operators {@code approve} it; {@code proposals} lists what is pending and {@code
 * config export} writes the document in force, for a new organisation's node.
 */
final class ConsortiumCommands {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ConsortiumCommands() {}

    @Command(
            name = "org-init",
            description = "For an organisation that joins a running consortium: generate its CA, TLS CA, one node and"
                    + " its users (network init's layout) in a new directory, and write organisation.json, its entry"
                    + " for the consortium document. Hand organisation.json (certificates only, no key) to a member's"
                    + " operator, who proposes it with 'network add-org'.")
    static final class OrgInit implements Callable<Integer> {
        @Option(names = "--number", required = true, description = "its number N: MSP id OrgNMSP, domain orgN...")
        int number;

        @Option(names = "--host", defaultValue = "localhost", description = "where its node listens and is reached")
        String host;

        @Option(names = "--port", required = true, description = "its node's gateway port (Raft +1000, HTTP +2000)")
        int port;

        @Option(names = "--out", required = true, description = "a new or empty directory")
        Path out;

        @Override
        public Integer call() throws Exception {
            Files.createDirectories(out);
            try (var entries = Files.list(out)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalArgumentException(out + " is not empty");
                }
            }
            Consortium.Organisation organisation = CryptoGen.newOrganisation(out, number, host, port);
            ConsortiumDocument.Organisation entry = ConsortiumFiles.organisation(organisation, null);
            Path file = out.resolve("organisation.json");
            Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(entry));
            // its own organisation only, until 'network config import' adds the others
            new Consortium("dossier", "notary", List.of(organisation)).write(out.resolve("consortium.yaml"));
            System.out.println("organisation " + organisation.mspId() + " in " + out.toAbsolutePath() + "; its entry "
                    + file.toAbsolutePath() + " is for 'dossier network add-org --entry'; once voted in, 'dossier"
                    + " network config import --network " + out + " --consortium <exported consortium.json>'");
            return 0;
        }
    }

    @Command(
            name = "add-org",
            description = "Propose a new member organisation (its organisation.json from 'network org-init'), as your"
                    + " organisation's vote. It is in force once a strict majority of the members voted.")
    static final class AddOrg implements Callable<Integer> {
        @Mixin
        OperatorCall.Operator operator;

        @Option(names = "--entry", required = true, description = "the organisation's organisation.json")
        Path entry;

        @Override
        public Integer call() throws Exception {
            ConsortiumDocument.Organisation organisation =
                    JSON.readValue(Files.readAllBytes(entry), ConsortiumDocument.Organisation.class);
            try (OperatorCall.Call call = operator.connect()) {
                ConsortiumDocument current = call.inForce();
                List<ConsortiumDocument.Organisation> organisations = new ArrayList<>(current.organisations());
                organisations.add(organisation);
                return call.propose(current, organisations, "add organisation " + organisation.mspId());
            }
        }
    }

    @Command(
            name = "add-node",
            description = "Propose a new node of an organisation, as listed in consortium.yaml (name, address,"
                    + " certificates), as your organisation's vote. Once in force, the Raft leader adds it to the group"
                    + " as soon as it answers: start it with --join.")
    static final class AddNode implements Callable<Integer> {
        @Mixin
        OperatorCall.Operator operator;

        @Option(names = "--name", required = true, description = "the node, as consortium.yaml names it")
        String name;

        @Override
        public Integer call() throws Exception {
            try (OperatorCall.Call call = operator.connect()) {
                Consortium.Organisation owner = owner(call.files(), name);
                Consortium.Node node = owner.nodes().stream()
                        .filter(n -> n.name().equals(name))
                        .findFirst()
                        .orElseThrow(() -> new IllegalArgumentException(name + " is a user, not a node"));
                ConsortiumDocument.Node entry = new ConsortiumDocument.Node(
                        node.name(),
                        node.host(),
                        node.port(),
                        Pem.encode(Pem.readCertificate(node.certificate())),
                        Pem.encode(Pem.readCertificate(call.files().tlsCertificate(node.name()))));
                ConsortiumDocument current = call.inForce();
                return call.propose(
                        current,
                        withNodes(current, owner.mspId(), nodes -> nodes.add(entry)),
                        "add node " + name + " of " + owner.mspId());
            }
        }
    }

    @Command(
            name = "remove-node",
            description = "Propose removing a node, as your organisation's vote. Once in force its endorsements no"
                    + " longer count and the Raft leader removes it from the group, if a majority of the remaining"
                    + " nodes answers.")
    static final class RemoveNode implements Callable<Integer> {
        @Mixin
        OperatorCall.Operator operator;

        @Option(names = "--name", required = true, description = "the node")
        String name;

        @Override
        public Integer call() throws Exception {
            try (OperatorCall.Call call = operator.connect()) {
                ConsortiumDocument current = call.inForce();
                String owner = current.nodes().stream()
                        .filter(m -> m.node().name().equals(name))
                        .map(ConsortiumDocument.Member::mspId)
                        .findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("no node " + name + " in the consortium"));
                return call.propose(
                        current,
                        withNodes(
                                current,
                                owner,
                                nodes -> nodes.removeIf(n -> n.name().equals(name))),
                        "remove node " + name);
            }
        }
    }

    /** @return the organisation of consortium.yaml that has a user or node named {@code name} */
    private static Consortium.Organisation owner(Consortium files, String name) {
        return files.organisations().stream()
                .filter(o -> o.users().stream().anyMatch(u -> u.name().equals(name))
                        || o.nodes().stream().anyMatch(n -> n.name().equals(name)))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no user or node " + name + " in consortium.yaml"));
    }

    private static List<ConsortiumDocument.Organisation> withNodes(
            ConsortiumDocument current,
            String mspId,
            java.util.function.Consumer<List<ConsortiumDocument.Node>> change) {
        return current.organisationsWith(mspId, organisation -> {
            List<ConsortiumDocument.Node> nodes = new ArrayList<>(organisation.nodes());
            change.accept(nodes);
            return organisation.withNodes(nodes);
        });
    }

    @Command(
            name = "revoke",
            description = "Propose revoking a user's or node's certificate (its serial, in its organisation's entry),"
                    + " as your organisation's vote. Once in force every node refuses it, at the gateway and at"
                    + " commit, from the next block; no restart.")
    static final class Revoke implements Callable<Integer> {
        @Mixin
        OperatorCall.Operator operator;

        @Option(
                names = "--name",
                description = "the user or node, as consortium.yaml lists it, such as Employer@org1.dossier.local")
        String name;

        @Option(
                names = "--certificate",
                description = "or its certificate (PEM), for one consortium.yaml does not list")
        Path certificate;

        @Option(names = "--org", description = "with --certificate: its organisation's MSP id")
        String mspId;

        @Override
        public Integer call() throws Exception {
            if ((name == null) == (certificate == null)) {
                throw new IllegalArgumentException("give --name, or --certificate with --org");
            }
            try (OperatorCall.Call call = operator.connect()) {
                String organisation = mspId;
                Path pem = certificate;
                if (name != null) {
                    Consortium.Organisation owner = owner(call.files(), name);
                    organisation = owner.mspId();
                    pem = call.files().signerCertificate(name);
                } else if (organisation == null) {
                    throw new IllegalArgumentException("--certificate needs --org");
                }
                BigInteger serial = Pem.readCertificate(pem).getSerialNumber();
                ConsortiumDocument current = call.inForce();
                String owner = organisation;
                if (current.organisation(owner).isEmpty()) {
                    throw new IllegalArgumentException("no organisation " + owner + " in the consortium in force");
                }
                List<ConsortiumDocument.Organisation> organisations =
                        current.organisationsWith(owner, o -> o.revoking(serial));
                return call.propose(current, organisations, "revoke serial " + serial.toString(16) + " of " + owner);
            }
        }
    }

    @Command(
            name = "approve",
            description = "Vote for a pending proposal ('network proposals' lists them), as your organisation's vote;"
                    + " the vote that reaches a strict majority of the members applies it.")
    static final class Approve implements Callable<Integer> {
        @Mixin
        OperatorCall.Operator operator;

        @Option(names = "--hash", required = true, description = "the proposal's hash")
        String hash;

        @Override
        public Integer call() throws Exception {
            try (OperatorCall.Call call = operator.connect()) {
                System.out.println(OperatorCall.outcome(
                        "approve", JSON.readTree(call.contract().submitTransaction("approve", hash))));
                return 0;
            }
        }
    }

    @Command(
            name = "proposals",
            description = "List the pending proposals: hash, votes, and what each changes in the consortium in force.")
    static final class Proposals implements Callable<Integer> {
        @Mixin
        OperatorCall.Operator operator;

        @Override
        public Integer call() throws Exception {
            try (OperatorCall.Call call = operator.connect()) {
                ConsortiumDocument current = call.inForce();
                JsonNode pending = JSON.readTree(call.contract().evaluateTransaction("proposals"));
                System.out.println("consortium in force: sequence " + current.sequence() + ", organisations "
                        + current.mspIds() + "; " + pending.size() + " pending proposal(s)");
                for (JsonNode proposal : pending) {
                    ConsortiumDocument proposed = ConsortiumDocument.parse(
                            JSON.writeValueAsBytes(proposal.path("proposal").path("document")));
                    System.out.println(proposal.path("hash").asText() + "  votes "
                            + proposal.path("proposal").path("votes")
                            + (proposed.sequence() == current.sequence() + 1
                                    ? ""
                                    : "  STALE (for sequence " + proposed.sequence() + ")"));
                    OperatorCall.differences(current, proposed).forEach(line -> System.out.println("    " + line));
                }
                return 0;
            }
        }
    }

    @Command(
            name = "config",
            description = "The consortium in force on the ledger.",
            subcommands = {Export.class, Import.class})
    static final class Config {}

    @Command(
            name = "import",
            description = "For a joining organisation, once voted in: write the other organisations' certificates"
                    + " (from the consortium in force, 'network config export') into its directory made by 'network"
                    + " org-init', and a consortium.yaml listing every organisation, from which its node starts with"
                    + " --join. Needs no node.")
    static final class Import implements Callable<Integer> {
        @Option(names = "--network", required = true, description = "the directory 'network org-init' made")
        Path network;

        @Option(names = "--consortium", required = true, description = "the exported consortium document")
        Path document;

        @Override
        public Integer call() throws Exception {
            ConsortiumDocument inForce = ConsortiumDocument.parse(Files.readAllBytes(document));
            Consortium consortium = ConsortiumImport.write(inForce, network);
            System.out.println(network.resolve("consortium.yaml").toAbsolutePath() + ": channel "
                    + consortium.channel() + ", organisations "
                    + consortium.organisations().stream()
                            .map(Consortium.Organisation::mspId)
                            .toList()
                    + "; start the node with --join");
            return 0;
        }
    }

    @Command(
            name = "export",
            description = "Write the consortium document in force (from a node): what a new organisation's operator"
                    + " needs besides its own directory to know the other nodes, their addresses and certificates.")
    static final class Export implements Callable<Integer> {
        @Mixin
        OperatorCall.Operator operator;

        @Option(names = "--out", required = true, description = "the file to write")
        Path out;

        @Override
        public Integer call() throws Exception {
            try (OperatorCall.Call call = operator.connect()) {
                ConsortiumDocument current = call.inForce();
                Files.writeString(out, current.toPrettyJson());
                System.out.println("consortium sequence " + current.sequence() + " (" + current.mspIds() + ", "
                        + current.nodes().size() + " nodes) written to " + out.toAbsolutePath());
                return 0;
            }
        }
    }
}
