package io.sluice.plan;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One step of a plan as submitted: its id (the name of the DuckDB table its output becomes), its
 * type, and the fields of that type (the others null): {@code sql}, {@code engine} and
 * {@code maxScanGb} (AthenaQuery), {@code datasource}, {@code sql} and {@code bind} (RelationalQuery),
 * {@code bucket}, {@code key} and {@code engine} (S3ParquetRead), {@code sql} (LocalQuery).
 * {@code dependsOn}: the steps whose tables it reads, found when the plan was checked.
 */
public record PlanStep(String id, StepType type, String sql, String engine, Double maxScanGb, String datasource,
                       Map<String, Bind> bind, String bucket, String key, Set<String> dependsOn) {

    /** A placeholder's value: the distinct values of column {@code field} of step {@code ref}. */
    public record Bind(String ref, String field) {
        public Bind {
            Objects.requireNonNull(ref, "ref");
            Objects.requireNonNull(field, "field");
        }
    }

    public PlanStep {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        bind = bind == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(bind));
        dependsOn = dependsOn == null ? Set.of() : java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(dependsOn));
    }

    /** As stored and shown, with the request's field names (absent fields left out). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("type", type.wireName());
        putIf(m, "sql", sql);
        putIf(m, "engine", engine);
        putIf(m, "max_scan_gb", maxScanGb);
        putIf(m, "datasource", datasource);
        if (!bind.isEmpty()) {
            Map<String, Object> b = new LinkedHashMap<>();
            bind.forEach((k, v) -> b.put(k, Map.of("ref", v.ref(), "field", v.field())));
            m.put("bind", b);
        }
        putIf(m, "bucket", bucket);
        putIf(m, "key", key);
        m.put("depends_on", java.util.List.copyOf(dependsOn));
        return m;
    }

    private static void putIf(Map<String, Object> m, String k, Object v) {
        if (v != null) {
            m.put(k, v);
        }
    }
}
