package io.sluice.catalog;

import io.sluice.engine.CatalogBrowser;
import io.sluice.engine.EngineException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps catalog answers for a short time: the editor asks for the same tables on every keystroke
 * of autocomplete, and Athena's catalog calls are slow and rate-limited. Bounded in size.
 */
public final class CatalogCache {

    /** Loads one catalog answer from an engine. */
    public interface Lookup {
        Object load(CatalogBrowser browser) throws EngineException;
    }

    /** Loads one answer. */
    public interface Loader {
        Object load() throws EngineException;
    }

    private record Entry(Object value, Instant expires) {
    }

    private static final int MAX_ENTRIES = 2_000;

    private final Clock clock;
    private final Duration ttl;
    private final Map<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    public CatalogCache(Clock clock, Duration ttl) {
        this.clock = clock;
        this.ttl = ttl;
    }

    public Object get(String engine, List<String> path, Loader loader) throws EngineException {
        String key = engine + "\u0000" + String.join("\u0000", path);
        Instant now = clock.instant();
        synchronized (entries) {
            Entry entry = entries.get(key);
            if (entry != null && now.isBefore(entry.expires())) {
                return entry.value();
            }
        }
        Object value = loader.load();
        synchronized (entries) {
            entries.put(key, new Entry(value, now.plus(ttl)));
        }
        return value;
    }
}
