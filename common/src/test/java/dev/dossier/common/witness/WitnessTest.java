package dev.dossier.common.witness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dossier.common.merkle.ReferenceTree;
import dev.dossier.common.merkle.Rfc9162;
import dev.dossier.common.note.Checkpoint;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class WitnessTest {
    private static final String ORIGIN = "dossier/dossier/notary";
    private static final List<byte[]> LOG = leaves("leaf", 16);
    /** The same first 6 leaves, then others: a fork of the log. */
    private static final List<byte[]> FORK = fork();

    private static List<byte[]> leaves(String prefix, int n) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Rfc9162.leafHash((prefix + " " + i).getBytes()));
        }
        return out;
    }

    private static List<byte[]> fork() {
        List<byte[]> out = new ArrayList<>(LOG.subList(0, 6));
        out.addAll(leaves("forked", 10));
        return out;
    }

    private static Checkpoint at(List<byte[]> tree, int size) {
        return new Checkpoint(ORIGIN, size, ReferenceTree.mth(tree.subList(0, size)), 1_795_000_000L + size);
    }

    private static Witness.ProofSource proofsOf(List<byte[]> tree) {
        return (from, to) -> ReferenceTree.proof((int) from, tree.subList(0, (int) to));
    }

    private static final Witness.ProofSource OFFLINE = (from, to) -> {
        throw new IOException("offline");
    };

    @Test
    void check_everyPairOfSizesOfOneLog_isConsistent() throws Exception {
        for (int m = 1; m <= LOG.size(); m++) {
            for (int n = 1; n <= LOG.size(); n++) {
                Witness.Relation expected =
                        n == m ? Witness.Relation.SAME : n > m ? Witness.Relation.NEWER : Witness.Relation.OLDER;
                assertThat(Witness.check(at(LOG, m), at(LOG, n), proofsOf(LOG)))
                        .as(m + " then " + n)
                        .isEqualTo(expected);
            }
        }
    }

    @Test
    void check_sameSizeAnotherRoot_isASplitView_withoutAskingAnyone() {
        assertThatThrownBy(() -> Witness.check(at(LOG, 12), at(FORK, 12), OFFLINE))
                .isInstanceOf(SplitViewException.class)
                .hasMessageContaining("split view")
                .hasMessageContaining("two different roots for the same size 12")
                .hasMessageContaining(HexFormat.of().formatHex(at(LOG, 12).root()))
                .hasMessageContaining(HexFormat.of().formatHex(at(FORK, 12).root()))
                .satisfies(e -> {
                    SplitViewException split = (SplitViewException) e;
                    assertThat(split.remembered()).isEqualTo(at(LOG, 12));
                    assertThat(split.presented()).isEqualTo(at(FORK, 12));
                });
    }

    @Test
    void check_aForkOfAnotherSize_isASplitView_whicheverProofTheNodeGives() {
        for (Witness.ProofSource proofs : List.of(proofsOf(LOG), proofsOf(FORK))) {
            assertThatThrownBy(() -> Witness.check(at(LOG, 9), at(FORK, 14), proofs))
                    .isInstanceOf(SplitViewException.class)
                    .hasMessageContaining("is not proved a prefix");
            assertThatThrownBy(() -> Witness.check(at(LOG, 14), at(FORK, 9), proofs))
                    .isInstanceOf(SplitViewException.class)
                    .hasMessageContaining("the tree of 9 leaves is not proved a prefix of the tree of 14");
        }
        assertThatThrownBy(() -> Witness.check(at(LOG, 9), at(FORK, 14), (from, to) -> List.of()))
                .isInstanceOf(SplitViewException.class);
    }

    @Test
    void check_aForkAfterTheRememberedSize_isConsistentWithIt() throws Exception {
        // a verifier that has seen only the common prefix cannot tell; one that saw both branches can
        assertThat(Witness.check(at(LOG, 6), at(FORK, 14), proofsOf(FORK))).isEqualTo(Witness.Relation.NEWER);
    }

    @Test
    void check_withoutAProof_leavesTheQuestionOpen() {
        assertThatThrownBy(() -> Witness.check(at(LOG, 6), at(LOG, 14), OFFLINE))
                .isInstanceOf(IOException.class)
                .hasMessage("offline");
    }

    @Test
    void check_emptyTrees_andOtherLogs() throws Exception {
        Checkpoint empty = new Checkpoint(ORIGIN, 0, Rfc9162.emptyRoot(), 1);
        assertThat(Witness.check(empty, at(LOG, 3), OFFLINE)).isEqualTo(Witness.Relation.NEWER);
        assertThat(Witness.check(at(LOG, 3), empty, OFFLINE)).isEqualTo(Witness.Relation.OLDER);
        Checkpoint notEmpty = new Checkpoint(ORIGIN, 0, at(LOG, 1).root(), 1);
        assertThatThrownBy(() -> Witness.check(at(LOG, 3), notEmpty, OFFLINE))
                .isInstanceOf(SplitViewException.class)
                .hasMessageContaining("not the empty root");
        Checkpoint other = new Checkpoint("other/log", 3, at(LOG, 3).root(), 1);
        assertThatThrownBy(() -> Witness.check(at(LOG, 3), other, OFFLINE))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
