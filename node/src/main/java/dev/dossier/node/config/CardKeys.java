package dev.dossier.node.config;

import dev.dossier.common.card.CardKey;
import dev.dossier.crypto.P256PrivateKey;
import dev.dossier.crypto.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The organisations' card-signing keys ({@code docs/card.md}) in a consortium directory: each private key in {@code
 * cards/<MSP id>/<key id>.key} (PEM PKCS#8, permissions 0600), for the organisation's clients to sign cards with
 * ({@code dossier certificate --card-key}); every public key as a {@code card} line of {@value #FILE_NAME}, which
 * {@code network init} copies into the trust file and every node serves in {@code /v1/keys}. Rotation adds a key with
 * a later validity ({@link #add}); a card signed by an older key verifies as long as its line stays.
 *
 * <pre>{@code
 * List<CardKey> keys = CardKeys.generate(network, consortium, LocalDate.now(), LocalDate.now().plusYears(3));
 * CardKey next = CardKeys.add(network, "Org1MSP", LocalDate.of(2029, 1, 1), LocalDate.of(2031, 12, 31));
 * }</pre>
 */
public final class CardKeys {
    /** The file of the card key lines, in the consortium directory. */
    public static final String FILE_NAME = "card-keys.txt";

    /** How long a key made by {@code network init} may sign. */
    public static final Period DEFAULT_VALIDITY = Period.ofYears(3);

    private static final String HEADER =
            "# Card-signing keys of the consortium's organisations: the trust file's card lines (docs/card.md).\n";

    private CardKeys() {}

    /**
     * Makes a card key for every organisation of the consortium, valid from {@code from} to {@code to}.
     *
     * @return the keys, as the trust file lists them, in the consortium's order
     * @throws IOException if a key or {@value #FILE_NAME} cannot be written
     * @throws IllegalArgumentException if {@code to} is before {@code from}
     */
    public static List<CardKey> generate(Path network, Consortium consortium, LocalDate from, LocalDate to)
            throws IOException {
        List<CardKey> keys = new ArrayList<>();
        for (Consortium.Organisation organisation : consortium.organisations()) {
            keys.add(add(network, organisation.mspId(), from, to));
        }
        return keys;
    }

    /**
     * Makes one more card key for an organisation (a rotation: give it a validity that starts before the old key's
     * ends) and adds its line to {@value #FILE_NAME}.
     *
     * @return the new key, as the trust file lists it
     * @throws IOException if the key or {@value #FILE_NAME} cannot be written or read
     * @throws IllegalArgumentException if {@code to} is before {@code from}
     */
    public static CardKey add(Path network, String mspId, LocalDate from, LocalDate to) throws IOException {
        Objects.requireNonNull(mspId, "mspId");
        P256PrivateKey key = P256PrivateKey.generate();
        CardKey listed = new CardKey(mspId, from, to, key.publicKey().subjectPublicKeyInfo());
        KeyFiles.writePrivate(privateKeyFile(network, listed), Pem.encode(key));
        List<CardKey> all = new ArrayList<>(load(network.resolve(FILE_NAME)));
        all.add(listed);
        KeyFiles.writeLines(
                network.resolve(FILE_NAME),
                HEADER,
                all.stream().map(CardKey::line).toList());
        return listed;
    }

    /** @return where the private key of a listed card key is: {@code cards/<MSP id>/<key id>.key} */
    public static Path privateKeyFile(Path network, CardKey key) {
        return key.privateKeyFile(network);
    }

    /**
     * Reads the card key lines of a file ({@value #FILE_NAME}, or a trust file); other lines and comments are skipped.
     *
     * @return the keys, empty if the file does not exist
     * @throws IOException if the file cannot be read or a card line is malformed
     */
    public static List<CardKey> load(Path file) throws IOException {
        if (file == null || !Files.exists(file)) {
            return List.of();
        }
        List<CardKey> keys = new ArrayList<>();
        int number = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            number++;
            if (line.startsWith(CardKey.LINE_PREFIX)) {
                try {
                    keys.add(CardKey.parse(line));
                } catch (IllegalArgumentException e) {
                    throw new IOException(file + " line " + number + ": " + e.getMessage(), e);
                }
            }
        }
        return keys;
    }
}
