package io.sluice.standin;

import io.sluice.standin.SqlText.Token;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides a query's {@code DataScannedInBytes}, deterministically: the sum, over the distinct
 * tables and views the statement reads, of their row count times their scan weight (bytes per
 * row; {@link #DEFAULT_BYTES_PER_ROW} unless registered). Tables are found in DuckDB's parse tree
 * for SELECTs and by matching names against the catalog for other DML. DDL, SHOW, DESCRIBE and
 * EXPLAIN scan nothing.
 */
final class ScanMeter {
    static final long DEFAULT_BYTES_PER_ROW = 100;

    private final DuckDbEngine engine;
    private final long defaultBytesPerRow;
    private final Map<String, Long> weights = new ConcurrentHashMap<>();

    ScanMeter(DuckDbEngine engine, long defaultBytesPerRow) {
        this.engine = engine;
        this.defaultBytesPerRow = defaultBytesPerRow;
    }

    void weight(String database, String table, long bytesPerRow) {
        if (bytesPerRow < 0) {
            throw new IllegalArgumentException("bytes per row must not be negative: " + bytesPerRow);
        }
        weights.put(key(database, table), bytesPerRow);
    }

    /**
     * @param parsed DuckDB's parse of the statement's {@code duckDbSql}, or null to parse what is needed
     */
    long bytesScanned(Connection connection, AthenaStatement statement, String database, ParsedSql parsed)
            throws SQLException {
        if (!statement.kind().scansData() || statement.scanSql() == null) {
            return 0;
        }
        Map<String, Set<String>> tablesByDatabase = new HashMap<>();
        long bytes = 0;
        ParsedSql scanParse = parsed != null && statement.scanSql().equals(statement.duckDbSql()) ? parsed
                : engine.parse(statement.scanSql());
        for (List<String> table : referencedTables(scanParse, statement.scanSql(), database, tablesByDatabase)) {
            long rows = engine.rowCount(connection, table.get(0), table.get(1));
            bytes += rows * weights.getOrDefault(key(table.get(0), table.get(1)), defaultBytesPerRow);
        }
        return bytes;
    }

    /** Distinct existing {@code [database, table]} pairs the SQL names. */
    private Set<List<String>> referencedTables(ParsedSql parse, String sql, String queryDatabase,
            Map<String, Set<String>> tablesByDatabase) throws SQLException {
        List<List<String>> candidates = new ArrayList<>();
        Optional<List<List<String>>> parsed = parse.tableReferences();
        if (parsed.isPresent()) {
            for (List<String> reference : parsed.get()) {
                String catalog = reference.get(0);
                if (catalog.isEmpty() || catalog.equalsIgnoreCase(DuckDbEngine.CATALOG)) {
                    candidates.add(List.of(reference.get(1).isEmpty() ? queryDatabase : reference.get(1),
                            reference.get(2)));
                }
            }
        } else {
            candidates.addAll(namesIn(sql, queryDatabase));
        }
        Set<List<String>> existing = new LinkedHashSet<>();
        for (List<String> candidate : candidates) {
            String database = candidate.get(0).toLowerCase(Locale.ROOT);
            Set<String> tables = tablesByDatabase.get(database);
            if (tables == null) {
                tables = loadTables(database);
                tablesByDatabase.put(database, tables);
            }
            String table = candidate.get(1).toLowerCase(Locale.ROOT);
            if (tables.contains(table)) {
                existing.add(List.of(database, table));
            }
        }
        return existing;
    }

    private Set<String> loadTables(String database) throws SQLException {
        Set<String> names = new LinkedHashSet<>();
        engine.relationNames(database).forEach(name -> names.add(name.toLowerCase(Locale.ROOT)));
        return names;
    }

    /** Every {@code name} and {@code database.name} run of tokens, as possible table references. */
    private static List<List<String>> namesIn(String sql, String queryDatabase) {
        List<Token> tokens = SqlText.of(sql).tokens();
        List<List<String>> names = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            if (!tokens.get(i).isName()) {
                continue;
            }
            List<String> parts = new ArrayList<>(List.of(tokens.get(i).name()));
            while (i + 2 < tokens.size() && tokens.get(i + 1).isSymbol(".") && tokens.get(i + 2).isName()) {
                parts.add(tokens.get(i + 2).name());
                i += 2;
            }
            int n = parts.size();
            names.add(List.of(n >= 2 ? parts.get(n - 2) : queryDatabase, parts.get(n - 1)));
        }
        return names;
    }

    private static String key(String database, String table) {
        return database.toLowerCase(Locale.ROOT) + "." + table.toLowerCase(Locale.ROOT);
    }
}
