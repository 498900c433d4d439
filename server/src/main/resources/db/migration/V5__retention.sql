-- Retention (retention.resultDays, retention.historyDays).
-- result_removed_at: when retention removed the run's stored result (epoch millis); NULL while the
-- result is kept (or the run never had one). The API then says why the result is gone, and
-- retention does not visit the run again. A refresh starts a new run with a result of its own.
ALTER TABLE query_runs ADD COLUMN result_removed_at BIGINT;

-- The runs whose result retention removes next, and the queries history retention removes next:
-- ended long enough ago, oldest first.
CREATE INDEX ix_query_runs_ended ON query_runs (state, completed_at);
CREATE INDEX ix_queries_ended ON queries (state, completed_at);

-- Cluster-wide named leases: the one instance that does a job (e.g. "retention") at a time. An
-- instance holds a lease until expires_at (epoch millis, its own clock) and renews it while it
-- works; once it has expired any live instance may take it.
CREATE TABLE sluice_leases (
    name       VARCHAR(64)  NOT NULL,
    holder     VARCHAR(255) NOT NULL,
    expires_at BIGINT       NOT NULL,
    PRIMARY KEY (name)
)${table_options};
