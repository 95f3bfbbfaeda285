package dev.dossier.client.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code dossier delegation grant | withdraw | list}: an issuing organisation's delegations of drafting. */
@Command(
        name = "delegation",
        mixinStandardHelpOptions = true,
        description = {
            "Delegations of drafting (docs/policy.md, Delegated drafting): an issuing organisation's operator or",
            "delegate grants a training provider, another member organisation, the drafting of a project's modules;",
            "the provider then drafts with dossier anchor --draft-for, and the issuer validates or rejects the drafts",
            "with dossier validate. Every subcommand prints the contract's JSON answer."
        },
        subcommands = {DelegationCommand.Grant.class, DelegationCommand.Withdraw.class, DelegationCommand.ListAll.class
        })
final class DelegationCommand {
    private DelegationCommand() {}

    /** A session as the organisation's delegate (the role the default policy lets delegate, with the operator). */
    private static int call(ClientOptions client, String role, String function, String... args) throws Exception {
        String answer;
        try (ClientOptions.Session session = client.connect(role, false)) {
            answer = session.dossier().delegation(function, args);
        }
        System.out.println(answer);
        return 0;
    }

    /** The options naming one delegation of the caller's organisation. */
    static class Named {
        @Mixin
        ClientOptions client;

        @Option(names = "--project", required = true, paramLabel = "P", description = "the project code")
        String project;

        @Option(
                names = "--provider",
                required = true,
                paramLabel = "ORG",
                description = "the training provider's organisation (MSP id)")
        String provider;
    }

    @Command(
            name = "grant",
            mixinStandardHelpOptions = true,
            description = {
                "Grant (or grant again, with these modules) your organisation's delegation of a project to a provider."
            })
    static final class Grant extends Named implements Callable<Integer> {
        @Option(
                names = "--module",
                required = true,
                split = ",",
                paramLabel = "CODE",
                description =
                        "a module (course code) of the project the provider may draft; repeatable or comma-separated")
        List<String> modules = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            StringBuilder json = new StringBuilder("[");
            for (String module : modules) {
                json.append(json.length() > 1 ? "," : "").append(EntryTable.MAPPER.writeValueAsString(module));
            }
            return DelegationCommand.call(
                    client,
                    "delegate",
                    "grantDelegation",
                    project,
                    provider,
                    json.append(']').toString());
        }
    }

    @Command(
            name = "withdraw",
            mixinStandardHelpOptions = true,
            description = {"Withdraw your organisation's delegation of a project: the provider's drafts are refused."})
    static final class Withdraw extends Named implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            return DelegationCommand.call(client, "delegate", "withdrawDelegation", project, provider);
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = {"A project's delegations, in force and withdrawn, of every issuing organisation."})
    static final class ListAll implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Option(names = "--project", required = true, paramLabel = "P", description = "the project code")
        String project;

        @Override
        public Integer call() throws Exception {
            return DelegationCommand.call(client, "issuer", "listDelegations", project);
        }
    }
}
