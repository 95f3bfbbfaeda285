package dev.dossier.client.cli;

import static dev.dossier.node.cli.Main.commandLine;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command and subcommand of {@code scripts/dossier} answers {@code --help} with its usage and exit code 0: the
 * Java commands of the client and the node (walked from their command trees, so a new subcommand is covered without
 * being listed here), and the commands the launcher script implements itself.
 */
class HelpTest {
    /** The commands written in bash in scripts/dossier (the others are the Java commands walked below). */
    private static final List<String> SCRIPT_COMMANDS = List.of(
            "network up",
            "network down",
            "demo",
            "test",
            "bench",
            "bench-tx",
            "bench-network",
            "bench-bulk",
            "fuzz",
            "fault");

    @Test
    void everyJavaCommand_answersHelp() {
        List<String> checked = new ArrayList<>();
        checked.addAll(checkTree(Main::commandLine)); // the client's
        checked.addAll(checkTree(() -> commandLine())); // the node's (statically imported)
        assertThat(checked)
                .contains(
                        "anchor",
                        "revoke",
                        "status",
                        "history",
                        "dossier",
                        "policy show",
                        "policy propose",
                        "policy approve",
                        "verify",
                        "certificate",
                        "card",
                        "sample-data",
                        "network init",
                        "network add-node",
                        "network nodes",
                        "network revoke",
                        "network org-init",
                        "network add-org",
                        "network remove-node",
                        "network approve",
                        "network proposals",
                        "network config export",
                        "network config import",
                        "network raft-members",
                        "network api-token",
                        "node start",
                        "audit");
    }

    /** Runs {@code --help} on every command of a fresh tree; @return the command paths checked */
    private static List<String> checkTree(Supplier<CommandLine> tree) {
        List<String> paths = new ArrayList<>();
        collect(tree.get(), new ArrayList<>(), paths);
        for (String path : paths) {
            CommandLine root = tree.get();
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            root.setOut(new PrintWriter(out));
            root.setErr(new PrintWriter(err));
            List<String> args = new ArrayList<>(path.isEmpty() ? List.of() : List.of(path.split(" ")));
            args.add("--help");

            int exit = root.execute(args.toArray(String[]::new));

            assertThat(exit).as(path + " --help: " + err).isZero();
            assertThat(out.toString()).as(path + " --help").startsWith("Usage: dossier " + path);
        }
        return paths;
    }

    private static void collect(CommandLine command, List<String> prefix, List<String> paths) {
        paths.add(String.join(" ", prefix));
        for (CommandLine sub : command.getSubcommands().values()) {
            List<String> path = new ArrayList<>(prefix);
            path.add(sub.getCommandName());
            collect(sub, path, paths);
        }
    }

    @Test
    void everyScriptCommand_answersHelp_withoutBuilding() throws Exception {
        for (String command : SCRIPT_COMMANDS) {
            List<String> args = new ArrayList<>(List.of(command.split(" ")));
            args.add("--help");
            String output = script(args);
            assertThat(output).as(command + " --help").startsWith("  dossier " + command + " ");
        }
    }

    @Test
    void scriptHelp_listsEveryCommand() throws Exception {
        for (String help : List.of("help", "--help", "-h")) {
            assertThat(script(List.of(help)))
                    .contains("dossier anchor ", "dossier verify ", "dossier certificate ", "dossier sample-data ")
                    .contains("dossier network init ", "dossier node start ", "dossier audit ")
                    .contains("dossier demo ", "dossier test ", "dossier fault ");
        }
    }

    /** @return what {@code scripts/dossier ARGS} prints; fails unless it exits 0 within 30 s */
    private static String script(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(
                List.of("bash", Path.of("..", "scripts", "dossier").toString()));
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS))
                .as(String.join(" ", args))
                .isTrue();
        assertThat(process.exitValue())
                .as(String.join(" ", args) + ": " + output)
                .isZero();
        return output;
    }
}
