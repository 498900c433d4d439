package io.sluice.query;

/** What a cancel did: cancelled the run now, or found it already cancelled. */
public enum CancelOutcome {
    CANCELLED,
    ALREADY_CANCELLED
}
