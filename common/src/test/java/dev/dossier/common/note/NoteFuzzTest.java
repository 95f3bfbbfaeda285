package dev.dossier.common.note;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Fuzzes the parsers of signed notes, checkpoints and trust files: whatever the input, they return a value or throw
 * {@link NoteException}, and what they return survives a round trip through its text form. Seeds are in {@code
 * src/test/resources/dev/dossier/common/note/NoteFuzzTestInputs/<method>/}.
 */
class NoteFuzzTest {
    private static final String ORIGIN = "dossier/dossier/notary";
    private static final NoteVerifier VERIFIER = FixedKey.trust(ORIGIN).verifier();

    @FuzzTest
    void signedNote(byte[] data) {
        SignedNote note;
        try {
            note = SignedNote.parse(new String(data, StandardCharsets.UTF_8));
        } catch (NoteException e) {
            return;
        }
        SignedNote again = parseOrFail(note.format());
        assertThat(again.text()).isEqualTo(note.text());
        assertThat(again.signatures()).isEqualTo(note.signatures());
        try {
            Set<String> signers = VERIFIER.verify(note);
            assertThat(signers).containsExactly(FixedKey.NAME);
        } catch (NoteException e) {
            // not signed by the pinned key: refused, as it must be
        }
    }

    @FuzzTest
    void checkpoint(byte[] data) {
        Checkpoint checkpoint;
        try {
            checkpoint = Checkpoint.parse(new String(data, StandardCharsets.UTF_8));
        } catch (NoteException e) {
            return;
        }
        try {
            assertThat(Checkpoint.parse(checkpoint.text())).isEqualTo(checkpoint);
        } catch (NoteException e) {
            throw new AssertionError("the text of a parsed checkpoint does not parse: " + checkpoint.text(), e);
        }
    }

    @FuzzTest
    void trustFile(byte[] data) {
        TrustFile trust;
        try {
            trust = TrustFile.parse(new String(data, StandardCharsets.UTF_8));
        } catch (NoteException e) {
            return;
        }
        try {
            assertThat(TrustFile.parse(trust.format())).isEqualTo(trust);
        } catch (NoteException e) {
            throw new AssertionError("the text of a parsed trust file does not parse: " + trust.format(), e);
        }
        assertThat(trust.verifier().required()).isBetween(1, trust.keys().size());
    }

    private static SignedNote parseOrFail(String text) {
        try {
            return SignedNote.parse(text);
        } catch (NoteException e) {
            throw new AssertionError("the wire form of a parsed note does not parse: " + text, e);
        }
    }
}
