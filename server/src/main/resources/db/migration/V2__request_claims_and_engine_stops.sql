-- A synchronous request id is claimed atomically per user: while a query with a request id is
-- active (QUEUED or RUNNING), active_request_id holds that id and the unique index below refuses a
-- second active query of the same user with the same id. A terminal query sets it back to NULL, so
-- the id may be used again. (Every database here allows many NULLs in a unique index.) Rows stored
-- before this migration keep NULL: a request id active across the upgrade is not protected.
ALTER TABLE queries ADD active_request_id VARCHAR(255);
CREATE UNIQUE INDEX ux_queries_owner_active_request ON queries (owner, active_request_id);

-- A remote run stopped by Sluice (cancel, time limit, scan limit) keeps stop_requested TRUE from
-- the moment its end is stored until the engine has confirmed that the query ended and its final
-- statistics (the bytes it scanned until the stop: what it is billed for) are stored. Whoever polls
-- the run delivers the stop, also after a crash between the cancel and the engine's stop call.
ALTER TABLE queries ADD stop_requested BOOLEAN DEFAULT FALSE NOT NULL;
CREATE INDEX ix_queries_stop_requested ON queries (stop_requested, engine);
