package io.sluice.engine;

import io.sluice.engine.athena.AthenaType;
import io.sluice.engine.duckdb.DuckDbType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registry of engine types: the one place that lists them. The configuration finds each
 * {@code engines.<name>} section's type here by its {@code type} (or, without one, by the section's
 * name, so {@code engines.duckdb} and {@code engines.athena} need no {@code type}).
 *
 * <p>The order picks the default engine when {@code engines.default} names none: the first
 * configured engine of the first type listed. The embedded DuckDB comes first, so such a
 * configuration runs queries locally.
 */
public final class EngineTypes {

    private static final EngineTypes STANDARD = new EngineTypes(List.of(new DuckDbType(), new AthenaType()));

    private final Map<String, EngineType<?>> byName = new LinkedHashMap<>();

    public EngineTypes(List<EngineType<?>> types) {
        for (EngineType<?> type : types) {
            if (byName.putIfAbsent(type.name(), type) != null) {
                throw new IllegalArgumentException("engine type " + type.name() + " is listed twice");
            }
        }
    }

    /** The engine types Sluice ships with. */
    public static EngineTypes standard() {
        return STANDARD;
    }

    public Optional<EngineType<?>> find(String name) {
        return Optional.ofNullable(name == null ? null : byName.get(name));
    }

    /** The type names, in registry order. */
    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    /** A type's place in the registry order (for picking the default engine). */
    public int rank(EngineType<?> type) {
        return names().indexOf(type.name());
    }
}
