package dev.dossier.common.note;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CheckpointTest {
    private static final String ROOT = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

    @Test
    void parse_text_roundTrips() throws Exception {
        Checkpoint checkpoint = Checkpoint.parse("dossier/dossier/notary\n5\n" + ROOT + "\ntime 1795000000\n");

        assertThat(checkpoint.origin()).isEqualTo("dossier/dossier/notary");
        assertThat(Checkpoint.parse(checkpoint.text())).isEqualTo(checkpoint);
    }

    @Test
    void parse_originWithControlCharacter_throwsNoteException() {
        assertThatThrownBy(() -> Checkpoint.parse("dossier/n\u0000y\n5\n" + ROOT + "\ntime 1795000000\n"))
                .isInstanceOf(NoteException.class)
                .hasMessage("checkpoint origin contains a control character");
    }
}
