package io.sluice.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.api.MessageCode;
import io.sluice.engine.Column;
import io.sluice.store.Database;
import io.sluice.store.StoreHealth;
import io.sluice.store.StoreWrites;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.StatementContext;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link TaskStore} on the {@code tasks} table of the main store; spec, result and error as JSON. */
public final class JdbcTaskStore implements TaskStore {

    private static final String COLUMNS = "id, owner, state, spec, result_info, error, retry_of, cancel_requested, "
            + "instance_id, created_at, started_at, finished_at, version";

    private final Jdbi jdbi;
    private final StoreHealth health;
    private final StoreWrites writes;
    private final ObjectMapper json;

    public JdbcTaskStore(Database database, ObjectMapper json) {
        this.jdbi = database.jdbi();
        this.health = database.health();
        this.writes = database.writes();
        this.json = json;
    }

    @Override
    public void insert(Task t) {
        health.call(() -> writes.inTransaction(h -> h.createUpdate("INSERT INTO tasks (" + COLUMNS + ") VALUES "
                        + "(:id, :owner, :state, :spec, NULL, NULL, :retryOf, FALSE, :instance, :created, NULL, NULL, 0)")
                .bind("id", t.id()).bind("owner", t.owner()).bind("state", t.state().name())
                .bind("spec", write(t.spec().toMap())).bind("retryOf", t.retryOf()).bind("instance", t.instanceId())
                .bind("created", t.createdAt().toEpochMilli()).execute()));
    }

    @Override
    public Optional<Task> find(String owner, String id) {
        return health.call(() -> jdbi.withHandle(h -> h.createQuery(
                        "SELECT " + COLUMNS + " FROM tasks WHERE owner = :owner AND id = :id")
                .bind("owner", owner).bind("id", id).map(this::row).findOne()));
    }

    @Override
    public Optional<Task> find(String id) {
        return health.call(() -> jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM tasks WHERE id = :id")
                .bind("id", id).map(this::row).findOne()));
    }

    @Override
    public List<Task> list(String owner, TaskState state, Instant afterCreated, String afterId, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM tasks WHERE owner = :owner");
        if (state != null) {
            sql.append(" AND state = :state");
        }
        if (afterCreated != null) {
            sql.append(" AND (created_at < :created OR (created_at = :created AND id < :afterId))");
        }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT :limit");
        return health.call(() -> jdbi.withHandle(h -> {
            Query q = h.createQuery(sql.toString()).bind("owner", owner).bind("limit", limit);
            if (state != null) {
                q.bind("state", state.name());
            }
            if (afterCreated != null) {
                q.bind("created", afterCreated.toEpochMilli()).bind("afterId", afterId);
            }
            return q.map(this::row).list();
        }));
    }

    @Override
    public boolean start(String id, String instanceId, Instant at) {
        return health.call(() -> writes.inTransaction(h -> h.createUpdate("""
                UPDATE tasks SET state = 'RUNNING', instance_id = :instance, started_at = :at, version = version + 1
                WHERE id = :id AND state = 'PENDING' AND cancel_requested = FALSE""")
                .bind("id", id).bind("instance", instanceId).bind("at", at.toEpochMilli()).execute())) == 1;
    }

    @Override
    public boolean finish(String id, TaskState from, TaskState to, TaskResultInfo result, TaskError error, Instant at) {
        return health.call(() -> writes.inTransaction(h -> h.createUpdate("""
                UPDATE tasks SET state = :to, result_info = :result, error = :error, finished_at = :at,
                       version = version + 1
                WHERE id = :id AND state = :from""")
                .bind("id", id).bind("from", from.name()).bind("to", to.name())
                .bind("result", result == null ? null : write(result.toMap()))
                .bind("error", error == null ? null : write(error(error)))
                .bind("at", at.toEpochMilli()).execute())) == 1;
    }

    @Override
    public boolean requestCancel(String id) {
        return health.call(() -> writes.inTransaction(h -> h.createUpdate("""
                UPDATE tasks SET cancel_requested = TRUE, version = version + 1
                WHERE id = :id AND state = 'RUNNING' AND cancel_requested = FALSE""")
                .bind("id", id).execute())) == 1;
    }

    @Override
    public List<String> cancelRequestedOn(String instanceId) {
        return health.call(() -> jdbi.withHandle(h -> h.createQuery(
                        "SELECT id FROM tasks WHERE state = 'RUNNING' AND cancel_requested = TRUE AND instance_id = :instance")
                .bind("instance", instanceId).mapTo(String.class).list()));
    }

    @Override
    public List<Task> unfinished() {
        return health.call(() -> jdbi.withHandle(h -> h.createQuery(
                        "SELECT " + COLUMNS + " FROM tasks WHERE state IN ('PENDING', 'RUNNING') ORDER BY created_at")
                .map(this::row).list()));
    }

    @Override
    public boolean adopt(String id, String fromInstance, String instanceId) {
        return health.call(() -> writes.inTransaction(h -> h.createUpdate("""
                UPDATE tasks SET instance_id = :instance, version = version + 1
                WHERE id = :id AND state = 'PENDING' AND instance_id = :from""")
                .bind("id", id).bind("from", fromInstance).bind("instance", instanceId).execute())) == 1;
    }

    private Task row(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Task(rs.getString("id"), rs.getString("owner"), TaskState.valueOf(rs.getString("state")),
                spec(read(rs.getString("spec"))),
                rs.getString("result_info") == null ? null : result(read(rs.getString("result_info"))),
                rs.getString("error") == null ? null : error(read(rs.getString("error"))),
                rs.getString("retry_of"), rs.getBoolean("cancel_requested"), rs.getString("instance_id"),
                Instant.ofEpochMilli(rs.getLong("created_at")), instant(rs, "started_at"), instant(rs, "finished_at"),
                rs.getLong("version"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    @SuppressWarnings("unchecked")
    private TaskSpec spec(JsonNode n) {
        List<AttachDatabase> attach = new ArrayList<>();
        n.path("attach_databases").forEach(a -> attach.add(new AttachDatabase(a.path("alias").asText(),
                a.path("connection_id").asText())));
        Map<String, Object> datasource = n.hasNonNull("datasource") ? json.convertValue(n.get("datasource"), Map.class) : null;
        return new TaskSpec(text(n, "sql"), n.path("task_type").asText(TaskSpec.QUERY), text(n, "custom_table_name"),
                attach, datasource, text(n, "source_query_id"));
    }

    private static TaskResultInfo result(JsonNode n) {
        List<Column> columns = new ArrayList<>();
        n.path("columns").forEach(c -> columns.add(new Column(c.path("name").asText(), c.path("type").asText())));
        List<String> aliases = new ArrayList<>();
        n.path("attached_databases").forEach(a -> aliases.add(a.asText()));
        return new TaskResultInfo(n.path("table_name").asText(), n.path("row_count").asLong(), columns, aliases,
                n.path("is_federated").asBoolean(), n.path("execution_time_ms").asLong());
    }

    private static Map<String, Object> error(TaskError e) {
        return Map.of("code", e.code().name(), "details", e.details());
    }

    @SuppressWarnings("unchecked")
    private TaskError error(JsonNode n) {
        MessageCode code;
        try {
            code = MessageCode.valueOf(n.path("code").asText());
        } catch (IllegalArgumentException e) {
            code = MessageCode.QUERY_FAILED;
        }
        return new TaskError(code, n.has("details") ? json.convertValue(n.get("details"), Map.class) : Map.of());
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a task as JSON", e);
        }
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable task JSON in the store", e);
        }
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }
}
