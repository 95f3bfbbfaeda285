package dev.dossier.client.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code dossier policy show | proposal HASH | propose FILE | approve HASH}: the consortium's votes on the policy. */
@Command(
        name = "policy",
        mixinStandardHelpOptions = true,
        description = {
            "Show the role policy in force, or vote on a new one as an operator (docs/policy.md). The genesis policy is",
            "written at network init; a proposal counts as its organisation's approval and is applied in the",
            "transaction that brings its approvals to a strict majority of the organisations the policy in force",
            "lists. Every subcommand prints the contract's JSON answer."
        },
        subcommands = {
            PolicyCommand.Show.class,
            PolicyCommand.Proposal.class,
            PolicyCommand.Propose.class,
            PolicyCommand.Approve.class
        })
final class PolicyCommand {
    private PolicyCommand() {}

    /** The operator's call: a session as the organisation's operator (Admin, the role the default policy lets vote). */
    private static int call(ClientOptions client, String function, String... args) throws Exception {
        String answer;
        try (ClientOptions.Session session = client.connect("operator", false)) {
            answer = session.dossier().policy(function, args);
        }
        System.out.println(answer);
        return 0;
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "The policy in force, with its hash.")
    static final class Show implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Override
        public Integer call() throws Exception {
            return PolicyCommand.call(client, "getPolicy");
        }
    }

    /** A subcommand naming a proposal by the hash of its policy. */
    abstract static class ByHash implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(paramLabel = "HASH", description = "the proposed policy's hash")
        String hash;

        /** @return the contract function to call with the hash */
        abstract String function();

        @Override
        public Integer call() throws Exception {
            return PolicyCommand.call(client, function(), hash);
        }
    }

    @Command(
            name = "proposal",
            mixinStandardHelpOptions = true,
            description = "A pending proposal: the policy, the policy it was proposed under, its approvals.")
    static final class Proposal extends ByHash {
        @Override
        String function() {
            return "getPolicyProposal";
        }
    }

    @Command(
            name = "propose",
            mixinStandardHelpOptions = true,
            description = "Propose the policy in FILE (JSON, as network-config/policy.json); prints its hash.")
    static final class Propose implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(paramLabel = "FILE", description = "the policy document")
        Path file;

        @Override
        public Integer call() throws Exception {
            return PolicyCommand.call(client, "proposePolicy", Files.readString(file, StandardCharsets.UTF_8));
        }
    }

    @Command(
            name = "approve",
            mixinStandardHelpOptions = true,
            description = "Approve a pending proposal for your organisation.")
    static final class Approve extends ByHash {
        @Override
        String function() {
            return "approvePolicy";
        }
    }
}
