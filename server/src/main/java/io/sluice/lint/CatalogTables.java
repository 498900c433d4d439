package io.sluice.lint;

import io.sluice.catalog.CatalogCache;
import io.sluice.engine.CatalogBrowser;
import io.sluice.engine.Engine;
import io.sluice.engine.EngineException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Table metadata from the engine's catalog, through the shared {@link CatalogCache} (same keys as
 * the schema browser, so one answers the other). A name is looked up in lower case first (Athena
 * and DuckDB fold unquoted names), then as written. A missing table or a failing catalog is
 * "unknown": the linter stays silent about it. At most {@link #MAX_LOOKUPS} tables per lint.
 */
final class CatalogTables implements TableLookup {

    static final int MAX_LOOKUPS = 32;

    private final Engine engine;
    private final CatalogCache cache;
    private final String catalog;
    private final String database;
    private final Map<List<String>, Optional<TableShape>> seen = new HashMap<>();

    CatalogTables(Engine engine, CatalogCache cache, String catalog, String database) {
        this.engine = engine;
        this.cache = cache;
        this.catalog = catalog;
        this.database = database;
    }

    @Override
    public Optional<TableShape> find(List<String> nameParts) {
        if (nameParts.isEmpty() || nameParts.size() > 3) {
            return Optional.empty();
        }
        List<String> path = new ArrayList<>();
        if (nameParts.size() < 3) {
            path.add(catalog);
        }
        if (nameParts.size() < 2) {
            path.add(database);
        }
        path.addAll(nameParts);
        if (path.contains(null)) {
            return Optional.empty();
        }
        Optional<TableShape> known = seen.get(path);
        if (known != null) {
            return known;
        }
        if (seen.size() >= MAX_LOOKUPS) {
            return Optional.empty();
        }
        List<String> lower = List.of(path.get(0), path.get(1).toLowerCase(Locale.ROOT), path.get(2).toLowerCase(Locale.ROOT));
        Optional<TableShape> shape = load(lower);
        if (shape.isEmpty() && !lower.equals(path)) {
            shape = load(path);
        }
        seen.put(path, shape);
        return shape;
    }

    private Optional<TableShape> load(List<String> path) {
        try {
            Object value = cache.get(engine.name(), path, () -> engine.catalog().table(path.get(0), path.get(1), path.get(2)));
            if (!(value instanceof CatalogBrowser.TableInfo info)) {
                return Optional.empty();
            }
            List<String> columns = new ArrayList<>();
            List<String> keys = new ArrayList<>();
            for (CatalogBrowser.ColumnInfo c : info.columns()) {
                String name = c.name().toLowerCase(Locale.ROOT);
                columns.add(name);
                if (c.partitionKey()) {
                    keys.add(name);
                }
            }
            return Optional.of(new TableShape(path.get(1) + "." + info.name(), columns, keys));
        } catch (EngineException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
