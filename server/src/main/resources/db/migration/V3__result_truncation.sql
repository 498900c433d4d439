-- Why a run's stored result holds less than its engine produced: it reached one of the engine's
-- result limits (engines.<name>.maxResultRows / maxResultBytes). The query still succeeded.
-- truncation_reason is MAX_RESULT_ROWS or MAX_RESULT_BYTES and truncation_limit that limit's value;
-- both NULL for a complete result (and for every run stored before results had limits).
ALTER TABLE queries ADD COLUMN truncation_reason VARCHAR(32);
ALTER TABLE queries ADD COLUMN truncation_limit BIGINT;
