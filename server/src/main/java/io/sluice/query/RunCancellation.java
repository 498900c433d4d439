package io.sluice.query;

import io.sluice.engine.Cancellation;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/** The cancel switch of one local run; fires its interrupt at most once. */
final class RunCancellation implements Cancellation {

    private final AtomicBoolean cancelled = new AtomicBoolean();
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

    void cancel() {
        if (cancelled.compareAndSet(false, true)) {
            fire();
        }
    }

    private void fire() {
        Runnable action = interrupt.getAndSet(null);
        if (action != null) {
            action.run();
        }
    }
}
