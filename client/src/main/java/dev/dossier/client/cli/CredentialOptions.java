package dev.dossier.client.cli;

import dev.dossier.client.credential.CredentialIssuer;
import dev.dossier.credential.CredentialKey;
import dev.dossier.crypto.Ed25519PrivateKey;
import dev.dossier.crypto.Pem;
import dev.dossier.crypto.PemException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine.Option;

/** The options of Open Badges credentials: the organisation's signing key and the pinned public keys. */
final class CredentialOptions {
    /** The public credential keys of a consortium directory, as {@code network init} writes them. */
    static final String KEYS_FILE = "credential-keys.txt";

    @Option(
            names = "--credential-key",
            paramLabel = "FILE",
            description = "the organisation's Ed25519 credential key, PEM (default: its current key in --network's"
                    + " credentials/ folder)")
    Path credentialKey;

    @Option(
            names = "--credential-keys",
            paramLabel = "FILE",
            description = "the pinned public credential keys, credential-keys.txt (default: the one in --network;"
                    + " without either, an issuer's keys are asked of the node)")
    Path credentialKeys;

    /** @return the pinned credential keys, empty if there is no file to read */
    List<CredentialKey> pinned(ClientOptions client) throws IOException {
        Path file = credentialKeys != null
                ? credentialKeys
                : client.network == null ? null : client.network.resolve(KEYS_FILE);
        if (credentialKeys != null && !Files.isRegularFile(credentialKeys)) {
            throw new IOException("no credential keys file " + credentialKeys);
        }
        return CredentialKey.load(file);
    }

    /**
     * @return the organisation's credential signer, its DID on the node of {@code --node-url}
     * @throws IOException if no key is given or found, or it is not listed
     */
    CredentialIssuer issuer(ClientOptions client) throws IOException {
        List<CredentialKey> listed = pinned(client);
        Path file = credentialKey;
        if (file == null && client.network != null) {
            String mspId = client.organisationMspId();
            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            file = listed.stream()
                    .filter(k -> k.organisation().equals(mspId) && k.validOn(today))
                    .filter(k -> Files.isRegularFile(privateKeyFile(client.network, k)))
                    .max(Comparator.comparing(CredentialKey::validFrom))
                    .map(k -> privateKeyFile(client.network, k))
                    .orElse(null);
        }
        if (file == null) {
            throw new IOException("say which key signs the credentials: --credential-key FILE, or --network DIR"
                    + " holding the organisation's credentials/ folder (network init makes it)");
        }
        Ed25519PrivateKey key;
        try {
            key = Pem.readEd25519PrivateKey(file);
        } catch (PemException e) {
            throw new IOException("credential key " + file + ": " + e.getMessage(), e);
        }
        URI node = client.nodeUrl();
        try {
            return CredentialIssuer.listed(
                    key, listed, node.getHost() + (node.getPort() < 0 ? "" : ":" + node.getPort()));
        } catch (IllegalArgumentException e) {
            throw new IOException(
                    e.getMessage() + " (give --credential-keys, or --network with its " + KEYS_FILE + ")", e);
        }
    }

    /** @return where {@code network init} keeps a listed key's private key */
    static Path privateKeyFile(Path network, CredentialKey key) {
        return network.resolve("credentials").resolve(key.organisation()).resolve(key.keyIdHex() + ".key");
    }
}
