package dev.dossier.node.config;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.dossier.node.config.Consortium.Node;
import dev.dossier.node.config.Consortium.Organisation;
import dev.dossier.node.config.Consortium.User;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The file form of a {@link Consortium}, {@code consortium.yaml} (its layout is in {@link Consortium}'s Javadoc):
 * reading it, with paths resolved against the file's directory, and writing it, with paths relative to that directory
 * where possible. Reading checks the format version and the records' rules, not the files the paths name.
 */
final class ConsortiumFile {
    /** Version of the {@code consortium.yaml} format that {@link #read} reads and {@link #write} writes. */
    static final int FORMAT_VERSION = 1;

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private ConsortiumFile() {}

    /**
     * @param file absolute, normalised path of the {@code consortium.yaml}
     * @return the consortium it describes, with absolute normalised paths
     * @throws IOException if the file cannot be read, is malformed, is not a version-1 consortium file, or breaks a
     *     rule of {@link Consortium}'s records; the message starts with the file name
     */
    static Consortium read(Path file) throws IOException {
        Path base = file.getParent();
        FileForm form;
        try (InputStream in = Files.newInputStream(file)) {
            form = YAML.readValue(in, FileForm.class);
        } catch (JsonProcessingException malformed) {
            throw new IOException(file + ": " + malformed.getMessage(), malformed);
        }
        try {
            if (form == null) {
                throw new IllegalArgumentException("empty file");
            }
            if (form.version() != FORMAT_VERSION) {
                throw new IllegalArgumentException(
                        "format version " + form.version() + " is not supported (expected " + FORMAT_VERSION + ")");
            }
            return form.toConsortium(base);
        } catch (IllegalArgumentException invalid) {
            throw new IOException(file + ": " + invalid.getMessage(), invalid);
        } catch (NullPointerException missing) {
            throw new IOException(file + ": missing " + missing.getMessage(), missing);
        }
    }

    /** Writes {@code consortium} as {@code consortiumYaml}, with paths relative to its directory where possible. */
    static void write(Consortium consortium, Path consortiumYaml) throws IOException {
        Path file = consortiumYaml.toAbsolutePath().normalize();
        String yaml = "# Dossier consortium. Paths are relative to this file.\n"
                + YAML.writeValueAsString(FileForm.of(consortium, file.getParent()));
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
    }

    private static Path resolve(Path base, String path, String name) {
        requireNonNull(path, name);
        return base.resolve(path).normalize();
    }

    private static String relative(Path base, Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Path shown = absolute.startsWith(base) ? base.relativize(absolute) : absolute;
        return shown.toString().replace(shown.getFileSystem().getSeparator(), "/");
    }

    // The file form: strings for paths, relative to the file's directory.

    @JsonPropertyOrder({"version", "channel", "chaincode", "organisations"})
    record FileForm(int version, String channel, String chaincode, List<OrganisationForm> organisations) {
        static FileForm of(Consortium consortium, Path base) {
            return new FileForm(
                    FORMAT_VERSION,
                    consortium.channel(),
                    consortium.chaincode(),
                    consortium.organisations().stream()
                            .map(o -> OrganisationForm.of(o, base))
                            .toList());
        }

        Consortium toConsortium(Path base) {
            requireNonNull(organisations, "organisations");
            return new Consortium(
                    channel,
                    chaincode,
                    organisations.stream()
                            .map(o -> requireNonNull(o, "organisation").toOrganisation(base))
                            .toList());
        }
    }

    @JsonPropertyOrder({"name", "mspId", "domain", "caCertificate", "nodes", "users"})
    record OrganisationForm(
            String name,
            String mspId,
            String domain,
            String caCertificate,
            List<NodeForm> nodes,
            List<UserForm> users) {
        static OrganisationForm of(Organisation organisation, Path base) {
            return new OrganisationForm(
                    organisation.name(),
                    organisation.mspId(),
                    organisation.domain(),
                    relative(base, organisation.caCertificate()),
                    organisation.nodes().stream().map(n -> NodeForm.of(n, base)).toList(),
                    organisation.users().stream().map(u -> UserForm.of(u, base)).toList());
        }

        Organisation toOrganisation(Path base) {
            return new Organisation(
                    name,
                    mspId,
                    domain,
                    resolve(base, caCertificate, "caCertificate"),
                    nodes == null
                            ? List.of()
                            : nodes.stream()
                                    .map(n -> requireNonNull(n, "node").toNode(base))
                                    .toList(),
                    users == null
                            ? List.of()
                            : users.stream()
                                    .map(u -> requireNonNull(u, "user").toUser(base))
                                    .toList());
        }
    }

    @JsonPropertyOrder({"name", "host", "port", "certificate", "privateKey"})
    record NodeForm(String name, String host, int port, String certificate, String privateKey) {
        static NodeForm of(Node node, Path base) {
            return new NodeForm(
                    node.name(),
                    node.host(),
                    node.port(),
                    relative(base, node.certificate()),
                    relative(base, node.privateKey()));
        }

        Node toNode(Path base) {
            return new Node(
                    name,
                    host,
                    port,
                    resolve(base, certificate, "certificate"),
                    resolve(base, privateKey, "privateKey"));
        }
    }

    @JsonPropertyOrder({"name", "role", "certificate", "privateKey"})
    record UserForm(String name, String role, String certificate, String privateKey) {
        static UserForm of(User user, Path base) {
            return new UserForm(
                    user.name(), user.role(), relative(base, user.certificate()), relative(base, user.privateKey()));
        }

        User toUser(Path base) {
            return new User(
                    name, role, resolve(base, certificate, "certificate"), resolve(base, privateKey, "privateKey"));
        }
    }
}
