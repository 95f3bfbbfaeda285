package dev.dossier.node.ordering;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FollowerStallTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long LIMIT = FollowerStall.LIMIT.toSeconds() * SECOND;

    @Test
    void leaderAheadOfLogAndLedger_withNeitherMoving_isAStallOnceTheLimitHasPassed() {
        FollowerStall stall = new FollowerStall();
        assertThat(stall.stalled(0, 4, 2, 2)).isFalse();
        assertThat(stall.stalled(LIMIT - 1, 4, 2, 2)).isFalse();
        assertThat(stall.stalled(LIMIT, 4, 2, 2)).isTrue();
        assertThat(stall.stalled(LIMIT + SECOND, 4, 2, 2)).isTrue();
    }

    @Test
    void anyProgressOfTheLogOrTheLedger_startsTheCountAgain() {
        FollowerStall stall = new FollowerStall();
        stall.stalled(0, 100, 2, 2);
        assertThat(stall.stalled(LIMIT - 1, 100, 3, 2)).isFalse(); // an entry appended
        assertThat(stall.stalled(2 * LIMIT - 2, 100, 3, 2)).isFalse();
        assertThat(stall.stalled(2 * LIMIT - 1, 100, 3, 3)).isFalse(); // a block fetched (a catch-up under way)
        assertThat(stall.stalled(3 * LIMIT - 2, 100, 3, 3)).isFalse();
        assertThat(stall.stalled(3 * LIMIT - 1, 100, 3, 3)).isTrue();
    }

    @Test
    void followerThatHoldsWhatTheLeaderCommitted_orHasNoLeader_isNeverStalled() {
        FollowerStall stall = new FollowerStall();
        for (long t = 0; t <= 3 * LIMIT; t += SECOND) {
            assertThat(stall.stalled(t, 7, 7, 5)).isFalse(); // idle network: nothing to follow
            assertThat(stall.stalled(t, 7, 5, 7)).isFalse(); // caught up from blocks, log behind its ledger
            assertThat(stall.stalled(t, -1, 2, 2)).isFalse(); // no leader, or not a follower
        }
    }

    @Test
    void catchingUpForALongTime_thenFallingQuiet_countsFromTheLastProgress() {
        FollowerStall stall = new FollowerStall();
        long t = 0;
        for (long ledger = 0; ledger < 40; ledger++, t += SECOND) {
            assertThat(stall.stalled(t, 100, 2, ledger)).isFalse();
        }
        long quietFrom = t - SECOND;
        assertThat(stall.stalled(quietFrom + LIMIT - 1, 100, 2, 39)).isFalse();
        assertThat(stall.stalled(quietFrom + LIMIT, 100, 2, 39)).isTrue();
        stall.reset();
        assertThat(stall.stalled(quietFrom + LIMIT + SECOND, 100, 2, 39)).isFalse();
    }
}
