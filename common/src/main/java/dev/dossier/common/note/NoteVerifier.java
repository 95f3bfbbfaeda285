package dev.dossier.common.note;

import dev.dossier.common.hash.Sha256;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Verifies signed notes against pinned ECDSA P-256 keys (C2SP signed-note signature type 0x02: ECDSA with SHA-256
 * over the note text, DER signature; key ID = the first four bytes of SHA-256 of the key's DER SubjectPublicKeyInfo).
 * A note is accepted when at least {@code required} distinct pinned keys signed it and no signature line of a pinned
 * key fails; lines from unknown keys are ignored, as the specification requires.
 */
public final class NoteVerifier {
    /** The C2SP signed-note signature type of ECDSA P-256 with SHA-256. */
    static final byte ECDSA_TYPE = 0x02;

    private final List<Key> keys;
    private final int required;

    /** A pinned verifier key: its name and P-256 public key. */
    public record Key(String name, PublicKey publicKey) {
        public Key {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(publicKey, "publicKey");
            if (!(publicKey instanceof ECPublicKey ec)
                    || ec.getParams().getCurve().getField().getFieldSize() != 256) {
                throw new IllegalArgumentException("not a P-256 public key: " + name);
            }
        }

        /** @return the C2SP key ID: SHA-256(DER SubjectPublicKeyInfo)[:4], big-endian */
        public int keyId() {
            return NoteVerifier.keyId(publicKey);
        }

        /**
         * @return the verifier key in C2SP form: {@code <name>+<8 hex digits of the key ID>+<base64(0x02 || DER
         *     SubjectPublicKeyInfo)>}
         */
        public String vkey() {
            byte[] spki = publicKey.getEncoded();
            byte[] typed = new byte[spki.length + 1];
            typed[0] = ECDSA_TYPE;
            System.arraycopy(spki, 0, typed, 1, spki.length);
            return name + "+" + String.format("%08x", keyId()) + "+"
                    + Base64.getEncoder().encodeToString(typed);
        }

        /**
         * Parses a verifier key written by {@link #vkey()}.
         *
         * @throws NoteException if it is malformed, not an ECDSA P-256 key, or its key ID does not match the key
         */
        public static Key parse(String vkey) throws NoteException {
            Objects.requireNonNull(vkey, "vkey");
            String[] parts = vkey.strip().split("\\+", 3);
            if (parts.length != 3 || parts[0].isEmpty() || !parts[1].matches("[0-9a-f]{8}")) {
                throw new NoteException("verifier key is not '<name>+<8 hex key id>+<base64 key>': " + vkey);
            }
            byte[] typed;
            try {
                typed = Base64.getDecoder().decode(parts[2]);
            } catch (IllegalArgumentException e) {
                throw new NoteException("verifier key of " + parts[0] + " is not base64");
            }
            if (typed.length < 2 || typed[0] != ECDSA_TYPE) {
                throw new NoteException("verifier key of " + parts[0] + " is not of type 0x02 (ECDSA P-256)");
            }
            Key key;
            try {
                PublicKey publicKey = KeyFactory.getInstance("EC")
                        .generatePublic(new X509EncodedKeySpec(Arrays.copyOfRange(typed, 1, typed.length)));
                key = new Key(parts[0], publicKey);
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                throw new NoteException(
                        "verifier key of " + parts[0] + " is not an ECDSA P-256 key: " + e.getMessage());
            }
            if (key.keyId() != Integer.parseUnsignedInt(parts[1], 16)) {
                throw new NoteException("verifier key of " + parts[0] + " has key ID " + parts[1]
                        + ", but its key's is " + String.format("%08x", key.keyId()));
            }
            return key;
        }
    }

    /**
     * @param keys the pinned keys
     * @param required how many distinct pinned keys must have signed (at least 1)
     */
    public NoteVerifier(List<Key> keys, int required) {
        this.keys = List.copyOf(keys);
        if (required < 1 || required > this.keys.size()) {
            throw new IllegalArgumentException("required signatures " + required + " not in [1, " + keys.size() + "]");
        }
        this.required = required;
    }

    /** @return the pinned keys */
    public List<Key> keys() {
        return keys;
    }

    /** @return how many distinct pinned keys must sign */
    public int required() {
        return required;
    }

    /** @return the C2SP key ID of an ECDSA public key */
    public static int keyId(PublicKey publicKey) {
        return ByteBuffer.wrap(Sha256.of(publicKey.getEncoded()), 0, 4).getInt();
    }

    /**
     * @return the names of the pinned keys whose signatures verified
     * @throws NoteException if a pinned key's signature fails, or fewer than the required keys signed
     */
    public Set<String> verify(SignedNote note) throws NoteException {
        byte[] text = note.text().getBytes(StandardCharsets.UTF_8);
        Set<String> verified = new HashSet<>();
        for (NoteSignature line : note.signatures()) {
            for (Key key : keys) {
                if (!key.name().equals(line.keyName()) || key.keyId() != line.keyId()) {
                    continue;
                }
                if (!verifies(key.publicKey(), text, line.signature())) {
                    throw new NoteException("signature of " + key.name() + " does not verify");
                }
                verified.add(key.name());
            }
        }
        if (verified.size() < required) {
            throw new NoteException(
                    "signed by " + verified.size() + " pinned key(s) " + verified + ", " + required + " required");
        }
        return verified;
    }

    private static boolean verifies(PublicKey key, byte[] text, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(key);
            verifier.update(text);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
