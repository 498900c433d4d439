-- Async tasks (/api/async_query): long statements whose result becomes a table in their owner's
-- workspace. spec: what was submitted, as JSON (sql trimmed, task_type, custom_table_name,
-- attach_databases exactly as sent, datasource, source_query_id). result_info and error: JSON, set
-- when the task ends. instance_id: the instance running it (tasks interrupted by a stop of that
-- instance end FAILED with SERVER_RESTARTED). Times are epoch milliseconds; version counts changes.
CREATE TABLE tasks (
    id               VARCHAR(36)  NOT NULL,
    owner            VARCHAR(255) NOT NULL,
    state            VARCHAR(16)  NOT NULL,
    spec             ${long_text} NOT NULL,
    result_info      ${long_text},
    error            ${long_text},
    retry_of         VARCHAR(36),
    cancel_requested BOOLEAN      DEFAULT FALSE NOT NULL,
    instance_id      VARCHAR(128),
    created_at       BIGINT       NOT NULL,
    started_at       BIGINT,
    finished_at      BIGINT,
    version          BIGINT       NOT NULL,
    PRIMARY KEY (id)
)${table_options};

CREATE INDEX ix_tasks_owner_created ON tasks (owner, created_at);
CREATE INDEX ix_tasks_state ON tasks (state);
