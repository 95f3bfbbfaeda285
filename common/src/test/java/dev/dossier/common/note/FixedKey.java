package dev.dossier.common.note;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/**
 * A fixed ECDSA P-256 cosigner key for the fuzz tests, so that the signed notes and receipts in their committed seed
 * corpora keep verifying. Test use only: the private key is public.
 */
public final class FixedKey {
    public static final String NAME = "fuzz-node1";

    private static final String PKCS8 =
            "MEECAQAwEwYHKoZIzj0CAQYIKoZIzj0DAQcEJzAlAgEBBCCyA+re5ehlC88WNhGXvTOFGwHaP2jGOFAO49E6AeN40A==";
    private static final String SPKI =
            "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEUkLb0hg/M4akd7j+JrRWdAJuPFAZxciJLJ7D+dKg9sqcJeO44f7qgB4CoE"
                    + "cSWhG8MUmZgFA0s5ciXT6b45IWDg==";

    private FixedKey() {}

    public static PublicKey publicKey() {
        try {
            return KeyFactory.getInstance("EC")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(SPKI)));
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /** @return the private key (public: test use only) */
    public static PrivateKey privateKey() {
        try {
            return KeyFactory.getInstance("EC")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(PKCS8)));
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /** @return the pinned key: {@link #NAME} and {@link #publicKey()} */
    public static NoteVerifier.Key key() {
        return new NoteVerifier.Key(NAME, publicKey());
    }

    /** @return a trust file of {@code origin} with this key as its only cosigner */
    public static TrustFile trust(String origin) {
        return new TrustFile(origin, 1, List.of(key()));
    }

    /** @return {@code text} signed with this key, in signed-note wire form */
    public static String sign(String text) {
        try {
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(privateKey());
            signer.update(text.getBytes(StandardCharsets.UTF_8));
            return SignedNote.of(text, List.of(new NoteSignature(NAME, NoteVerifier.keyId(publicKey()), signer.sign())))
                    .format();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
