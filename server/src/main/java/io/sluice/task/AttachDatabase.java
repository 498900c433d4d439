package io.sluice.task;

import java.util.LinkedHashMap;
import java.util.Map;

/** One external database a task attaches: the alias its SQL uses and the datasource's id. */
public record AttachDatabase(String alias, String connectionId) {

    /** As the API and the stored metadata show it, with the requirement's field names. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("alias", alias);
        m.put("connection_id", connectionId);
        return m;
    }
}
