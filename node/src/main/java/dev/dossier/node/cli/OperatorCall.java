package dev.dossier.node.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dossier.node.config.Consortium;
import dev.dossier.node.consortium.ConsortiumChanges;
import dev.dossier.node.consortium.ConsortiumDocument;
import dev.dossier.node.identity.TlsSettings;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.client.identity.Identities;
import org.hyperledger.fabric.client.identity.Signers;
import org.hyperledger.fabric.client.identity.X509Identity;
import picocli.CommandLine.Option;

/**
 * What the consortium commands share: the operator who votes and the node called ({@link Operator}, options of every
 * command), the connection to the node's consortium namespace ({@link Call}), and how an answer or a proposal's
 * changes are printed.
 */
final class OperatorCall {
    private static final ObjectMapper JSON = new ObjectMapper();

    private OperatorCall() {}

    /** Who votes and through which node: an operator of the consortium directory, its organisation's node. */
    static final class Operator {
        @Option(names = "--network", required = true, description = "consortium directory (with consortium.yaml)")
        Path network;

        @Option(
                names = "--user",
                description = "the operator who votes, such as Admin@org1.dossier.local (default: the operator of the"
                        + " first organisation of consortium.yaml whose key is in the directory)")
        String user;

        @Option(names = "--node", description = "the node to call (default: the first node of the user's organisation)")
        String node;

        @Option(names = "--tls", description = "call the node over TLS (the nodes run with --tls)")
        boolean tls;

        /** @return the consortium namespace's contract on a node, as the operator */
        Call connect() throws Exception {
            Consortium consortium = Consortium.load(network.resolve("consortium.yaml"));
            Consortium.User operator = null;
            Consortium.Organisation organisation = null;
            for (Consortium.Organisation o : consortium.organisations()) {
                for (Consortium.User u : o.users()) {
                    boolean chosen = user == null
                            ? u.role().equals(ConsortiumChanges.OPERATOR) && Files.isRegularFile(u.privateKey())
                            : u.name().equals(user);
                    if (chosen && operator == null) {
                        operator = u;
                        organisation = o;
                    }
                }
            }
            if (operator == null) {
                throw new IllegalArgumentException(
                        user == null
                                ? "no operator with a private key in " + network + ": give --user"
                                : "no user " + user + " in " + network.resolve("consortium.yaml"));
            }
            Consortium.Node target = organisation.nodes().stream()
                    .filter(n -> node == null || n.name().equals(node))
                    .findFirst()
                    .or(() -> consortium.nodes().stream()
                            .filter(n -> n.name().equals(node))
                            .findFirst())
                    .orElseThrow(() -> new IllegalArgumentException("no node " + node + " in the consortium"));
            String address = target.host() + ":" + target.port();
            ManagedChannel channel = tls
                    ? TlsSettings.channel(
                            address, consortium.tls(organisation.nodes().get(0).name()))
                    : NettyChannelBuilder.forTarget(address).usePlaintext().build();
            Gateway gateway;
            try (Reader certificate = Files.newBufferedReader(operator.certificate());
                    Reader key = Files.newBufferedReader(operator.privateKey())) {
                gateway = Gateway.newInstance()
                        .identity(new X509Identity(organisation.mspId(), Identities.readX509Certificate(certificate)))
                        .signer(Signers.newPrivateKeySigner(Identities.readPrivateKey(key)))
                        .connection(channel)
                        .evaluateOptions(o -> o.withDeadlineAfter(30, TimeUnit.SECONDS))
                        .endorseOptions(o -> o.withDeadlineAfter(30, TimeUnit.SECONDS))
                        .submitOptions(o -> o.withDeadlineAfter(30, TimeUnit.SECONDS))
                        .commitStatusOptions(o -> o.withDeadlineAfter(120, TimeUnit.SECONDS))
                        .connect();
            }
            return new Call(consortium, channel, gateway);
        }
    }

    /** A connection to a node's consortium namespace. */
    record Call(Consortium files, ManagedChannel channel, Gateway gateway) implements AutoCloseable {
        Contract contract() {
            return gateway.getNetwork(files.channel()).getContract(ConsortiumChanges.NAMESPACE);
        }

        ConsortiumDocument inForce() throws GatewayException {
            return ConsortiumDocument.parse(contract().evaluateTransaction("config"));
        }

        /** Proposes {@code organisations} as the next document and prints the answer. */
        int propose(ConsortiumDocument current, List<ConsortiumDocument.Organisation> organisations, String what)
                throws Exception {
            ConsortiumDocument next = current.with(current.sequence() + 1, organisations);
            JsonNode answer = JSON.readTree(contract().submitTransaction("propose", new String(next.toJson(), UTF_8)));
            System.out.println(outcome(what, answer));
            return 0;
        }

        @Override
        public void close() throws InterruptedException {
            gateway.close();
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    static String outcome(String what, JsonNode answer) {
        String hash = answer.path("hash").asText();
        return answer.path("applied").asBoolean()
                ? what + ": applied, consortium sequence "
                        + answer.path("sequence").asLong() + " in force on every"
                        + " node from the next block (proposal " + hash + ")"
                : what + ": proposal " + hash + " has " + answer.path("votes").asInt() + " of the "
                        + answer.path("needed").asInt() + " votes it needs; other organisations' operators run"
                        + " 'dossier network approve --hash " + hash + "'";
    }

    /** @return what {@code proposed} changes in {@code current}: organisations, nodes, revocations, other */
    static List<String> differences(ConsortiumDocument current, ConsortiumDocument proposed) {
        List<String> out = new ArrayList<>();
        Set<String> before = new TreeSet<>(current.mspIds());
        Set<String> after = new TreeSet<>(proposed.mspIds());
        after.stream().filter(m -> !before.contains(m)).forEach(m -> out.add("+ organisation " + m));
        before.stream().filter(m -> !after.contains(m)).forEach(m -> out.add("- organisation " + m));
        Set<String> nodesBefore = new TreeSet<>();
        current.nodes().forEach(m -> nodesBefore.add(m.node().name()));
        Set<String> nodesAfter = new TreeSet<>();
        proposed.nodes().forEach(m -> nodesAfter.add(m.node().name()));
        nodesAfter.stream().filter(n -> !nodesBefore.contains(n)).forEach(n -> out.add("+ node " + n));
        nodesBefore.stream().filter(n -> !nodesAfter.contains(n)).forEach(n -> out.add("- node " + n));
        for (ConsortiumDocument.Organisation organisation : proposed.organisations()) {
            List<String> was = current.organisation(organisation.mspId())
                    .map(ConsortiumDocument.Organisation::revokedSerials)
                    .orElse(List.of());
            organisation.revokedSerials().stream()
                    .filter(s -> !was.contains(s))
                    .forEach(s -> out.add("+ revoked serial " + s + " of " + organisation.mspId()));
        }
        for (ConsortiumDocument.Organisation organisation : proposed.organisations()) {
            Optional<ConsortiumDocument.Organisation> was = current.organisation(organisation.mspId());
            for (KeyCommands.Kind kind : KeyCommands.Kind.values()) {
                List<String> listed = was.map(kind::lines).orElse(List.of());
                List<String> proposedLines = kind.lines(organisation);
                proposedLines.stream()
                        .filter(l -> !listed.contains(l))
                        .forEach(l -> out.add("+ " + kind + " key " + kind.keyId(l) + " of " + organisation.mspId()));
                listed.stream()
                        .filter(l -> !proposedLines.contains(l))
                        .forEach(l -> out.add("- " + kind + " key " + kind.keyId(l) + " of " + organisation.mspId()));
            }
        }
        if (out.isEmpty()) {
            out.add("~ other changes (certificates, addresses or keys)");
        }
        return out;
    }
}
