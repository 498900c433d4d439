package io.sluice.plan;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A plan as submitted and checked: its optional name and its steps in the request's order. */
public record PlanSpec(String name, List<PlanStep> steps) {

    public PlanSpec {
        steps = List.copyOf(steps);
    }

    /** The last step: its table is the plan's result. */
    public PlanStep last() {
        return steps.get(steps.size() - 1);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("steps", steps.stream().map(PlanStep::toMap).toList());
        return m;
    }

    /** Reads what {@link #toMap} wrote (from the store). */
    static PlanSpec fromJson(JsonNode n) {
        List<PlanStep> steps = new ArrayList<>();
        for (JsonNode s : n.path("steps")) {
            Map<String, PlanStep.Bind> bind = new LinkedHashMap<>();
            s.path("bind").properties().forEach(e -> bind.put(e.getKey(),
                    new PlanStep.Bind(e.getValue().path("ref").asText(), e.getValue().path("field").asText())));
            Set<String> deps = new LinkedHashSet<>();
            s.path("depends_on").forEach(d -> deps.add(d.asText()));
            steps.add(new PlanStep(s.path("id").asText(), StepType.named(s.path("type").asText()).orElseThrow(),
                    text(s, "sql"), text(s, "engine"), s.hasNonNull("max_scan_gb") ? s.get("max_scan_gb").asDouble() : null,
                    text(s, "datasource"), bind, text(s, "bucket"), text(s, "key"), deps));
        }
        return new PlanSpec(text(n, "name"), steps);
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }
}
