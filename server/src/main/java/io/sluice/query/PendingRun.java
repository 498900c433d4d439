package io.sluice.query;

import io.sluice.engine.Engine;

/** A query about to be stored and run: what the {@link SubmitCheck}s look at. */
public record PendingRun(Engine engine, String catalog, String database, String sql, Submission submission) {
}
