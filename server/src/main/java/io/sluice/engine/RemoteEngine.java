package io.sluice.engine;

import java.util.Collection;
import java.util.Map;

/**
 * An engine that runs queries in a remote service which is polled for their state (Athena).
 *
 * <p>Calls come from Sluice worker threads ({@link #start}, {@link #readResult}), from the one
 * poller thread ({@link #poll}) and from request threads ({@link #stop}); implementations are
 * thread-safe and keep no per-query state.
 */
public non-sealed interface RemoteEngine extends Engine {

    /**
     * Starts the query and returns the engine's id for it. Idempotent per
     * {@link EngineQuery#runToken()}: a retried start of the same run returns the same id and
     * never starts a second query.
     *
     * @throws EngineException when the engine refuses the query (a syntax error, say)
     */
    String start(EngineQuery query) throws EngineException;

    /**
     * Reports the state of many queries in as few calls as the service allows. Ids the service
     * does not know are missing from the answer.
     */
    Map<String, RemoteStatus> poll(Collection<String> engineQueryIds) throws EngineException;

    /** Stops the query; stopping a query that already ended succeeds and changes nothing. */
    void stop(String engineQueryId) throws EngineException;

    /** Streams the full result of a succeeded query into the sink. */
    void readResult(String engineQueryId, RowSink sink) throws EngineException;

    /**
     * Streams the full result of a query that {@code succeeded} says has succeeded, using what that
     * status carries (its {@link RemoteStatus#result() handle}) instead of asking the engine again.
     * Called by a worker once the poller saw the query succeed.
     */
    default void readResult(String engineQueryId, RemoteStatus succeeded, RowSink sink) throws EngineException {
        readResult(engineQueryId, sink);
    }

    /** Data scanned past which the poller stops a query; {@code Long.MAX_VALUE} for no limit. */
    default long maxScannedBytes() {
        return Long.MAX_VALUE;
    }

    /** How often the poller should ask, at most. */
    default java.time.Duration pollInterval() {
        return java.time.Duration.ofSeconds(1);
    }

    /**
     * The time from the start of one poller round to the start of the next when
     * {@code activeQueries} are polled: {@link #pollInterval()}, or longer where the engine's call
     * budget would be passed. Called by the poller thread after every successful round.
     */
    default java.time.Duration roundInterval(int activeQueries) {
        return pollInterval();
    }

    /**
     * As {@link #roundInterval(int)} for an instance that shares the engine's call budget evenly
     * with {@code sharingInstances - 1} others (several Sluice instances on one account).
     */
    default java.time.Duration roundInterval(int activeQueries, int sharingInstances) {
        return roundInterval(activeQueries);
    }
}
