package io.sluice.engine;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The configured engines by name, and the default one. Closing it closes them all. */
public final class Engines implements AutoCloseable {

    private final Map<String, Engine> byName = new LinkedHashMap<>();
    private final String defaultEngine;

    public Engines(List<? extends Engine> engines, String defaultEngine) {
        engines.forEach(e -> byName.put(e.name(), e));
        if (!byName.containsKey(defaultEngine)) {
            throw new IllegalArgumentException("default engine " + defaultEngine + " is not configured");
        }
        this.defaultEngine = defaultEngine;
    }

    public Optional<Engine> find(String name) {
        return Optional.ofNullable(name == null ? null : byName.get(name));
    }

    public Engine get(String name) {
        Engine engine = byName.get(name);
        if (engine == null) {
            throw new IllegalStateException("engine " + name + " is not configured");
        }
        return engine;
    }

    public String defaultName() {
        return defaultEngine;
    }

    public Collection<Engine> all() {
        return byName.values();
    }

    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    @Override
    public void close() {
        byName.values().forEach(Engine::close);
    }
}
