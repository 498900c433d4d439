-- A user's queries in one state: the per-user queue and running limits count them on every submit,
-- and the history filters by state (e.g. what is still QUEUED or RUNNING). Without it both read
-- every query the user ever ran, and submits slow down as the history grows.
CREATE INDEX ix_queries_owner_state ON queries (owner, state, created_at);
