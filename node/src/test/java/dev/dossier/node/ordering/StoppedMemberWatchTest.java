package dev.dossier.node.ordering;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StoppedMemberWatchTest {
    @Test
    void failedLog_isTheReason_evenOfAMemberItsGroupClosed() {
        // the restart after a failed log records what it may have lost: that must not depend on Ratis closing it too
        assertThat(StoppedMemberWatch.why(false, true)).isEqualTo(StoppedMemberWatch.LOG_FAILED);
        assertThat(StoppedMemberWatch.why(true, true)).isEqualTo(StoppedMemberWatch.LOG_FAILED);
    }

    @Test
    void closedMember_withAWritableLog_wasShutDown_andALiveOne_needsNoRestart() {
        assertThat(StoppedMemberWatch.why(false, false)).isEqualTo(StoppedMemberWatch.SHUT_DOWN);
        assertThat(StoppedMemberWatch.why(true, false)).isNull();
    }
}
