package io.sluice.standin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FaultsShareTest {
    private final Faults faults = new Faults(new ManualClock(Instant.EPOCH));

    @Test
    void aShareFiresOnExactlyThatFractionOfMatchingCalls() {
        faults.internalErrors(0.25, "GetQueryExecution");

        long fired = IntStream.range(0, 100).filter(i -> faults.pickCallFault("GetQueryExecution").isPresent()).count();

        assertThat(fired).isEqualTo(25);
        assertThat(faults.pickCallFault("StartQueryExecution")).isEmpty();
    }

    @Test
    void queryFaultsAreSnapshotWhenAQueryIsSubmitted() {
        faults.completionDelay(Duration.ofSeconds(5)).completionDelay("slow", Duration.ofMinutes(1))
                .holdMatching("HOLD").queueDelay(Duration.ofSeconds(2));

        assertThat(faults.planFor("SELECT 'slow'").completionDelay()).isEqualTo(Duration.ofMinutes(1));
        assertThat(faults.planFor("SELECT 1").completionDelay()).isEqualTo(Duration.ofSeconds(5));
        assertThat(faults.planFor("SELECT 'HOLD'").hold()).isTrue();
        assertThat(faults.planFor("SELECT 1").queueDelay()).isEqualTo(Duration.ofSeconds(2));

        faults.reset();
        assertThat(faults.planFor("SELECT 'HOLD'")).isEqualTo(Faults.QueryPlan.none());
    }

    @Test
    void invalidSettingsAreRefused() {
        assertThatThrownBy(() -> faults.throttle(1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> faults.scanRate(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> faults.queueDelay(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }
}
