-- Every run of every query. A refresh starts a new run; the earlier ones keep their state,
-- timestamps, statistics, cost and error for good (their stored results may be removed). The
-- queries row still carries its latest run's fields (history filters and the compare-and-set work
-- on it); both are written in one transaction, so they never disagree.
-- phase: where an active run stands beyond its public state: WAITING (queued, no worker yet),
-- STARTING (a worker took it, the engine has not accepted it yet; shown as QUEUED),
-- ENGINE_QUEUED (the engine holds it in its own queue), EXECUTING, STORING_RESULT (the engine
-- finished, the result is being stored; shown as RUNNING). NULL for an ended run.
CREATE TABLE query_runs (
    query_id         VARCHAR(64)  NOT NULL,
    run              INTEGER      NOT NULL,
    state            VARCHAR(16)  NOT NULL,
    phase            VARCHAR(32),
    engine_query_id  VARCHAR(255),
    claimed_by       VARCHAR(255),
    submitted_at     BIGINT       NOT NULL,
    started_at       BIGINT,
    completed_at     BIGINT,
    queue_millis     BIGINT,
    execution_millis BIGINT,
    result_rows      BIGINT,
    result_bytes     BIGINT,
    scanned_bytes    BIGINT,
    cost_usd         DOUBLE PRECISION,
    result_reused    BOOLEAN,
    error_code       VARCHAR(128),
    error_message    ${long_text},
    error_details    ${long_text},
    stop_requested   BOOLEAN      DEFAULT FALSE NOT NULL,
    truncation_reason VARCHAR(32),
    truncation_limit BIGINT,
    version          BIGINT       NOT NULL,
    PRIMARY KEY (query_id, run)
)${table_options};

ALTER TABLE queries ADD phase VARCHAR(32);

-- Rows of the previous schema: a queued run either waits (no engine id) or sits in its engine's
-- own queue; a running one executes. (A remote run a worker claimed but whose engine id was never
-- stored was shown RUNNING then; recovery and adoption still treat it as being started.)
UPDATE queries SET phase = CASE
    WHEN state = 'QUEUED' AND engine_query_id IS NULL THEN 'WAITING'
    WHEN state = 'QUEUED' THEN 'ENGINE_QUEUED'
    WHEN state = 'RUNNING' THEN 'EXECUTING'
    ELSE NULL END;

-- Each query's run as stored so far becomes its run record, every field kept.
INSERT INTO query_runs (
    query_id, run, state, phase, engine_query_id, claimed_by, submitted_at, started_at, completed_at,
    queue_millis, execution_millis, result_rows, result_bytes, scanned_bytes, cost_usd, result_reused,
    error_code, error_message, error_details, stop_requested, truncation_reason, truncation_limit, version)
SELECT id, run, state, phase, engine_query_id, claimed_by, submitted_at, started_at, completed_at,
    queue_millis, execution_millis, result_rows, result_bytes, scanned_bytes, cost_usd, result_reused,
    error_code, error_message, error_details, stop_requested, truncation_reason, truncation_limit, version
FROM queries;

-- The runs an instance owns (queued for its workers, running, being polled, being stopped), and
-- the ended runs whose engine stop is still pending.
-- A run row's version is its query's version when it was last written as the latest run; an
-- earlier run's pending stop is settled with a compare-and-set on it.
CREATE INDEX ix_query_runs_claimed ON query_runs (claimed_by, state);
CREATE INDEX ix_query_runs_stop ON query_runs (stop_requested, claimed_by);

-- The live Sluice instances. Each renews its row by a heartbeat (beat counts up); an instance
-- whose beat stops moving for its lease, or whose row is gone (a graceful stop), is dead and its
-- runs are taken over by a live one. lease_millis is that instance's cluster.leaseSeconds.
CREATE TABLE sluice_instances (
    id           VARCHAR(255) NOT NULL,
    beat         BIGINT       NOT NULL,
    lease_millis BIGINT       NOT NULL,
    started_at   BIGINT       NOT NULL,
    heartbeat_at BIGINT       NOT NULL,
    PRIMARY KEY (id)
)${table_options};
