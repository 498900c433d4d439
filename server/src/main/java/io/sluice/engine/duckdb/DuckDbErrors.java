package io.sluice.engine.duckdb;

import io.sluice.engine.EngineException;

import java.util.LinkedHashMap;
import java.util.Map;

/** The DuckDB engine's errors: DuckDB's own (its message, paths masked) and Sluice's rules. */
final class DuckDbErrors {

    /**
     * The details key and value that mark an error Sluice wrote itself, rendered for users from the
     * message catalog with its details as parameters (see {@code io.sluice.query.QueryError}).
     */
    static final String SOURCE_KEY = "source";
    static final String SLUICE = "sluice";

    private DuckDbErrors() {
    }

    /** An error of Sluice's own rules; {@code message} is the log's wording. */
    static EngineException sluice(String code, EngineException.Kind kind, String message, Map<String, Object> details) {
        Map<String, Object> marked = new LinkedHashMap<>(details);
        marked.put(SOURCE_KEY, SLUICE);
        return new EngineException(code, kind, message, marked, null);
    }

    /** DuckDB's own error, with its message as DuckDB wrote it but no server paths. */
    static EngineException engine(String message, PathMask mask, Throwable cause) {
        String text = message == null ? "DuckDB error" : mask.apply(message.strip());
        String code = text.startsWith("Parser Error") ? "SYNTAX_ERROR" : "QUERY_FAILED";
        EngineException.Kind kind = text.startsWith("Out of Memory") ? EngineException.Kind.INSUFFICIENT_RESOURCES
                : EngineException.Kind.USER;
        return new EngineException(code, kind, text, Map.of("engine", "duckdb"), cause);
    }

    static EngineException cancelled() {
        return new EngineException("QUERY_CANCELLED", EngineException.Kind.USER, "cancelled");
    }
}
