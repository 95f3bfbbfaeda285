package dev.dossier.node.ordering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.ratis.server.protocol.TermIndex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LostEntriesTest {
    @TempDir
    Path group;

    @Test
    void noRecord_votesForAnyCandidate() throws IOException {
        LostEntries lost = new LostEntries(group);
        lost.load();

        assertThat(lost.position()).isEmpty();
        assertThat(lost.allowsVoteFor(TermIndex.valueOf(0, 0))).isTrue();
        assertThat(lost.heldBy(TermIndex.valueOf(9, 99))).isFalse();
    }

    @Test
    void recordedLoss_refusesCandidatesLessRecent_asTheIntactLogWould() throws IOException {
        LostEntries.record(group, 3, 31); // entry 31 lost, found in term 3
        LostEntries lost = new LostEntries(group);
        lost.load();

        assertThat(lost.position()).contains(TermIndex.valueOf(3, 31));
        assertThat(lost.allowsVoteFor(TermIndex.valueOf(2, 30)))
                .as("shorter, older term")
                .isFalse();
        assertThat(lost.allowsVoteFor(TermIndex.valueOf(2, 40)))
                .as("longer but of an older term")
                .isFalse();
        assertThat(lost.allowsVoteFor(TermIndex.valueOf(3, 30)))
                .as("same term, shorter")
                .isFalse();
        assertThat(lost.allowsVoteFor(TermIndex.valueOf(3, 31)))
                .as("holds the lost entry")
                .isTrue();
        assertThat(lost.allowsVoteFor(TermIndex.valueOf(4, 20)))
                .as("a later term")
                .isTrue();
    }

    @Test
    void aLaterLoss_movesTheRecord_anEarlierOneDoesNot() throws IOException {
        LostEntries.record(group, 3, 31);
        LostEntries.record(group, 2, 40);
        assertThat(group.resolve(LostEntries.FILE)).hasContent("3 31");
        LostEntries.record(group, 5, 12);
        assertThat(group.resolve(LostEntries.FILE)).hasContent("5 12");
        assertThat(LostEntries.recorded(group)).isTrue();
    }

    @Test
    void logHoldingAnEntryAsRecent_clearsTheRecord_forThisStartAndTheNext() throws IOException {
        LostEntries.record(group, 3, 31);
        LostEntries lost = new LostEntries(group);
        lost.load();

        assertThat(lost.heldBy(TermIndex.valueOf(3, 30))).isFalse();
        assertThat(lost.heldBy(TermIndex.valueOf(4, 30)))
                .as("a later leader's entry")
                .isTrue();
        lost.clear(TermIndex.valueOf(4, 30));

        assertThat(lost.position()).isEmpty();
        assertThat(lost.allowsVoteFor(TermIndex.valueOf(1, 1))).isTrue();
        assertThat(LostEntries.recorded(group)).isFalse();
        LostEntries again = new LostEntries(group);
        again.load();
        assertThat(again.position()).isEmpty();
    }

    @Test
    void unreadableRecord_stopsTheStart_namingTheFile() throws IOException {
        Files.writeString(group.resolve(LostEntries.FILE), "3\n");
        LostEntries lost = new LostEntries(group);

        assertThatThrownBy(lost::load)
                .isInstanceOf(IOException.class)
                .hasMessageContaining(group.resolve(LostEntries.FILE).toString())
                .hasMessageContaining("'<term> <index>'");
    }
}
