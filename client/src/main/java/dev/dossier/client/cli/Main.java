package dev.dossier.client.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

/**
 * The client side of the {@code dossier} launcher: {@code anchor} (bulk anchoring), {@code verify},
 * {@code certificate} and {@code sample-data} (synthetic records for tests, the demo and the benchmarks). Every
 * command and subcommand answers {@code --help}.
 *
 * <p>Exit codes: 0 success (every row anchored; VALID), 1 failure, 2 usage, 3 some rows refused (see the error
 * report), 4 verified but not VALID (EXPIRED, REVOKED, SUPERSEDED, NOT_FOUND, TAMPERED).
 */
@Command(
        name = "dossier",
        mixinStandardHelpOptions = true,
        scope = ScopeType.INHERIT, // --help and --version on every subcommand too
        versionProvider = VersionProvider.class,
        subcommands = {
            AnchorCommand.class,
            RevokeCommand.class,
            VerifyCommand.class,
            StatusCommand.class,
            HistoryCommand.class,
            SubjectCommand.class,
            PolicyCommand.class,
            DelegationCommand.class,
            ValidateCommand.class,
            CertificateCommand.class,
            WorkerCardCommand.class,
            SampleDataCommand.class
        })
public final class Main {
    static final int FAILURE = 1;
    static final int ROWS_REFUSED = 3;
    static final int NOT_VALID = 4;

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (for tests and embedding). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /**
     * @return the command line of the client side (for tests and embedding), which reports a failed command as
     *     {@code error: <message>}
     */
    public static CommandLine commandLine() {
        return new CommandLine(new Main()).setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + e.getMessage());
            return FAILURE;
        });
    }
}
