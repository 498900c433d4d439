package io.sluice.engine;

import java.util.Map;

/**
 * A failure reported by an engine, carrying a stable error code (e.g. {@code QUERY_FAILED},
 * {@code SYNTAX_ERROR}, {@code SCAN_LIMIT_EXCEEDED}), the engine's own message, and details worth
 * showing to the user (Athena's error category and type, whether it is retryable).
 */
public class EngineException extends Exception {

    private final String code;
    private final Kind kind;
    private final Map<String, Object> details;

    public enum Kind {
        /** The query itself is wrong: syntax, unknown table, bad cast. Do not retry. */
        USER,
        /** The engine or the network failed; retrying may work. */
        EXTERNAL,
        /** Out of memory, too much data, a limit. */
        INSUFFICIENT_RESOURCES,
        /** A bug on our side. */
        INTERNAL
    }

    public EngineException(String code, Kind kind, String message, Map<String, Object> details, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.kind = kind;
        this.details = details == null ? Map.of() : Map.copyOf(details);
    }

    public EngineException(String code, Kind kind, String message) {
        this(code, kind, message, Map.of(), null);
    }

    public String code() {
        return code;
    }

    public Kind kind() {
        return kind;
    }

    public Map<String, Object> details() {
        return details;
    }
}
