package io.sluice.engine;

/** An engine that runs a query inside this process, on the calling worker thread. */
public non-sealed interface LocalEngine extends Engine {

    /**
     * Runs the query to its end, streaming the result into {@code sink}.
     *
     * <p>Called on a Sluice worker thread, once per run. Blocks until the query ends. When
     * {@code cancellation} fires, the engine interrupts the statement and throws; the query
     * service has already recorded the cancel, so the exception's content is not shown.
     *
     * @throws EngineException when the query fails or was interrupted
     */
    void execute(EngineQuery query, RowSink sink, Cancellation cancellation) throws EngineException;
}
