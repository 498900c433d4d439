-- TEMPORARY: the local result cache's columns of a run, which the usage part's V9 creates. The merger
-- drops this file in favour of that one.
ALTER TABLE query_runs ADD COLUMN cached_from_query VARCHAR(64);
ALTER TABLE query_runs ADD COLUMN cached_from_run INTEGER;
ALTER TABLE query_runs ADD COLUMN saved_usd DOUBLE PRECISION;
