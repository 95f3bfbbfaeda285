package dev.dossier.node.identity;

import com.google.protobuf.ByteString;
import dev.dossier.crypto.testing.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * An organisation for tests of other packages (the gateway's fuzz tests): a fresh CA, its MSP and one user. Keys are
 * generated per instance, so nothing signed by one run verifies in another.
 */
public final class TestOrganisation {
    private final String mspId;
    private final TestPki.Ca ca;
    private final TestPki.Leaf user;

    private final Signer userSigner;

    private TestOrganisation(String mspId) {
        this.mspId = mspId;
        this.ca = TestPki.Ca.create("ca." + mspId.toLowerCase(Locale.ROOT) + ".test");
        this.user = ca.issue("User1@" + mspId.toLowerCase(Locale.ROOT) + ".test");
        try {
            Path directory = Files.createTempDirectory("dossier-test-org");
            try {
                this.userSigner = TestMsps.signer(user, mspId, directory);
            } finally {
                try (Stream<Path> files = Files.list(directory)) {
                    for (Path file : files.toList()) {
                        Files.delete(file);
                    }
                }
                Files.delete(directory);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static TestOrganisation create(String mspId) {
        return new TestOrganisation(mspId);
    }

    /** @return a validator accepting this organisation's identities */
    public IdentityValidator validator() {
        return new IdentityValidator(List.of(TestMsps.msp(ca, mspId)));
    }

    /** @return the user's signer */
    public Signer userSigner() {
        return userSigner;
    }

    /** @return the user's serialized identity, as a signature header's creator */
    public ByteString userIdentity() {
        return TestMsps.serializedIdentity(user, mspId);
    }
}
