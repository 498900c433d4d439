package io.sluice.engine.duckdb;

import io.sluice.engine.EngineException;
import io.sluice.engine.duckdb.StatementRules.Reason;
import io.sluice.engine.duckdb.StatementRules.Verdict;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks every statement of a query text before any of it runs (DuckDB runs all the statements of
 * one text). DuckDB's own parser answers first: a text whose statements are all SELECTs can be
 * serialized by {@code json_serialize_sql}, and runs as it is; one it cannot parse fails as a
 * syntax error without running. Any other text is split by {@link SqlLexer} and each statement
 * judged by {@link StatementRules}; writes must land in a writable directory.
 */
final class StatementGuard {

    /** What a checked text writes into: the writable directories its writes land in. */
    record Plan(Set<FileAreas.Writable> writes) {
        static final Plan NO_WRITES = new Plan(Set.of());
    }

    /** The scripts IMPORT DATABASE runs from the folder it reads. */
    private static final List<String> IMPORT_SCRIPTS = List.of("schema.sql", "load.sql");
    /** Imports whose scripts import again are refused past this depth. */
    private static final int MAX_IMPORT_DEPTH = 2;

    /** Texts DuckDB's parser found to be SELECTs only, remembered: the parse costs a round trip per query. */
    private static final int KNOWN_SELECTS = 1_024;
    private static final int MAX_REMEMBERED_CHARS = 8_192;

    private final FileAreas areas;
    private final PathMask mask;
    private final Map<String, Boolean> knownSelects = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > KNOWN_SELECTS;
                }
            });

    StatementGuard(FileAreas areas, PathMask mask) {
        this.areas = areas;
        this.mask = mask;
    }

    /** The text's plan, or STATEMENT_NOT_ALLOWED / SYNTAX_ERROR before anything ran. */
    Plan check(Connection connection, String sql) throws EngineException {
        requireCleanText(sql);
        // Whether a text holds only SELECTs depends on the text alone: a dashboard's repeated
        // query is parsed once.
        if (knownSelects.containsKey(sql)) {
            return Plan.NO_WRITES;
        }
        if (onlySelects(connection, sql)) {
            if (sql.length() <= MAX_REMEMBERED_CHARS) {
                knownSelects.put(sql, Boolean.TRUE);
            }
            return Plan.NO_WRITES;
        }
        return checkStatements(sql, 0);
    }

    /** DuckDB's parser: true when every statement is a SELECT; a parse error is the query's error. */
    private boolean onlySelects(Connection connection, String sql) throws EngineException {
        String parse = "SELECT j->>'error', j->>'error_type', j->>'error_message', j->>'position' "
                + "FROM (SELECT json_serialize_sql(?)::JSON AS j)";
        try (PreparedStatement s = connection.prepareStatement(parse)) {
            s.setString(1, sql);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                if ("false".equals(rs.getString(1))) {
                    return true;
                }
                if ("parser".equals(rs.getString(2))) {
                    String at = rs.getString(4) == null ? "" : " (at character " + (Long.parseLong(rs.getString(4)) + 1) + ")";
                    throw DuckDbErrors.engine("Parser Error: " + rs.getString(3) + at, mask, null);
                }
                return false;
            }
        } catch (SQLException | NumberFormatException e) {
            return false; // no readable answer from the parser: the lexer decides
        }
    }

    private Plan checkStatements(String sql, int depth) throws EngineException {
        List<SqlLexer.Statement> statements;
        try {
            statements = SqlLexer.statements(sql);
        } catch (SqlLexer.LexException e) {
            throw refused(sql, null, e.position, "UNKNOWN", Reason.INVALID_TEXT, null);
        }
        Set<FileAreas.Writable> writes = new LinkedHashSet<>();
        for (SqlLexer.Statement statement : statements) {
            Verdict verdict = StatementRules.judge(statement.tokens());
            switch (verdict.effect()) {
                case NONE -> {
                }
                case REFUSED -> throw refused(sql, statement, verdict.kind(), verdict.reason(), null);
                case WRITES -> writes.add(areas.resolve(verdict.path()).flatMap(areas::writableHolding)
                        .orElseThrow(() -> refused(sql, statement, verdict.kind(), Reason.WRITES_FILES, verdict.path())));
                case IMPORTS -> writes.addAll(checkImport(sql, statement, verdict, depth));
            }
        }
        return new Plan(Set.copyOf(writes));
    }

    /**
     * IMPORT DATABASE runs the folder's scripts as SQL: it may read only a folder users cannot
     * have written into, and its scripts must pass the same rules.
     */
    private Set<FileAreas.Writable> checkImport(String sql, SqlLexer.Statement statement, Verdict verdict, int depth)
            throws EngineException {
        Optional<Path> dir = areas.resolve(verdict.path());
        if (dir.isEmpty()) {
            throw refused(sql, statement, verdict.kind(), Reason.TARGET_NOT_LITERAL, verdict.path());
        }
        if (areas.inWritable(dir.get()) || depth >= MAX_IMPORT_DEPTH) {
            throw refused(sql, statement, verdict.kind(), Reason.IMPORTS_WRITTEN_FILES, verdict.path());
        }
        if (!areas.inReadable(dir.get())) {
            return Set.of(); // DuckDB refuses to read it
        }
        Set<FileAreas.Writable> writes = new LinkedHashSet<>();
        for (String script : IMPORT_SCRIPTS) {
            String text;
            try {
                // Undecodable bytes become U+FFFD, non-ASCII like the bytes DuckDB reads: lexed alike.
                text = new String(Files.readAllBytes(dir.get().resolve(script)), StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                continue; // DuckDB reports the missing script
            } catch (IOException e) {
                throw refused(sql, statement, verdict.kind(), Reason.IMPORT_SCRIPT_NOT_ALLOWED, verdict.path());
            }
            try {
                requireCleanText(text);
                writes.addAll(checkStatements(text, depth + 1).writes());
            } catch (EngineException e) {
                throw refused(sql, statement, verdict.kind(), Reason.IMPORT_SCRIPT_NOT_ALLOWED, verdict.path());
            }
        }
        return writes;
    }

    /**
     * DuckDB reads the text as UTF-8 up to its first NUL; a NUL or a broken surrogate pair would
     * make it see other statements than the lexer does.
     */
    private void requireCleanText(String sql) throws EngineException {
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            boolean broken = c == 0
                    || Character.isHighSurrogate(c) && (i + 1 >= sql.length() || !Character.isLowSurrogate(sql.charAt(i + 1)))
                    || Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(sql.charAt(i - 1)));
            if (broken) {
                throw refused(sql, null, i, "INVALID_CHARACTER", Reason.INVALID_TEXT, null);
            }
        }
    }

    private EngineException refused(String sql, SqlLexer.Statement statement, String kind, Reason reason, String path) {
        return refused(sql, statement, statement.start(), kind, reason, path);
    }

    private EngineException refused(String sql, SqlLexer.Statement statement, int offset, String kind, Reason reason,
                                    String path) {
        Map<String, Object> details = new LinkedHashMap<>();
        if (statement != null) {
            details.put("statement", statement.number());
        }
        details.put("kind", kind);
        details.put("reason", reason.name());
        details.put("position", offset + 1);
        details.put("line", 1 + (int) sql.substring(0, Math.min(offset, sql.length())).chars().filter(ch -> ch == '\n').count());
        if (path != null) {
            details.put("target", mask.apply(path));
        }
        String which = statement == null ? "the query text" : "statement " + statement.number() + " (" + kind + ")";
        return DuckDbErrors.sluice("STATEMENT_NOT_ALLOWED", EngineException.Kind.USER,
                which + " is not allowed: " + reason.name().toLowerCase(Locale.ROOT).replace('_', ' '), details);
    }
}
