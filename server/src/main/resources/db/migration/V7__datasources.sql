-- External databases registered by users (/api/datasources). A datasource is keyed by its owner
-- and the id its owner chose. params: its location as JSON (host, port, database, user, sslMode;
-- or path for SQLite), never the password. password_sealed: the password encrypted with AES-GCM
-- under the configured key ("v1:" and base64 of IV, ciphertext and tag), NULL when it has none.
-- shared_id: the id again while the datasource is shared, NULL otherwise; unique, so a shared id
-- names one datasource for every user. Times are epoch milliseconds; version counts changes.
CREATE TABLE datasources (
    owner           VARCHAR(255) NOT NULL,
    id              VARCHAR(64)  NOT NULL,
    type            VARCHAR(16)  NOT NULL,
    params          ${long_text} NOT NULL,
    password_sealed ${long_text},
    shared          BOOLEAN      DEFAULT FALSE NOT NULL,
    shared_id       VARCHAR(64),
    created_at      BIGINT       NOT NULL,
    updated_at      BIGINT       NOT NULL,
    version         BIGINT       NOT NULL,
    PRIMARY KEY (owner, id)
)${table_options};

CREATE UNIQUE INDEX ux_datasources_shared_id ON datasources (shared_id);
