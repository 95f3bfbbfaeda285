package dev.dossier.credential;

import dev.dossier.common.hash.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * An organisation's credential-signing key (Ed25519) as {@code credential-keys.txt} lists it, one line:
 *
 * <pre>{@code
 * credential Org1MSP 1a2b3c4d5e6f7a8b 2026-01-01 2028-12-31 z6Mk...
 * }</pre>
 *
 * the organisation (MSP id), the key id (the first 8 bytes of SHA-256 of the 32 key bytes, hex), the first and last
 * day the key may sign (inclusive) and the key as {@code publicKeyMultibase}. In a controller document the key is the
 * verification method {@code <issuer DID>#key-<key id>}.
 */
public record CredentialKey(String organisation, LocalDate validFrom, LocalDate validTo, VerificationKey.Ed25519 key) {
    /** The first word of a credential key's line. */
    public static final String LINE_PREFIX = "credential ";

    public CredentialKey {
        Objects.requireNonNull(organisation, "organisation");
        Objects.requireNonNull(validFrom, "validFrom");
        Objects.requireNonNull(validTo, "validTo");
        Objects.requireNonNull(key, "key");
        if (!organisation.matches("[A-Za-z0-9._\\-]+")) {
            throw new IllegalArgumentException("organisation must be an MSP id of letters, digits, '.', '_' and '-',"
                    + " not '" + organisation + "'");
        }
        if (validTo.isBefore(validFrom)) {
            throw new IllegalArgumentException("key valid to " + validTo + ", before it is valid from " + validFrom);
        }
    }

    /** @return the key id, 16 lowercase hex digits */
    public String keyIdHex() {
        return HexFormat.of().formatHex(Sha256.of(key.key().encoded()), 0, 8);
    }

    /** @return the fragment of the key's verification method, {@code key-<key id>} */
    public String fragment() {
        return "key-" + keyIdHex();
    }

    /** @return whether the key may sign on {@code day} */
    public boolean validOn(LocalDate day) {
        return !day.isBefore(validFrom) && !day.isAfter(validTo);
    }

    /** @return the key's line */
    public String line() {
        return LINE_PREFIX + organisation + " " + keyIdHex() + " " + validFrom + " " + validTo + " " + key.multibase();
    }

    /**
     * @throws IllegalArgumentException saying what is wrong with the line
     */
    public static CredentialKey parse(String line) {
        Objects.requireNonNull(line, "line");
        String[] parts = line.strip().split(" ");
        if (parts.length != 6 || !parts[0].equals(LINE_PREFIX.strip())) {
            throw new IllegalArgumentException(
                    "a credential key line is 'credential <MSP id> <key id> <from> <to> <publicKeyMultibase>'");
        }
        VerificationKey key;
        LocalDate from;
        LocalDate to;
        try {
            key = VerificationKey.fromMultibase(parts[5]);
            from = LocalDate.parse(parts[3]);
            to = LocalDate.parse(parts[4]);
        } catch (InvalidKeyException | DateTimeException e) {
            throw new IllegalArgumentException("credential key line: " + e.getMessage(), e);
        }
        if (!(key instanceof VerificationKey.Ed25519 ed25519)) {
            throw new IllegalArgumentException("a credential key is Ed25519");
        }
        CredentialKey parsed = new CredentialKey(parts[1], from, to, ed25519);
        if (!parsed.keyIdHex().equals(parts[2])) {
            throw new IllegalArgumentException("key id " + parts[2] + " is not the key's (" + parsed.keyIdHex() + ")");
        }
        return parsed;
    }

    /**
     * Reads the credential key lines of a file ({@code credential-keys.txt}); other lines and comments are skipped.
     *
     * @return the keys, empty if the file does not exist
     * @throws IOException if the file cannot be read or a credential line is malformed (naming the line)
     */
    public static List<CredentialKey> load(Path file) throws IOException {
        if (file == null || !Files.exists(file)) {
            return List.of();
        }
        List<CredentialKey> keys = new ArrayList<>();
        int number = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            number++;
            if (line.startsWith(LINE_PREFIX)) {
                try {
                    keys.add(parse(line));
                } catch (IllegalArgumentException e) {
                    throw new IOException(file + " line " + number + ": " + e.getMessage(), e);
                }
            }
        }
        return keys;
    }
}
