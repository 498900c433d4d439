package io.sluice.query;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Why a query failed, timed out or was stopped by a guardrail.
 *
 * <p>Two kinds: an engine's error carries the engine's own text (a DuckDB or Athena message,
 * shown verbatim); an error Sluice itself writes ({@link #sluice}) is rendered for clients from
 * its code and details in their language, its {@code message} being only the log's wording.
 * The mark lives in {@code details} ({@value #SOURCE_KEY}), so it is stored with them.
 */
public record QueryError(String code, String message, Map<String, Object> details) {

    /** The details key marking an error Sluice wrote; the view moves it out of details. */
    public static final String SOURCE_KEY = "source";
    static final String SLUICE = "sluice";

    public QueryError {
        Objects.requireNonNull(code, "code");
        message = message == null ? "" : message;
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    /** An error of Sluice's own (a time limit, a guardrail, a restart), rendered from code and details. */
    public static QueryError sluice(String code, String message, Map<String, Object> details) {
        Map<String, Object> marked = new LinkedHashMap<>(details == null ? Map.of() : details);
        marked.put(SOURCE_KEY, SLUICE);
        return new QueryError(code, message, marked);
    }

    /** Whether Sluice wrote this error (else it is an engine's, with the engine's text). */
    public boolean fromSluice() {
        return SLUICE.equals(details.get(SOURCE_KEY));
    }

    /** Who wrote the error, as the API names it: {@code sluice} or {@code engine}. */
    public String source() {
        return fromSluice() ? SLUICE : "engine";
    }

    /** The details without the source mark. */
    public Map<String, Object> publicDetails() {
        if (!details.containsKey(SOURCE_KEY)) {
            return details;
        }
        Map<String, Object> copy = new LinkedHashMap<>(details);
        copy.remove(SOURCE_KEY);
        return copy;
    }
}
