package io.sluice.query;

import io.sluice.access.Caller;

import java.util.List;

/**
 * A check run on every new query after its engine, catalog and database are known and before it is
 * stored: it may refuse the query (throw {@link io.sluice.api.ApiException}) or return warnings,
 * which are kept with the query.
 */
@FunctionalInterface
public interface SubmitCheck {

    List<Warning> check(Caller caller, PendingRun run);
}
