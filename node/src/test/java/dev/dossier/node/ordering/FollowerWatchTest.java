package dev.dossier.node.ordering;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FollowerWatchTest {
    private static final long SECOND = 1_000_000_000L;
    private final FollowerWatch watch = new FollowerWatch(Duration.ofSeconds(15), Duration.ofSeconds(8));

    private static FollowerWatch.Follower follower(long match, long next, long secondsSinceAnswer) {
        return new FollowerWatch.Follower("b", match, next, Duration.ofSeconds(secondsSinceAnswer));
    }

    @Test
    void followerThatAnswersButTakesNoEntry_whileItLacksCommittedOnes_isStalledAfterTheBound() {
        // the leader holds it at entry 2 while entries up to 8 are committed; it answers every 5 s
        assertThat(watch.check(3, 8, 0, List.of(follower(2, 3, 0)), 0)).isEmpty();
        assertThat(watch.check(3, 8, 0, List.of(follower(2, 3, 5)), 10 * SECOND))
                .isEmpty();
        var stalled = watch.check(3, 8, 0, List.of(follower(2, 3, 1)), 15 * SECOND);
        assertThat(stalled).hasValueSatisfying(s -> {
            assertThat(s.name()).isEqualTo("b");
            assertThat(s.matchIndex()).isEqualTo(2);
            assertThat(s.commitIndex()).isEqualTo(8);
            assertThat(s.stalledFor()).isEqualTo(Duration.ofSeconds(15));
        });
    }

    @Test
    void followerWhoseMatchIndexMoves_isNotStalled() {
        for (int second = 0; second <= 60; second++) {
            // always behind (entries keep coming), but taking them
            assertThat(watch.check(3, second + 10, 0, List.of(follower(second, second + 1, 0)), second * SECOND))
                    .isEmpty();
        }
    }

    @Test
    void followerWhoseLogTheLeaderProbes_isNotStalled() {
        for (int second = 0; second <= 60; second++) {
            // the leader's next index for it moves down one entry a second: the probe goes on
            assertThat(watch.check(3, 100, 0, List.of(follower(2, 99 - second, 0)), second * SECOND))
                    .isEmpty();
        }
    }

    @Test
    void followerStalled_whileTheLeadersNextIndexForItGoesUpAndBack() {
        for (int second = 0; second < 15; second++) {
            // entries sent from 3 raise the next index to 9; the follower's answer sets it back to 3
            assertThat(watch.check(3, 8, 0, List.of(follower(2, second % 2 == 0 ? 3 : 9, 0)), second * SECOND))
                    .isEmpty();
        }
        assertThat(watch.check(3, 8, 0, List.of(follower(2, 9, 0)), 15 * SECOND))
                .isPresent();
    }

    @Test
    void followerThatHoldsEveryCommittedEntry_isNotStalled() {
        for (int second = 0; second <= 60; second += 5) {
            assertThat(watch.check(3, 8, 0, List.of(follower(8, 9, 0)), second * SECOND))
                    .isEmpty();
        }
    }

    @Test
    void followerThatIsDown_isNotStalled_andItsClockStartsAgainWhenItAnswers() {
        assertThat(watch.check(3, 8, 0, List.of(follower(2, 3, 0)), 0)).isEmpty();
        // down: its last answer is 9 s old and getting older
        assertThat(watch.check(3, 8, 0, List.of(follower(2, 3, 9)), 9 * SECOND)).isEmpty();
        assertThat(watch.check(3, 8, 0, List.of(follower(2, 3, 30)), 30 * SECOND))
                .isEmpty();
        // back, answering: 14 s after it was last seen down it is not stalled yet, at 15 s it is
        assertThat(watch.check(3, 8, 0, List.of(follower(2, 3, 0)), 31 * SECOND))
                .isEmpty();
        assertThat(watch.check(3, 8, 0, List.of(follower(2, 3, 2)), 44 * SECOND))
                .isEmpty();
        assertThat(watch.check(3, 8, 0, List.of(follower(2, 3, 2)), 45 * SECOND))
                .isPresent();
    }

    @Test
    void followerCatchingUpFromBlocks_isNotStalled() {
        // its next entry is no longer in the leader's log (which starts at 50): Ratis has it fetch blocks meanwhile
        for (int second = 0; second <= 60; second += 5) {
            assertThat(watch.check(3, 80, 50, List.of(follower(2, 3, 0)), second * SECOND))
                    .isEmpty();
        }
    }

    @Test
    void aNewTerm_forgetsWhatWasSeen() {
        assertThat(watch.check(3, 8, 0, List.of(follower(2, 3, 0)), 0)).isEmpty();
        assertThat(watch.check(4, 8, 0, List.of(follower(2, 3, 0)), 14 * SECOND))
                .isEmpty();
        assertThat(watch.check(4, 8, 0, List.of(follower(2, 3, 0)), 28 * SECOND))
                .isEmpty();
        assertThat(watch.check(4, 8, 0, List.of(follower(2, 3, 0)), 29 * SECOND))
                .isPresent();
    }

    @Test
    void reset_forgetsWhatWasSeen() {
        assertThat(watch.check(3, 8, 0, List.of(follower(2, 3, 0)), 0)).isEmpty();
        watch.reset();
        assertThat(watch.check(3, 8, 0, List.of(follower(2, 3, 0)), 15 * SECOND))
                .isEmpty();
        assertThat(watch.check(3, 8, 0, List.of(follower(2, 3, 0)), 30 * SECOND))
                .isPresent();
    }
}
