-- The local result cache (engines.<name>.localCacheTtlSeconds). cache_key is the SHA-256 (hex) of a
-- query's normalized SQL, engine, catalog, database and workgroup; a new query with the same key is
-- answered from the newest succeeded, complete run of one within the TTL. The index serves that lookup.
-- cached_from_query / cached_from_run name the run whose result answered a cache hit and saved_usd
-- the cost it did not pay again; query_runs has the same columns (V9), queries holds the latest run's.
ALTER TABLE queries ADD COLUMN cache_key VARCHAR(64);
ALTER TABLE queries ADD COLUMN cached_from_query VARCHAR(64);
ALTER TABLE queries ADD COLUMN cached_from_run INTEGER;
ALTER TABLE queries ADD COLUMN saved_usd DOUBLE PRECISION;
CREATE INDEX ix_queries_cache_key ON queries (cache_key);
