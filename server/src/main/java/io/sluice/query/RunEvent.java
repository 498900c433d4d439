package io.sluice.query;

/** What happens to a run; {@link Lifecycle#TABLE} says from which status each moves it where. */
public enum RunEvent {
    /** A worker of the run's owner takes a waiting remote run (it starts it on the engine next). */
    CLAIM,
    /** A worker of the run's owner takes a waiting local run and executes it at once. */
    START_LOCAL,
    /** The remote engine accepted the run: its id is stored. */
    ENGINE_ACCEPTED,
    /** The engine reports the run waiting in its own queue. */
    ENGINE_QUEUED,
    /** The engine reports the run running (again). */
    ENGINE_RUNNING,
    /** New live statistics from the engine. */
    PROGRESS,
    /** The engine finished; the result is being stored. */
    STORE_RESULT,
    /** The result is stored. */
    SUCCEED,
    /** The engine or Sluice failed the run. */
    FAIL,
    /** The owner's user cancelled it, or a guardrail (the scan limit) stopped it. */
    CANCEL,
    /** The engine cancelled it (someone stopped it in the engine's own console). */
    ENGINE_CANCELLED,
    /** It ran past the engine's maximum runtime. */
    TIME_OUT,
    /** The instance that was starting it died before the engine accepted it: it waits again. */
    REQUEUE,
    /** A live instance takes the run over from a dead one; status unchanged. */
    ADOPT,
    /** A stopped remote run learns the engine id its start had produced (to deliver the stop). */
    ENGINE_ID_LEARNED,
    /** The engine confirmed the stop of an ended run; its final statistics are stored. */
    STOP_SETTLED,
    /** A new run of an ended query starts (the run number goes up). */
    REFRESH
}
