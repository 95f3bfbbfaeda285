package dev.dossier.node.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.dossier.common.file.AtomicFile;
import dev.dossier.common.hash.Sha256;
import dev.dossier.node.config.Consortium;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The API clients of the nodes' HTTP API: the file {@value #FILE_NAME} in the consortium directory, holding for each
 * API token the SHA-256 of the token (never the token), the user it stands for, the user's MSP id and the user's MSP
 * folder ({@code signcerts/}, {@code keystore/}), relative to the consortium directory.
 *
 * <pre>{@code
 * # API clients of the nodes' HTTP API: SHA-256 of each token, never the token.
 * version: 1
 * clients:
 * - tokenSha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
 *   user: Employer@org1.dossier.local
 *   mspId: Org1MSP
 *   msp: organizations/peerOrganizations/org1.dossier.local/users/Employer@org1.dossier.local/msp
 *   created: 2026-01-31T10:00:00Z
 * }</pre>
 *
 * <p>A token is 32 random bytes (from {@link SecureRandom}), base64url without padding (43 characters); its hash is
 * the SHA-256 of those 43 ASCII characters. {@link #issue} shows a token once, to whoever runs it; the file holds only
 * hashes and is written with permissions {@code 0600} (replaced atomically, under a lock beside it). A token grants
 * what its user's certificate grants, and nothing more: the node signs that user's proposals with the user's key
 * (custodial), and the chaincode checks the user's role as for any client.
 *
 * <pre>{@code
 * String token = ApiClients.issue(Path.of("network"), "Employer@org1.dossier.local");   // show it once
 * List<ApiClients.Client> mine = ApiClients.load(Path.of("network/api-clients.yaml"), "Org1MSP");
 * }</pre>
 */
public final class ApiClients {
    private static final Logger LOG = Logger.getLogger(ApiClients.class.getName());

    /** Name of the file in the consortium directory. */
    public static final String FILE_NAME = "api-clients.yaml";

    /** Version of the file format that {@link #read} reads and {@link #issue} writes. */
    static final int FORMAT_VERSION = 1;

    private static final int TOKEN_BYTES = 32;
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final HexFormat HEX = HexFormat.of();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private ApiClients() {}

    /**
     * An API client: a token's hash and the user it stands for.
     *
     * @param tokenSha256 SHA-256 of the token, 64 lowercase hexadecimal digits
     * @param user the user's name in the consortium, such as {@code Employer@org1.dossier.local}
     * @param mspId the user's organisation
     * @param msp the user's MSP folder (absolute once read), holding {@code signcerts/} and {@code keystore/}
     * @param created when the token was issued (null if the file does not say)
     */
    public record Client(String tokenSha256, String user, String mspId, Path msp, Instant created) {
        /**
         * @throws NullPointerException if a component other than {@code created} is null
         * @throws IllegalArgumentException if the hash is not 64 lowercase hexadecimal digits, or a name is blank
         */
        public Client {
            requireNonNull(tokenSha256, "tokenSha256");
            if (!SHA256_HEX.matcher(tokenSha256).matches()) {
                throw new IllegalArgumentException("tokenSha256 is not 64 lowercase hexadecimal digits");
            }
            if (requireNonNull(user, "user").isBlank()) {
                throw new IllegalArgumentException("user is blank");
            }
            if (requireNonNull(mspId, "mspId").isBlank()) {
                throw new IllegalArgumentException("mspId is blank");
            }
            requireNonNull(msp, "msp");
        }

        /** @return the token's hash as bytes (a new array) */
        byte[] tokenHash() {
            return HEX.parseHex(tokenSha256);
        }
    }

    /**
     * Creates an API token for a user of the consortium and appends its hash to {@value #FILE_NAME} in {@code
     * consortiumDirectory} (creating the file, {@code 0600}). Nodes read the file when they start.
     *
     * @param consortiumDirectory the directory of {@code consortium.yaml}
     * @param userName the user, such as {@code Employer@org1.dossier.local}
     * @return the token, 43 base64url characters: the only time it is shown
     * @throws IOException if the consortium or the client file cannot be read or written, or the user's MSP folder has
     *     no {@code signcerts/} and {@code keystore/}
     * @throws IllegalArgumentException if the consortium has no user of that name
     */
    public static String issue(Path consortiumDirectory, String userName) throws IOException {
        requireNonNull(consortiumDirectory, "consortiumDirectory");
        requireNonNull(userName, "userName");
        Path base = consortiumDirectory.toAbsolutePath().normalize();
        Consortium consortium = Consortium.load(base.resolve("consortium.yaml"));
        for (Consortium.Organisation organisation : consortium.organisations()) {
            for (Consortium.User user : organisation.users()) {
                if (user.name().equals(userName)) {
                    Path msp = mspFolder(user);
                    String token = newToken();
                    Client client = new Client(
                            hash(token),
                            user.name(),
                            organisation.mspId(),
                            msp,
                            Instant.now().truncatedTo(ChronoUnit.SECONDS));
                    append(base.resolve(FILE_NAME), client);
                    return token;
                }
            }
        }
        throw new IllegalArgumentException("no user named " + userName + " in " + base.resolve("consortium.yaml"));
    }

    /** @return the MSP folder of a user: the folder holding its certificate's {@code signcerts/} and its key's */
    private static Path mspFolder(Consortium.User user) throws IOException {
        Path signcerts = user.certificate().toAbsolutePath().normalize().getParent();
        Path keystore = user.privateKey().toAbsolutePath().normalize().getParent();
        if (signcerts == null
                || keystore == null
                || !signcerts.getFileName().toString().equals("signcerts")
                || !keystore.getFileName().toString().equals("keystore")
                || !signcerts.getParent().equals(keystore.getParent())) {
            throw new IOException("the certificate and key of " + user.name()
                    + " are not in an MSP folder's signcerts/ and keystore/: " + user.certificate() + ", "
                    + user.privateKey());
        }
        return signcerts.getParent();
    }

    /**
     * Reads every client of a client file.
     *
     * @param file the {@value #FILE_NAME}
     * @return its clients, with MSP folders resolved against the file's directory
     * @throws IOException if the file cannot be read, is not a version-1 client file, or an entry is malformed (the
     *     message names it)
     */
    public static List<Client> read(Path file) throws IOException {
        Path absolute = requireNonNull(file, "file").toAbsolutePath().normalize();
        FileForm form;
        try (InputStream in = Files.newInputStream(absolute)) {
            form = YAML.readValue(in, FileForm.class);
        } catch (JsonProcessingException malformed) {
            throw new IOException(absolute + ": " + malformed.getOriginalMessage(), malformed);
        }
        if (form == null) {
            return List.of();
        }
        if (form.version() != FORMAT_VERSION) {
            throw new IOException(absolute + ": format version " + form.version() + " is not supported (expected "
                    + FORMAT_VERSION + ")");
        }
        List<Client> clients = new ArrayList<>();
        List<ClientForm> entries = form.clients() == null ? List.of() : form.clients();
        for (int i = 0; i < entries.size(); i++) {
            try {
                clients.add(requireNonNull(entries.get(i), "entry").toClient(absolute.getParent()));
            } catch (IllegalArgumentException | NullPointerException | java.time.DateTimeException bad) {
                throw new IOException(absolute + ": client " + i + ": " + bad.getMessage(), bad);
            }
        }
        return List.copyOf(clients);
    }

    /**
     * Reads the clients of one organisation: a node serves its own organisation's users only (their keys are on its
     * disk). Entries of other organisations are skipped, with a log line each.
     *
     * @param file the {@value #FILE_NAME}
     * @param mspId the node's organisation
     * @return that organisation's clients, none if the file does not exist
     * @throws IOException as {@link #read}
     */
    public static List<Client> load(Path file, String mspId) throws IOException {
        requireNonNull(mspId, "mspId");
        if (!Files.exists(requireNonNull(file, "file"))) {
            return List.of();
        }
        List<Client> own = new ArrayList<>();
        for (Client client : read(file)) {
            if (client.mspId().equals(mspId)) {
                own.add(client);
            } else {
                LOG.info(() -> "API client " + client.user() + " of " + client.mspId() + " ignored: this node is "
                        + mspId + " and signs for its own organisation's users only");
            }
        }
        return List.copyOf(own);
    }

    /** @return the SHA-256 of a token's characters, lowercase hexadecimal */
    static String hash(String token) {
        return HEX.formatHex(Sha256.of(token.getBytes(StandardCharsets.US_ASCII)));
    }

    private static String newToken() {
        byte[] bytes = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Appends a client under an exclusive lock on a file beside the client file; the file is replaced atomically. */
    private static void append(Path file, Client client) throws IOException {
        Path lock = file.resolveSibling("." + FILE_NAME + ".lock");
        try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock ignored = channel.lock()) {
            List<Client> clients = new ArrayList<>(Files.exists(file) ? read(file) : List.of());
            clients.add(client);
            write(file, clients);
        }
    }

    private static void write(Path file, List<Client> clients) throws IOException {
        Path base = file.getParent();
        String yaml = "# API clients of the nodes' HTTP API: SHA-256 of each token, never the token.\n"
                + "# Written by 'dossier network api-token'; each node reads its own organisation's entries at start.\n"
                + YAML.writeValueAsString(new FileForm(
                        FORMAT_VERSION,
                        clients.stream().map(c -> ClientForm.of(c, base)).toList()));
        AtomicFile.write(file, yaml, ownerOnly(base));
    }

    /** @return {@code 0600} where the file system has POSIX permissions, nothing otherwise */
    private static FileAttribute<?>[] ownerOnly(Path directory) {
        return directory.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
    }

    private static String relative(Path base, Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Path shown = absolute.startsWith(base) ? base.relativize(absolute) : absolute;
        return shown.toString().replace(shown.getFileSystem().getSeparator(), "/");
    }

    // The file form.

    @JsonPropertyOrder({"version", "clients"})
    record FileForm(int version, List<ClientForm> clients) {}

    @JsonPropertyOrder({"tokenSha256", "user", "mspId", "msp", "created"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ClientForm(String tokenSha256, String user, String mspId, String msp, String created) {
        static ClientForm of(Client client, Path base) {
            return new ClientForm(
                    client.tokenSha256(),
                    client.user(),
                    client.mspId(),
                    relative(base, client.msp()),
                    client.created() == null ? null : client.created().toString());
        }

        Client toClient(Path base) {
            return new Client(
                    tokenSha256,
                    user,
                    mspId,
                    base.resolve(requireNonNull(msp, "msp")).normalize(),
                    created == null ? null : Instant.parse(created));
        }
    }
}
