package io.sluice.query;

import io.sluice.engine.Cancellation;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The cancel switch of one local run. Registered before the run is marked RUNNING and ended when
 * its worker leaves, so a cancel stored at any moment in between finds it.
 *
 * <p>An interrupt can be lost: DuckDB drops {@code Statement.cancel()} on a statement that has not
 * started executing yet, and the engine cannot check the switch once it is blocked in
 * {@code execute}. So after a cancel the interrupt fires again, with growing pauses, until the
 * worker leaves the run.
 */
public final class RunCancellation implements Cancellation {

    static final long FIRST_REPEAT_MILLIS = 10;
    static final long MAX_REPEAT_MILLIS = 1_000;

    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final AtomicReference<Runnable> interrupt = new AtomicReference<>();

    @Override
    public boolean isCancelled() {
        return cancelled.get();
    }

    @Override
    public void onCancel(Runnable action) {
        interrupt.set(action);
        if (cancelled.get()) {
            fire();
        }
    }

    /**
     * Cancels the run: fires the interrupt now, and again on {@code timers} until {@link #ended()}.
     * A second cancel does nothing.
     */
    public void cancel(ScheduledExecutorService timers) {
        if (cancelled.compareAndSet(false, true)) {
            fire();
            repeat(timers, FIRST_REPEAT_MILLIS);
        }
    }

    /** The worker left the run: nothing is left to interrupt. */
    public void ended() {
        ended.set(true);
    }

    private void repeat(ScheduledExecutorService timers, long delayMillis) {
        if (ended.get() || timers.isShutdown()) {
            return;
        }
        try {
            timers.schedule(() -> {
                if (!ended.get()) {
                    fire();
                    repeat(timers, Math.min(MAX_REPEAT_MILLIS, delayMillis * 2));
                }
            }, delayMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // shutting down: close() cancels what still runs
        }
    }

    private void fire() {
        Runnable action = interrupt.get();
        if (action != null && !ended.get()) {
            action.run();
        }
    }
}
