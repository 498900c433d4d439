-- One row per query: what was asked, by whom, and where its current run stands.
-- Written for H2, PostgreSQL and MySQL/MariaDB alike; ${long_text} and ${table_options} are the
-- dialect's (see io.sluice.store.StoreDialect). Timestamps are epoch milliseconds.
-- query_text_lower is query_text lower-cased by Sluice (Locale.ROOT), for case-insensitive search
-- that does not depend on each database's collation or locale.
CREATE TABLE queries (
    id               VARCHAR(64)  NOT NULL,
    owner            VARCHAR(320) NOT NULL,
    engine           VARCHAR(64)  NOT NULL,
    query_text       ${long_text} NOT NULL,
    query_text_lower ${long_text} NOT NULL,
    catalog_name     VARCHAR(255),
    database_name    VARCHAR(255),
    request_id       VARCHAR(255),
    state            VARCHAR(16)  NOT NULL,
    run              INTEGER      NOT NULL,
    version          BIGINT       NOT NULL,
    engine_query_id  VARCHAR(255),
    claimed_by       VARCHAR(255),
    created_at       BIGINT       NOT NULL,
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
    PRIMARY KEY (id)
)${table_options};

-- history: one owner's queries, newest first, keyset paging on (created_at, id)
CREATE INDEX ix_queries_owner_created ON queries (owner, created_at DESC, id DESC);
-- synchronous runs found by their client-chosen request id
CREATE INDEX ix_queries_owner_request ON queries (owner, request_id);
-- the poller and start-up recovery: active queries of some engines
CREATE INDEX ix_queries_state_engine ON queries (state, engine);
