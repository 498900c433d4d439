-- Cost control. warnings: what the submit checks (budgets) warned of, as JSON
-- [{"code": ..., "params": {...}}], NULL for none. max_scan_bytes: the query's own scan cap
-- (maxScanGb on submit), NULL for the engine's alone.
ALTER TABLE queries ADD warnings ${long_text};
ALTER TABLE queries ADD max_scan_bytes BIGINT;

-- A run answered from the local result cache: the query and run whose stored result it copied,
-- and the cost that source run had (what the cache saved). NULL for a run that ran.
ALTER TABLE query_runs ADD cached_from_query VARCHAR(64);
ALTER TABLE query_runs ADD cached_from_run INTEGER;
ALTER TABLE query_runs ADD saved_usd DOUBLE PRECISION;

-- Usage and budgets add up runs by their submission time.
CREATE INDEX ix_query_runs_submitted ON query_runs (submitted_at);
