package io.sluice.datasource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.store.Database;
import io.sluice.store.StoreHealth;
import io.sluice.store.StoreWrites;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@link DatasourceStore} on the {@code datasources} table of the main store. */
public final class JdbcDatasourceStore implements DatasourceStore {

    private static final String COLUMNS =
            "owner, id, type, params, password_sealed, shared, created_at, updated_at, version";

    private final Jdbi jdbi;
    private final StoreHealth health;
    private final StoreWrites writes;
    private final ObjectMapper json;

    public JdbcDatasourceStore(Database database, ObjectMapper json) {
        this.jdbi = database.jdbi();
        this.health = database.health();
        this.writes = database.writes();
        this.json = json;
    }

    @Override
    public boolean insert(StoredDatasource stored) {
        Datasource d = stored.datasource();
        try {
            return health.call(() -> writes.inTransaction(h -> h.createUpdate("""
                    INSERT INTO datasources (owner, id, type, params, password_sealed, shared, shared_id,
                                             created_at, updated_at, version)
                    VALUES (:owner, :id, :type, :params, :sealed, :shared, :sharedId, :created, :updated, 0)""")
                    .bind("owner", d.owner()).bind("id", d.id()).bind("type", d.type().apiName())
                    .bind("params", params(d.params())).bind("sealed", stored.sealedPassword().orElse(null))
                    .bind("shared", d.shared()).bind("sharedId", d.shared() ? d.id() : null)
                    .bind("created", d.createdAt().toEpochMilli()).bind("updated", d.updatedAt().toEpochMilli())
                    .execute())) == 1;
        } catch (RuntimeException e) {
            if (isDuplicateKey(e)) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public Optional<StoredDatasource> find(String owner, String id) {
        return health.call(() -> jdbi.withHandle(h -> h.createQuery(
                        "SELECT " + COLUMNS + " FROM datasources WHERE owner = :owner AND id = :id")
                .bind("owner", owner).bind("id", id).map(this::row).findOne()));
    }

    @Override
    public Optional<StoredDatasource> findShared(String id) {
        return health.call(() -> jdbi.withHandle(h -> h.createQuery(
                        "SELECT " + COLUMNS + " FROM datasources WHERE shared_id = :id")
                .bind("id", id).map(this::row).findOne()));
    }

    @Override
    public List<StoredDatasource> listVisibleTo(String owner) {
        return health.call(() -> jdbi.withHandle(h -> h.createQuery(
                        "SELECT " + COLUMNS + " FROM datasources WHERE owner = :owner OR shared = TRUE ORDER BY id, owner")
                .bind("owner", owner).map(this::row).list()));
    }

    @Override
    public boolean update(StoredDatasource stored, long expectedVersion) {
        Datasource d = stored.datasource();
        try {
            return health.call(() -> writes.inTransaction(h -> h.createUpdate("""
                    UPDATE datasources SET type = :type, params = :params, password_sealed = :sealed,
                           shared = :shared, shared_id = :sharedId, updated_at = :updated, version = version + 1
                    WHERE owner = :owner AND id = :id AND version = :expected""")
                    .bind("owner", d.owner()).bind("id", d.id()).bind("type", d.type().apiName())
                    .bind("params", params(d.params())).bind("sealed", stored.sealedPassword().orElse(null))
                    .bind("shared", d.shared()).bind("sharedId", d.shared() ? d.id() : null)
                    .bind("updated", d.updatedAt().toEpochMilli()).bind("expected", expectedVersion)
                    .execute())) == 1;
        } catch (RuntimeException e) {
            if (isDuplicateKey(e)) {
                throw new SharedIdTakenException(d.id(), e);
            }
            throw e;
        }
    }

    @Override
    public boolean delete(String owner, String id) {
        return health.call(() -> writes.inTransaction(h -> h.createUpdate(
                        "DELETE FROM datasources WHERE owner = :owner AND id = :id")
                .bind("owner", owner).bind("id", id).execute())) == 1;
    }

    @Override
    public List<StoredDatasource> allWithPasswords() {
        return health.call(() -> jdbi.withHandle(h -> h.createQuery(
                        "SELECT " + COLUMNS + " FROM datasources WHERE password_sealed IS NOT NULL ORDER BY owner, id")
                .map(this::row).list()));
    }

    @Override
    public void replaceSealedPasswords(List<StoredDatasource> resealed) {
        health.call(() -> writes.inTransaction(h -> {
            for (StoredDatasource s : resealed) {
                int updated = h.createUpdate("""
                        UPDATE datasources SET password_sealed = :sealed, version = version + 1
                        WHERE owner = :owner AND id = :id AND version = :version""")
                        .bind("sealed", s.sealedPassword().orElse(null)).bind("owner", s.datasource().owner())
                        .bind("id", s.datasource().id()).bind("version", s.datasource().version()).execute();
                if (updated != 1) {
                    throw new IllegalStateException("datasource " + s.datasource().owner() + "/" + s.datasource().id()
                            + " changed while its password was re-encrypted; nothing was changed, run it again");
                }
            }
            return null;
        }));
    }

    private StoredDatasource row(ResultSet rs, StatementContext ctx) throws SQLException {
        DatasourceType type = DatasourceType.fromApiName(rs.getString("type"))
                .orElseThrow(() -> new IllegalStateException("unknown datasource type in the store"));
        Datasource d = new Datasource(rs.getString("id"), rs.getString("owner"), type, params(rs.getString("params")),
                rs.getBoolean("shared"), rs.getString("password_sealed") != null,
                Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("updated_at")),
                rs.getLong("version"));
        return new StoredDatasource(d, Optional.ofNullable(rs.getString("password_sealed")));
    }

    private String params(DatasourceParams params) {
        try {
            return json.writeValueAsString(params.toMap());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private DatasourceParams params(String text) {
        try {
            JsonNode n = json.readTree(text);
            return new DatasourceParams(text(n, "host"), n.has("port") ? n.get("port").asInt() : null,
                    text(n, "database"), text(n, "user"),
                    n.has("sslMode") ? DatasourceParams.SslMode.fromApiName(n.get("sslMode").asText()).orElse(null) : null,
                    text(n, "path"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable datasource params in the store", e);
        }
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    /** A unique key violation: SQLSTATE 23505 (H2, PostgreSQL), or 23000 with MySQL's error 1062. */
    private static boolean isDuplicateKey(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && ("23505".equals(sql.getSQLState())
                    || "23000".equals(sql.getSQLState()) && sql.getErrorCode() == 1062)) {
                return true;
            }
        }
        return false;
    }
}
