package dev.dossier.client.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The client side of the {@code dossier} launcher: {@code anchor} (bulk anchoring), {@code verify} and
 * {@code certificate}.
 *
 * <p>Exit codes: 0 success (every row anchored; VALID), 1 failure, 2 usage, 3 some rows refused (see the error
 * report), 4 verified but not VALID (EXPIRED, REVOKED, SUPERSEDED, NOT_FOUND, TAMPERED).
 */
@Command(
        name = "dossier",
        mixinStandardHelpOptions = true,
        subcommands = {AnchorCommand.class, VerifyCommand.class, CertificateCommand.class})
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
        return new CommandLine(new Main())
                .setExecutionExceptionHandler((e, commandLine, parseResult) -> {
                    commandLine.getErr().println("error: " + e.getMessage());
                    return FAILURE;
                })
                .execute(args);
    }
}
