package io.sluice.plan;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.api.ApiException;
import io.sluice.api.MessageCode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a {@code POST /api/plans} body strictly and refuses, before anything is stored, a plan that
 * cannot run: no steps or too many, a step that is not an object, an id missing, not a plain
 * identifier (it becomes a DuckDB table name) or given twice (ignoring case, as DuckDB does), an
 * unknown type or field, a required field missing, a bind placeholder that is not {@code $n} or not
 * in the SQL (or one the SQL uses without a bind), a reference to an unknown step, a LocalQuery that
 * is not one SELECT, and steps that depend on each other in a cycle. Each refusal is
 * {@code PLAN_INVALID} with the field, the rule and the value in its details.
 */
final class PlanRequests {

    static final Set<String> FIELDS = Set.of("name", "steps");
    private static final Pattern ID = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$[1-9][0-9]{0,2}");
    private static final int MAX_NAME = 200;
    private static final int MAX_TEXT = 1_000_000;
    private static final Map<StepType, Set<String>> STEP_FIELDS = Map.of(
            StepType.ATHENA_QUERY, Set.of("id", "type", "sql", "engine", "max_scan_gb"),
            StepType.RELATIONAL_QUERY, Set.of("id", "type", "datasource", "sql", "bind"),
            StepType.S3_PARQUET_READ, Set.of("id", "type", "bucket", "key", "engine"),
            StepType.LOCAL_QUERY, Set.of("id", "type", "sql"));

    private PlanRequests() {
    }

    static PlanSpec read(JsonNode body, int maxSteps, PlanSql sql) {
        String name = text(body, "name", "name", false);
        if (name != null && name.length() > MAX_NAME) {
            throw invalid("name", "NAME_TOO_LONG", name.length());
        }
        JsonNode steps = body.get("steps");
        if (steps == null || steps.isNull()) {
            throw invalid("steps", "STEPS_EMPTY", "");
        }
        if (!steps.isArray()) {
            throw invalid("steps", "FIELD_INVALID", "steps");
        }
        if (steps.isEmpty()) {
            throw invalid("steps", "STEPS_EMPTY", "");
        }
        if (steps.size() > maxSteps) {
            throw invalid("steps", "TOO_MANY_STEPS", maxSteps);
        }
        List<PlanStep> read = new ArrayList<>();
        Map<String, String> ids = new HashMap<>(); // lower case -> as given
        for (int i = 0; i < steps.size(); i++) {
            PlanStep step = step(steps.get(i), "steps[" + i + "]", sql);
            if (ids.putIfAbsent(step.id().toLowerCase(Locale.ROOT), step.id()) != null) {
                throw invalid("steps[" + i + "].id", "ID_DUPLICATE", step.id());
            }
            read.add(step);
        }
        List<PlanStep> linked = new ArrayList<>();
        for (int i = 0; i < read.size(); i++) {
            linked.add(link(read.get(i), "steps[" + i + "]", ids));
        }
        requireAcyclic(linked);
        return new PlanSpec(name, linked);
    }

    private static PlanStep step(JsonNode s, String at, PlanSql sql) {
        if (s == null || !s.isObject()) {
            throw invalid(at, "STEP_NOT_OBJECT", "");
        }
        String id = text(s, "id", at + ".id", false);
        if (id == null || id.isEmpty()) {
            throw invalid(at + ".id", "ID_MISSING", "");
        }
        if (!ID.matcher(id).matches()) {
            throw invalid(at + ".id", "ID_INVALID", id);
        }
        String typeName = text(s, "type", at + ".type", true);
        StepType type = StepType.named(typeName).orElseThrow(() -> invalid(at + ".type", "TYPE_UNKNOWN", typeName));
        Set<String> allowed = STEP_FIELDS.get(type);
        s.fieldNames().forEachRemaining(f -> {
            if (!allowed.contains(f)) {
                throw invalid(at + "." + f, "FIELD_UNKNOWN", f);
            }
        });
        return switch (type) {
            case ATHENA_QUERY -> new PlanStep(id, type, text(s, "sql", at + ".sql", true),
                    text(s, "engine", at + ".engine", false), maxScan(s, at), null, null, null, null, null);
            case RELATIONAL_QUERY -> relational(s, at, id);
            case S3_PARQUET_READ -> new PlanStep(id, type, null, text(s, "engine", at + ".engine", false), null, null,
                    null, text(s, "bucket", at + ".bucket", true), text(s, "key", at + ".key", true), null);
            case LOCAL_QUERY -> {
                String text = text(s, "sql", at + ".sql", true);
                PlanSql.Parsed parsed = sql.parse(text);
                parsed.problem().ifPresent(p -> {
                    throw invalid(at + ".sql", "SQL_NOT_SELECT", p);
                });
                yield new PlanStep(id, type, text, null, null, null, null, null, null, parsed.tables());
            }
        };
    }

    private static PlanStep relational(JsonNode s, String at, String id) {
        String text = text(s, "sql", at + ".sql", true);
        String datasource = text(s, "datasource", at + ".datasource", true);
        Map<String, PlanStep.Bind> bind = new LinkedHashMap<>();
        JsonNode b = s.get("bind");
        if (b != null && !b.isNull()) {
            if (!b.isObject()) {
                throw invalid(at + ".bind", "FIELD_INVALID", "bind");
            }
            for (var e : (Iterable<Map.Entry<String, JsonNode>>) b::fields) {
                String where = at + ".bind." + e.getKey();
                if (!PLACEHOLDER.matcher(e.getKey()).matches()) {
                    throw invalid(where, "BIND_PLACEHOLDER", e.getKey());
                }
                JsonNode v = e.getValue();
                if (!v.isObject()) {
                    throw invalid(where, "FIELD_INVALID", where);
                }
                v.fieldNames().forEachRemaining(f -> {
                    if (!f.equals("ref") && !f.equals("field")) {
                        throw invalid(where + "." + f, "FIELD_UNKNOWN", f);
                    }
                });
                String ref = text(v, "ref", where + ".ref", true);
                String field = text(v, "field", where + ".field", true);
                if (field.length() > 255) {
                    throw invalid(where + ".field", "FIELD_INVALID", where + ".field");
                }
                bind.put(e.getKey(), new PlanStep.Bind(ref, field));
            }
        }
        Set<String> used = new LinkedHashSet<>(Placeholders.of(text).order());
        for (String p : used) {
            if (!bind.containsKey(p)) {
                throw invalid(at + ".sql", "BIND_MISSING", p);
            }
        }
        for (String p : bind.keySet()) {
            if (!used.contains(p)) {
                throw invalid(at + ".bind." + p, "BIND_UNUSED", p);
            }
        }
        return new PlanStep(id, StepType.RELATIONAL_QUERY, text, null, null, datasource, bind, null, null, null);
    }

    /** The step with its dependencies as step ids: bind refs (which must exist), and the step tables a LocalQuery names. */
    private static PlanStep link(PlanStep step, String at, Map<String, String> ids) {
        Set<String> deps = new LinkedHashSet<>();
        for (var e : step.bind().entrySet()) {
            String id = ids.get(e.getValue().ref().toLowerCase(Locale.ROOT));
            if (id == null) {
                throw invalid(at + ".bind." + e.getKey() + ".ref", "REF_UNKNOWN", e.getValue().ref());
            }
            deps.add(id);
        }
        for (String table : step.dependsOn()) {
            String id = ids.get(table);
            if (id != null) {
                deps.add(id); // other names are DuckDB's own (a CTE, say); an unknown table fails when it runs
            }
        }
        return new PlanStep(step.id(), step.type(), step.sql(), step.engine(), step.maxScanGb(), step.datasource(),
                step.bind(), step.bucket(), step.key(), deps);
    }

    /** Refuses steps that depend on each other in a cycle (a step that reads its own table included). */
    private static void requireAcyclic(List<PlanStep> steps) {
        Map<String, PlanStep> byId = new LinkedHashMap<>();
        steps.forEach(s -> byId.put(s.id(), s));
        Map<String, Integer> mark = new HashMap<>(); // 1 visiting, 2 done
        for (PlanStep s : steps) {
            List<String> path = new ArrayList<>();
            visit(s.id(), byId, mark, path);
        }
    }

    private static void visit(String id, Map<String, PlanStep> byId, Map<String, Integer> mark, List<String> path) {
        Integer m = mark.get(id);
        if (m != null && m == 2) {
            return;
        }
        if (m != null) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(id), path.size()));
            cycle.add(id);
            throw invalid("steps", "CYCLE", String.join(" -> ", cycle));
        }
        mark.put(id, 1);
        path.add(id);
        for (String dep : byId.get(id).dependsOn()) {
            visit(dep, byId, mark, path);
        }
        path.remove(path.size() - 1);
        mark.put(id, 2);
    }

    private static Double maxScan(JsonNode s, String at) {
        JsonNode v = s.get("max_scan_gb");
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber() || !(v.asDouble() > 0) || Double.isInfinite(v.asDouble())) {
            throw invalid(at + ".max_scan_gb", "MAX_SCAN_INVALID", v.toString());
        }
        return v.asDouble();
    }

    private static String text(JsonNode n, String field, String at, boolean required) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw invalid(at, "FIELD_MISSING", at);
            }
            return null;
        }
        if (!v.isTextual()) {
            throw invalid(at, "FIELD_INVALID", at);
        }
        String text = v.textValue().strip();
        if (required && text.isEmpty()) {
            throw invalid(at, "FIELD_MISSING", at);
        }
        if (text.length() > MAX_TEXT) {
            throw invalid(at, "FIELD_INVALID", at);
        }
        return text;
    }

    static ApiException invalid(String field, String rule, Object value) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("field", field);
        details.put("rule", rule);
        details.put("value", String.valueOf(value));
        return ApiException.withMessage(MessageCode.PLAN_INVALID, "plan." + rule, details, String.valueOf(value));
    }
}
