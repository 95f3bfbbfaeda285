package dev.dossier.node.config;

import dev.dossier.credential.CredentialKey;
import dev.dossier.credential.VerificationKey;
import dev.dossier.crypto.Ed25519PrivateKey;
import dev.dossier.crypto.Pem;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The organisations' credential-signing keys ({@code docs/credentials.md}) in a consortium directory: each Ed25519
 * private key in {@code credentials/<MSP id>/<key id>.key} (PEM PKCS#8, permissions 0600), for the organisation's
 * clients ({@code dossier certificate --format ob3 --credential-key}); every public key as a line of {@value
 * #FILE_NAME} ({@link CredentialKey}), which every node reads beside {@code card-keys.txt} and serves as the
 * organisations' {@code did:web} controller documents, and which an offline verifier pins.
 */
public final class CredentialKeys {
    /** The file of the credential key lines, in the consortium directory. */
    public static final String FILE_NAME = "credential-keys.txt";

    private static final String HEADER =
            "# Credential-signing keys (Ed25519) of the consortium's organisations" + " (docs/credentials.md).\n";

    private CredentialKeys() {}

    /**
     * Makes a credential key for every organisation, valid from {@code from} to {@code to}.
     *
     * @return the keys, in the consortium's order
     * @throws IOException if a key or {@value #FILE_NAME} cannot be written
     */
    public static List<CredentialKey> generate(Path network, Consortium consortium, LocalDate from, LocalDate to)
            throws IOException {
        List<CredentialKey> keys = new ArrayList<>();
        for (Consortium.Organisation organisation : consortium.organisations()) {
            keys.add(add(network, organisation.mspId(), from, to));
        }
        return keys;
    }

    /**
     * Makes one more credential key for an organisation (a rotation) and adds its line to {@value #FILE_NAME}.
     *
     * @throws IOException if the key or {@value #FILE_NAME} cannot be written or read
     */
    public static CredentialKey add(Path network, String mspId, LocalDate from, LocalDate to) throws IOException {
        Objects.requireNonNull(mspId, "mspId");
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        CredentialKey listed = new CredentialKey(mspId, from, to, new VerificationKey.Ed25519(key.publicKey()));
        KeyFiles.writePrivate(privateKeyFile(network, listed), Pem.encode("PRIVATE KEY", key.toPkcs8()));
        List<CredentialKey> all = new ArrayList<>(CredentialKey.load(network.resolve(FILE_NAME)));
        all.add(listed);
        KeyFiles.writeLines(
                network.resolve(FILE_NAME),
                HEADER,
                all.stream().map(CredentialKey::line).toList());
        return listed;
    }

    /** @return where a listed key's private key is: {@code credentials/<MSP id>/<key id>.key} */
    public static Path privateKeyFile(Path network, CredentialKey key) {
        return network.resolve("credentials").resolve(key.organisation()).resolve(key.keyIdHex() + ".key");
    }
}
