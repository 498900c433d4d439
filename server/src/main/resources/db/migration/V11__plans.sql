-- Multi-step plans (/api/plans). spec: the plan as submitted (name, steps), as JSON. steps: each
-- step's state, query id (Athena steps), rows and error, as JSON. error: the plan's error, as JSON.
-- instance_id: the instance running it (a plan interrupted by a stop of that instance ends FAILED
-- with SERVER_RESTARTED). Times are epoch milliseconds; version counts changes (compare-and-set).
CREATE TABLE plans (
    id          VARCHAR(36)  NOT NULL,
    owner       VARCHAR(255) NOT NULL,
    name        VARCHAR(255),
    spec        ${long_text} NOT NULL,
    state       VARCHAR(16)  NOT NULL,
    steps       ${long_text} NOT NULL,
    error       ${long_text},
    instance_id VARCHAR(128),
    created_at  BIGINT       NOT NULL,
    started_at  BIGINT,
    finished_at BIGINT,
    version     BIGINT       NOT NULL,
    PRIMARY KEY (id)
)${table_options};

CREATE INDEX ix_plans_owner_created ON plans (owner, created_at);
CREATE INDEX ix_plans_state ON plans (state);
