package dev.dossier.node.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

/**
 * The node side of the {@code dossier} launcher: {@code network init}, the consortium's votes ({@code network
 * add-org}, {@code add-node}, {@code revoke}, {@code approve}, ...), {@code network api-token}, {@code node start}, {@code audit}, {@code backup}, {@code restore}.
 */
@Command(
        name = "dossier",
        mixinStandardHelpOptions = true,
        scope = ScopeType.INHERIT, // --help and --version on every subcommand too
        versionProvider = VersionProvider.class,
        subcommands = {
            NetworkCommand.class,
            NodeCommand.class,
            AuditCommand.class,
            BackupCommand.class,
            RestoreCommand.class
        })
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
}
