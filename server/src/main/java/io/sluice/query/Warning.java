package io.sluice.query;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A non-fatal warning about a query, given on submit and kept with the query (status shows it).
 * Its text is the i18n entry {@code warning.<code>}, rendered with {@code params}.
 *
 * @param code   stable code, e.g. {@code BUDGET_NEARLY_SPENT}
 * @param params named values the text and clients use
 */
public record Warning(String code, Map<String, Object> params) {

    public Warning {
        Objects.requireNonNull(code, "code");
        params = params == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }
}
