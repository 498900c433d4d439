package io.sluice.lint;

import io.sluice.catalog.CatalogCache;
import io.sluice.engine.Engine;
import io.trino.sql.tree.Statement;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Warns before a costly run: a partitioned table read without a predicate on its partition keys,
 * {@code SELECT *} on a wide table, an exploratory SELECT without LIMIT. The SQL is parsed with
 * Trino's parser (Athena's dialect), within a time limit; text that does not parse gives only
 * {@code LINT_UNPARSEABLE}. Table metadata comes from the engine's catalog through the shared
 * catalog cache. Never throws for any input.
 */
public final class QueryLinter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QueryLinter.class);

    /** How long one parse may take. */
    public static final Duration PARSE_LIMIT = Duration.ofSeconds(2);

    private final BoundedParser parser;
    private final CatalogCache cache;
    private final int wideTableColumns;

    public QueryLinter(CatalogCache cache, int wideTableColumns) {
        this(cache, wideTableColumns, PARSE_LIMIT);
    }

    QueryLinter(CatalogCache cache, int wideTableColumns, Duration parseLimit) {
        this.parser = new BoundedParser(parseLimit);
        this.cache = cache;
        this.wideTableColumns = wideTableColumns;
    }

    /**
     * The warnings for {@code sql} run on {@code engine} in {@code catalog}/{@code database} (the
     * context unqualified table names resolve in; null for the engine's defaults).
     */
    public List<LintFinding> lint(String sql, Engine engine, String catalog, String database) {
        String c = catalog == null || catalog.isBlank() ? engine.defaultContext().catalog() : catalog;
        String d = database == null || database.isBlank() ? engine.defaultContext().database() : database;
        return lint(sql, new CatalogTables(engine, cache, c, d));
    }

    List<LintFinding> lint(String sql, TableLookup tables) {
        if (sql == null) {
            return List.of(unparseable());
        }
        Optional<Statement> statement = parser.parse(sql);
        if (statement.isEmpty()) {
            return List.of(unparseable());
        }
        try {
            List<LintFinding> findings = new ArrayList<>(new LintAnalysis(tables, wideTableColumns).run(statement.get()));
            if (LimitRule.unlimited(statement.get())) {
                findings.add(new LintFinding(LintFinding.NO_LIMIT, Map.of()));
            }
            return findings;
        } catch (StackOverflowError | RuntimeException e) {
            LOG.debug("lint gave up on a statement it parsed: {}", e.toString());
            return List.of(unparseable());
        }
    }

    private static LintFinding unparseable() {
        return new LintFinding(LintFinding.UNPARSEABLE, Map.of());
    }

    @Override
    public void close() {
        parser.close();
    }
}
