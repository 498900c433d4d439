package io.sluice.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that runs like the real one from a chosen instant on, and that tests move ahead by hand:
 * time keeps passing (timeouts, polls) while a test puts the server in the month it needs.
 */
public final class ShiftedClock extends Clock {

    private final AtomicReference<Duration> shift;

    /** The real time, until a test shifts it. */
    public ShiftedClock() {
        this.shift = new AtomicReference<>(Duration.ZERO);
    }

    /** Reads {@code start} now, and runs on from there. */
    public ShiftedClock(Instant start) {
        this.shift = new AtomicReference<>(Duration.between(Instant.now(), start));
    }

    /** From now on, the real time plus {@code shift} (zero: the real time again). */
    public void shiftTo(Duration shift) {
        this.shift.set(shift);
    }

    public void advance(Duration by) {
        shift.updateAndGet(s -> s.plus(by));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(shift.get());
    }
}
