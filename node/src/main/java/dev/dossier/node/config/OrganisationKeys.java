package dev.dossier.node.config;

import dev.dossier.common.card.CardKey;
import dev.dossier.common.file.AtomicFile;
import dev.dossier.credential.CredentialKey;
import dev.dossier.credential.VerificationKey;
import dev.dossier.crypto.Ed25519PrivateKey;
import dev.dossier.crypto.P256PrivateKey;
import dev.dossier.crypto.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The organisations' signing keys of one kind in a consortium directory: each private key in {@code
 * <folder>/<MSP id>/<key id>.key} (PEM PKCS#8, permissions 0600), for the organisation's clients to sign with; every
 * public key as a line of one file. Two kinds: {@link #CARDS}, the inspector's card keys ({@code docs/card.md}, lines
 * {@code card ...} of {@code card-keys.txt}, which the trust file lists), and {@link #CREDENTIALS}, the Open Badges
 * credential keys ({@code docs/credentials.md}, Ed25519, lines {@code credential ...} of {@code
 * credential-keys.txt}, served as the organisations' {@code did:web} controller documents). {@code network init}
 * writes both and the genesis block's consortium document takes their lines; from then on a network whose ledger
 * holds the consortium changes them by vote. Rotation adds a key with a later validity ({@link #add}); what an older
 * key signed verifies as long as its line stays.
 *
 * <pre>{@code
 * List<CardKey> keys = OrganisationKeys.CARDS.generate(network, consortium, from, from.plusYears(3));
 * CredentialKey next = OrganisationKeys.CREDENTIALS.add(network, "Org1MSP", from, to);
 * }</pre>
 *
 * @param <K> the key type, as its line reads
 */
public final class OrganisationKeys<K> {
    /** How long a key made by {@code network init} may sign. */
    public static final Period DEFAULT_VALIDITY = Period.ofYears(3);

    /** The inspector's card-signing keys (P-256). */
    public static final OrganisationKeys<CardKey> CARDS = new OrganisationKeys<>(
            "card-keys.txt",
            "cards",
            "# Card-signing keys of the consortium's organisations: the trust file's card lines (docs/card.md).\n",
            CardKey.LINE_PREFIX,
            CardKey::parse,
            CardKey::line,
            CardKey::organisation,
            CardKey::keyIdHex,
            (mspId, from, to) -> {
                P256PrivateKey key = P256PrivateKey.generate();
                return new Made<>(
                        new CardKey(mspId, from, to, key.publicKey().subjectPublicKeyInfo()), Pem.encode(key));
            });

    /** The Open Badges credential-signing keys (Ed25519). */
    public static final OrganisationKeys<CredentialKey> CREDENTIALS = new OrganisationKeys<>(
            "credential-keys.txt",
            "credentials",
            "# Credential-signing keys (Ed25519) of the consortium's organisations (docs/credentials.md).\n",
            CredentialKey.LINE_PREFIX,
            CredentialKey::parse,
            CredentialKey::line,
            CredentialKey::organisation,
            CredentialKey::keyIdHex,
            (mspId, from, to) -> {
                Ed25519PrivateKey key = Ed25519PrivateKey.generate();
                return new Made<>(
                        new CredentialKey(mspId, from, to, new VerificationKey.Ed25519(key.publicKey())),
                        Pem.encode("PRIVATE KEY", key.toPkcs8()));
            });

    /** A new key: its public line's key and its private key's PEM. */
    private record Made<K>(K listed, String privatePem) {}

    @FunctionalInterface
    private interface Maker<K> {
        Made<K> make(String mspId, LocalDate from, LocalDate to);
    }

    private final String fileName;
    private final String folder;
    private final String header;
    private final String linePrefix;
    private final Function<String, K> parse;
    private final Function<K, String> line;
    private final Function<K, String> organisation;
    private final Function<K, String> keyId;
    private final Maker<K> maker;

    private OrganisationKeys(
            String fileName,
            String folder,
            String header,
            String linePrefix,
            Function<String, K> parse,
            Function<K, String> line,
            Function<K, String> organisation,
            Function<K, String> keyId,
            Maker<K> maker) {
        this.fileName = fileName;
        this.folder = folder;
        this.header = header;
        this.linePrefix = linePrefix;
        this.parse = parse;
        this.line = line;
        this.organisation = organisation;
        this.keyId = keyId;
        this.maker = maker;
    }

    /** @return the file of the public key lines in a consortium directory, such as {@code card-keys.txt} */
    public String fileName() {
        return fileName;
    }

    /** @return the line that lists {@code key} */
    public String line(K key) {
        return line.apply(key);
    }

    /**
     * @return the key id (16 hex digits) of the key a line of this kind lists
     * @throws IllegalArgumentException if the line is not a key line of this kind
     */
    public String keyIdOf(String keyLine) {
        return keyId.apply(parse.apply(keyLine));
    }

    /**
     * Makes a key for every organisation of the consortium, valid from {@code from} to {@code to}.
     *
     * @return the keys, in the consortium's order
     * @throws IOException if a key or the lines' file cannot be written
     * @throws IllegalArgumentException if {@code to} is before {@code from}
     */
    public List<K> generate(Path network, Consortium consortium, LocalDate from, LocalDate to) throws IOException {
        List<K> keys = new ArrayList<>();
        for (Consortium.Organisation member : consortium.organisations()) {
            keys.add(add(network, member.mspId(), from, to));
        }
        return keys;
    }

    /**
     * Makes one more key for an organisation (a rotation: give it a validity that starts before the old key's ends),
     * writes its private key and adds its line to the lines' file.
     *
     * @return the new key, as its line lists it
     * @throws IOException if the key or the lines' file cannot be written or read
     * @throws IllegalArgumentException if {@code to} is before {@code from}
     */
    public K add(Path network, String mspId, LocalDate from, LocalDate to) throws IOException {
        Objects.requireNonNull(mspId, "mspId");
        Made<K> made = maker.make(mspId, from, to);
        Path privateKey = privateKeyFile(network, made.listed());
        Files.createDirectories(privateKey.getParent());
        AtomicFile.write(
                privateKey,
                made.privatePem(),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        StringBuilder text = new StringBuilder(header);
        for (K key : load(network.resolve(fileName))) {
            text.append(line.apply(key)).append('\n');
        }
        text.append(line.apply(made.listed())).append('\n');
        AtomicFile.write(network.resolve(fileName), text.toString());
        return made.listed();
    }

    /** @return where a listed key's private key is: {@code <folder>/<MSP id>/<key id>.key} */
    public Path privateKeyFile(Path network, K key) {
        return network.resolve(folder).resolve(organisation.apply(key)).resolve(keyId.apply(key) + ".key");
    }

    /**
     * Reads the key lines of a file (the lines' file, or a trust file); other lines and comments are skipped.
     *
     * @return the keys, empty if the file does not exist
     * @throws IOException if the file cannot be read or a key line is malformed (naming the line)
     */
    public List<K> load(Path file) throws IOException {
        if (file == null || !Files.exists(file)) {
            return List.of();
        }
        List<K> keys = new ArrayList<>();
        int number = 0;
        for (String text : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            number++;
            if (text.startsWith(linePrefix)) {
                try {
                    keys.add(parse.apply(text));
                } catch (IllegalArgumentException e) {
                    throw new IOException(file + " line " + number + ": " + e.getMessage(), e);
                }
            }
        }
        return keys;
    }
}
