package dev.dossier.node.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A node's configuration file, {@code node.yaml}, read as the options of {@code node start}: each key is an option's
 * long name without its dashes ({@code data: /var/lib/dossier} is {@code --data /var/lib/dossier}), {@code true}
 * gives a flag ({@code tls: true} is {@code --tls}) and {@code false} leaves it out. Keys may be grouped under any
 * headings ({@code identity:}, {@code limits:}...), which only organise the file. Paths are relative to the file's
 * directory. Options given on the command line override the file's.
 */
final class NodeConfigFile {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** Options whose values are paths, resolved against the file's directory. */
    private static final Set<String> PATHS = Set.of("network", "data", "chaincode-jar");

    private NodeConfigFile() {}

    /**
     * @return the options the file gives, as command-line arguments
     * @throws IOException if the file cannot be read, is not YAML, or has a key that is not an option of {@code
     *     command} (the message names the file and the key, and lists the known ones)
     */
    static List<String> arguments(Path file, CommandSpec command) throws IOException {
        JsonNode root;
        try {
            root = YAML.readTree(Files.readString(file));
        } catch (JsonProcessingException e) {
            throw new IOException(file + ": not YAML: " + e.getOriginalMessage(), e);
        }
        List<String> arguments = new ArrayList<>();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return arguments;
        }
        if (!root.isObject()) {
            throw new IOException(file + ": expected settings (key: value), found " + root.getNodeType());
        }
        add(file, root, command, arguments);
        return arguments;
    }

    private static void add(Path file, JsonNode settings, CommandSpec command, List<String> arguments)
            throws IOException {
        for (Iterator<Map.Entry<String, JsonNode>> it = settings.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> setting = it.next();
            String key = setting.getKey();
            JsonNode value = setting.getValue();
            if (value.isObject()) {
                add(file, value, command, arguments); // a heading
                continue;
            }
            OptionSpec option = "config".equals(key) ? null : command.findOption("--" + key);
            if (option == null) {
                throw new IOException(file + ": unknown setting '" + key + "'; the settings are " + known(command));
            }
            if (!value.isValueNode() || value.isNull()) {
                throw new IOException(file + ": setting '" + key + "' needs one value");
            }
            if (option.arity().max() == 0) {
                if (!value.isBoolean()) {
                    throw new IOException(
                            file + ": setting '" + key + "' is true or false, not '" + value.asText() + "'");
                }
                if (value.booleanValue()) {
                    arguments.add("--" + key);
                }
                continue;
            }
            String text = value.asText();
            if (PATHS.contains(key)) {
                text = file.toAbsolutePath()
                        .getParent()
                        .resolve(text)
                        .normalize()
                        .toString();
            }
            arguments.add("--" + key);
            arguments.add(text);
        }
    }

    private static String known(CommandSpec command) {
        Set<String> names = new TreeSet<>();
        for (OptionSpec option : command.options()) {
            String name = option.longestName();
            if (name.startsWith("--") && !option.usageHelp() && !option.versionHelp() && !name.equals("--config")) {
                names.add(name.substring(2));
            }
        }
        return String.join(", ", names);
    }
}
