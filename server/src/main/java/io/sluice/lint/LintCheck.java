package io.sluice.lint;

import io.sluice.access.Caller;
import io.sluice.query.PendingRun;
import io.sluice.query.SubmitCheck;
import io.sluice.query.Warning;

import java.util.List;

/**
 * The linter's findings as warnings on every new query of an engine that prices its queries
 * (Athena): kept with the query and shown by submit and status. It never refuses a query; the web
 * editor asks {@code POST /api/query/lint} first and offers "Run anyway".
 */
public final class LintCheck implements SubmitCheck {

    private final QueryLinter linter;

    public LintCheck(QueryLinter linter) {
        this.linter = linter;
    }

    @Override
    public List<Warning> check(Caller caller, PendingRun run) {
        if (!run.engine().capabilities().cost()) {
            return List.of();
        }
        return linter.lint(run.sql(), run.engine(), run.catalog(), run.database()).stream()
                .map(LintFinding::warning).toList();
    }
}
