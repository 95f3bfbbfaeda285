package dev.dossier.node.identity;

import com.google.protobuf.ByteString;
import dev.dossier.crypto.testing.TestPki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;

/** The node's view of {@link TestPki}'s authorities and leaves: MSPs, serialized identities and signers. */
final class TestMsps {
    private TestMsps() {}

    /** @return an MSP whose one root is {@code ca}, without revocation lists */
    static Msp msp(TestPki.Ca ca, String mspId) {
        return new Msp(mspId, List.of(ca.certificate()), List.of());
    }

    /** @return the serialized identity of {@code leaf}, as {@link Signer} serializes it */
    static ByteString serializedIdentity(TestPki.Leaf leaf, String mspId) {
        return Signer.serializedIdentity(mspId, leaf.certificate());
    }

    /** @return a serialized identity with arbitrary {@code id_bytes} */
    static ByteString serializedIdentity(String mspId, ByteString idBytes) {
        return SerializedIdentity.newBuilder()
                .setMspid(mspId)
                .setIdBytes(idBytes)
                .build()
                .toByteString();
    }

    /** @return a signer for {@code leaf}, read from PEM files written to {@code directory} */
    static Signer signer(TestPki.Leaf leaf, String mspId, Path directory) throws IOException {
        Path certificateFile =
                Files.writeString(Files.createTempFile(directory, "cert", ".pem"), leaf.certificatePem());
        Path keyFile = Files.writeString(Files.createTempFile(directory, "key", ".pem"), leaf.keyPem());
        return Signer.fromPem(mspId, certificateFile, keyFile);
    }
}
