package io.sluice.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.api.MessageCode;
import io.sluice.store.Database;
import io.sluice.store.StoreHealth;
import io.sluice.store.StoreWrites;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link PlanStore} on the {@code plans} table of the main store; spec, steps and error as JSON. */
public final class JdbcPlanStore implements PlanStore {

    private static final String COLUMNS = "id, owner, name, spec, state, steps, error, instance_id, created_at, "
            + "started_at, finished_at, version";

    private final Jdbi jdbi;
    private final StoreHealth health;
    private final StoreWrites writes;
    private final ObjectMapper json;

    public JdbcPlanStore(Database database, ObjectMapper json) {
        this.jdbi = database.jdbi();
        this.health = database.health();
        this.writes = database.writes();
        this.json = json;
    }

    @Override
    public void insert(Plan p) {
        health.call(() -> writes.inTransaction(h -> h.createUpdate("INSERT INTO plans (" + COLUMNS + ") VALUES "
                        + "(:id, :owner, :name, :spec, :state, :steps, :error, :instance, :created, :started, :finished, "
                        + ":version)")
                .bind("id", p.id()).bind("owner", p.owner()).bind("name", p.name())
                .bind("spec", write(p.spec().toMap())).bind("state", p.state().name())
                .bind("steps", write(steps(p.steps()))).bind("error", p.error() == null ? null : write(error(p.error())))
                .bind("instance", p.instanceId()).bind("created", p.createdAt().toEpochMilli())
                .bind("started", millis(p.startedAt())).bind("finished", millis(p.finishedAt()))
                .bind("version", p.version()).execute()));
    }

    @Override
    public Optional<Plan> find(String owner, String id) {
        return health.call(() -> jdbi.withHandle(h -> h.createQuery(
                        "SELECT " + COLUMNS + " FROM plans WHERE owner = :owner AND id = :id")
                .bind("owner", owner).bind("id", id).map(this::row).findOne()));
    }

    @Override
    public Optional<Plan> find(String id) {
        return health.call(() -> jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM plans WHERE id = :id")
                .bind("id", id).map(this::row).findOne()));
    }

    @Override
    public List<Plan> list(String owner, int limit) {
        return health.call(() -> jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS
                        + " FROM plans WHERE owner = :owner ORDER BY created_at DESC, id DESC LIMIT :limit")
                .bind("owner", owner).bind("limit", limit).map(this::row).list()));
    }

    @Override
    public boolean update(Plan p) {
        return health.call(() -> writes.inTransaction(h -> h.createUpdate("""
                UPDATE plans SET state = :state, steps = :steps, error = :error, instance_id = :instance,
                       started_at = :started, finished_at = :finished, version = :version
                WHERE id = :id AND version = :expected""")
                .bind("id", p.id()).bind("state", p.state().name()).bind("steps", write(steps(p.steps())))
                .bind("error", p.error() == null ? null : write(error(p.error()))).bind("instance", p.instanceId())
                .bind("started", millis(p.startedAt())).bind("finished", millis(p.finishedAt()))
                .bind("version", p.version()).bind("expected", p.version() - 1).execute())) == 1;
    }

    @Override
    public List<Plan> unfinished() {
        return health.call(() -> jdbi.withHandle(h -> h.createQuery(
                        "SELECT " + COLUMNS + " FROM plans WHERE state IN ('QUEUED', 'RUNNING') ORDER BY created_at")
                .map(this::row).list()));
    }

    private Plan row(ResultSet rs, StatementContext ctx) throws SQLException {
        List<StepStatus> steps = new ArrayList<>();
        for (JsonNode s : read(rs.getString("steps"))) {
            steps.add(new StepStatus(s.path("id").asText(), StepType.named(s.path("type").asText()).orElseThrow(),
                    PlanState.valueOf(s.path("state").asText()), s.hasNonNull("queryId") ? s.get("queryId").asText() : null,
                    s.hasNonNull("rows") ? s.get("rows").asLong() : null,
                    s.hasNonNull("error") ? error(s.get("error")) : null));
        }
        return new Plan(rs.getString("id"), rs.getString("owner"), PlanSpec.fromJson(read(rs.getString("spec"))),
                PlanState.valueOf(rs.getString("state")), steps,
                rs.getString("error") == null ? null : error(read(rs.getString("error"))), rs.getString("instance_id"),
                Instant.ofEpochMilli(rs.getLong("created_at")), instant(rs, "started_at"), instant(rs, "finished_at"),
                rs.getLong("version"));
    }

    private static List<Map<String, Object>> steps(List<StepStatus> steps) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (StepStatus s : steps) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", s.id());
            m.put("type", s.type().wireName());
            m.put("state", s.state().name());
            m.put("queryId", s.queryId());
            m.put("rows", s.rows());
            m.put("error", s.error() == null ? null : error(s.error()));
            out.add(m);
        }
        return out;
    }

    private static Long millis(Instant at) {
        return at == null ? null : at.toEpochMilli();
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    private static Map<String, Object> error(PlanError e) {
        return Map.of("code", e.code().name(), "details", e.details());
    }

    @SuppressWarnings("unchecked")
    private PlanError error(JsonNode n) {
        MessageCode code;
        try {
            code = MessageCode.valueOf(n.path("code").asText());
        } catch (IllegalArgumentException e) {
            code = MessageCode.PLAN_STEP_FAILED;
        }
        return new PlanError(code, n.has("details") ? json.convertValue(n.get("details"), Map.class) : Map.of());
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a plan as JSON", e);
        }
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable plan JSON in the store", e);
        }
    }
}
