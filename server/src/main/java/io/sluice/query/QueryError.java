package io.sluice.query;

import java.util.Map;
import java.util.Objects;

/** Why a query failed, timed out or was stopped by a guardrail. */
public record QueryError(String code, String message, Map<String, Object> details) {
    public QueryError {
        Objects.requireNonNull(code, "code");
        message = message == null ? "" : message;
        details = details == null ? Map.of() : Map.copyOf(details);
    }
}
