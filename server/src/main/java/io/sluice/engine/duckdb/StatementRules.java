package io.sluice.engine.duckdb;

import io.sluice.engine.duckdb.SqlLexer.Quoting;
import io.sluice.engine.duckdb.SqlLexer.Token;
import io.sluice.engine.duckdb.SqlLexer.Type;

import java.util.List;
import java.util.Set;

/**
 * What one statement may do, decided from its leading keywords and failing closed: an allow-list
 * of statement kinds, everything else refused.
 *
 * <ul>
 *   <li>Reads and database work are allowed: queries, DESCRIBE/SHOW/SUMMARIZE, PIVOT, CALL,
 *   informational PRAGMAs, USE, transactions, PREPARE/EXECUTE/DEALLOCATE, and DDL/DML on the
 *   database itself (its read-only mode refuses what it must). {@code COPY <table> FROM} reads.
 *   <li>{@code COPY … TO} and {@code EXPORT DATABASE} write files: they are {@link Effect#WRITES}
 *   with their target, which the caller allows only inside a writable directory. The target must
 *   be a plain string literal, and the options plain values: an option computed by an expression,
 *   or a file name pattern or extension that leaves the target folder, is refused.
 *   <li>{@code IMPORT DATABASE} (and {@code PRAGMA import_database}) run the SQL scripts of the
 *   folder they read: {@link Effect#IMPORTS}, checked by the caller.
 *   <li>ATTACH, DETACH, INSTALL, LOAD, SET, RESET, secrets, other PRAGMAs and anything unknown are
 *   refused. EXPLAIN and PREPARE are judged by the statement they wrap.
 * </ul>
 */
final class StatementRules {

    enum Effect { NONE, WRITES, IMPORTS, REFUSED }

    /** Why a statement was refused; a stable code in the error's details. */
    enum Reason {
        /** The kind of statement is not allowed at all. */
        NOT_ALLOWED,
        /** It writes files, and its target is not inside a writable directory. */
        WRITES_FILES,
        /** Its file or folder is not given as a plain string literal. */
        TARGET_NOT_LITERAL,
        /** A COPY option is computed, or names files outside the target. */
        UNSAFE_OPTION,
        /** IMPORT DATABASE of a folder queries may have written into. */
        IMPORTS_WRITTEN_FILES,
        /** IMPORT DATABASE whose scripts hold a statement that is not allowed. */
        IMPORT_SCRIPT_NOT_ALLOWED,
        /** The text holds a character the engine would not see as Sluice does (NUL, broken UTF-16). */
        INVALID_TEXT
    }

    /**
     * The rule's answer: {@code kind} names the statement (e.g. {@code COPY TO}), {@code path} is
     * the file or folder it writes or imports, {@code reason} says why it was refused.
     */
    record Verdict(Effect effect, String kind, String path, Reason reason) {

        static final Verdict ALLOWED = new Verdict(Effect.NONE, null, null, null);

        static Verdict refused(String kind, Reason reason) {
            return new Verdict(Effect.REFUSED, kind, null, reason);
        }
    }

    private static final Set<String> READS = Set.of("SELECT", "WITH", "FROM", "VALUES", "TABLE", "DESCRIBE", "DESC", "SHOW",
            "SUMMARIZE", "PIVOT", "PIVOT_WIDER", "UNPIVOT", "PIVOT_LONGER", "CALL", "USE", "BEGIN", "START", "COMMIT",
            "END", "ROLLBACK", "ABORT", "EXECUTE", "DEALLOCATE");
    private static final Set<String> QUERY_STARTS = Set.of("SELECT", "WITH", "FROM", "VALUES", "TABLE");
    private static final Set<String> DATABASE_WORK = Set.of("INSERT", "DELETE", "ALTER", "TRUNCATE", "MERGE",
            "COMMENT", "ANALYZE", "VACUUM", "CHECKPOINT");
    private static final Set<String> CREATABLE = Set.of("TABLE", "VIEW", "SEQUENCE", "MACRO", "FUNCTION", "SCHEMA",
            "TYPE", "INDEX", "UNIQUE");
    private static final Set<String> INFORMATIONAL_PRAGMAS = Set.of("collations", "database_list", "database_size",
            "functions", "metadata_info", "platform", "show", "show_databases", "show_tables", "show_tables_expanded",
            "storage_info", "table_info", "user_agent", "version", "extension_versions");
    /** Options whose value becomes part of a written file's name. */
    private static final Set<String> FILE_NAME_OPTIONS = Set.of("FILENAME_PATTERN", "FILE_EXTENSION");

    private final List<Token> tokens;

    private StatementRules(List<Token> tokens) {
        this.tokens = tokens;
    }

    /** Judges one statement given as its tokens (at least one). */
    static Verdict judge(List<Token> tokens) {
        return new StatementRules(tokens).statement(0);
    }

    private Verdict statement(int i) {
        Token first = at(i);
        if (first == null) {
            return Verdict.refused("UNKNOWN", Reason.NOT_ALLOWED);
        }
        if (first.isSymbol('(')) {
            int j = i;
            while (at(j) != null && at(j).isSymbol('(')) {
                j++;
            }
            return isQueryStart(at(j)) ? Verdict.ALLOWED : Verdict.refused("UNKNOWN", Reason.NOT_ALLOWED);
        }
        if (first.type() != Type.WORD) {
            return Verdict.refused("UNKNOWN", Reason.NOT_ALLOWED);
        }
        String word = asciiUpper(first.value());
        if (READS.contains(word) || DATABASE_WORK.contains(word)) {
            return Verdict.ALLOWED;
        }
        return switch (word) {
            case "EXPLAIN" -> explain(i + 1);
            case "PREPARE" -> prepare(i + 1);
            case "PRAGMA" -> pragma(i + 1);
            case "CREATE" -> create(i + 1);
            case "DROP" -> drop(i + 1);
            case "UPDATE" -> update(i + 1);
            case "COPY" -> copy(i + 1);
            case "EXPORT" -> isWord(i + 1, "DATABASE") ? export(i + 2) : Verdict.refused("EXPORT", Reason.NOT_ALLOWED);
            case "IMPORT" -> isWord(i + 1, "DATABASE") ? importDatabase(i + 2) : Verdict.refused("IMPORT", Reason.NOT_ALLOWED);
            default -> Verdict.refused(word, Reason.NOT_ALLOWED);
        };
    }

    /** {@code EXPLAIN [(options)] [ANALYZE] [VERBOSE] statement}: judged as the statement. */
    private Verdict explain(int i) {
        if (isSymbol(i, '(') && !isQueryStart(firstAfterParens(i))) {
            i = afterGroup(i);
        }
        while (isWord(i, "ANALYZE") || isWord(i, "ANALYSE") || isWord(i, "VERBOSE")) {
            i++;
        }
        return i < 0 ? Verdict.refused("EXPLAIN", Reason.NOT_ALLOWED) : statement(i);
    }

    /** {@code PREPARE name [(types)] AS statement}: judged as the statement. */
    private Verdict prepare(int i) {
        if (at(i) == null || at(i).type() != Type.WORD && at(i).type() != Type.QUOTED_IDENTIFIER) {
            return Verdict.refused("PREPARE", Reason.NOT_ALLOWED);
        }
        i++;
        if (isSymbol(i, '(')) {
            i = afterGroup(i);
        }
        return isWord(i, "AS") ? statement(i + 1) : Verdict.refused("PREPARE", Reason.NOT_ALLOWED);
    }

    private Verdict pragma(int i) {
        Token name = at(i);
        if (name == null || name.type() != Type.WORD) {
            return Verdict.refused("PRAGMA", Reason.NOT_ALLOWED);
        }
        String pragma = name.value().toLowerCase(java.util.Locale.ROOT);
        if (pragma.equals("import_database")) {
            Token dir = at(i + 2);
            boolean form = isSymbol(i + 1, '(') && isPlainString(dir) && isSymbol(i + 3, ')') && at(i + 4) == null;
            return form ? new Verdict(Effect.IMPORTS, "IMPORT DATABASE", dir.value(), null)
                    : Verdict.refused("IMPORT DATABASE", Reason.TARGET_NOT_LITERAL);
        }
        return INFORMATIONAL_PRAGMAS.contains(pragma) ? Verdict.ALLOWED : Verdict.refused("PRAGMA", Reason.NOT_ALLOWED);
    }

    /** Database objects may be created; secrets (shared by every connection) and unknown kinds may not. */
    private Verdict create(int i) {
        if (isWord(i, "OR") && isWord(i + 1, "REPLACE")) {
            i += 2;
        }
        while (isWord(i, "TEMP") || isWord(i, "TEMPORARY") || isWord(i, "PERSISTENT")) {
            i++;
        }
        Token what = at(i);
        String kind = what != null && what.type() == Type.WORD ? asciiUpper(what.value()) : "UNKNOWN";
        return CREATABLE.contains(kind) ? Verdict.ALLOWED : Verdict.refused("CREATE " + kind, Reason.NOT_ALLOWED);
    }

    private Verdict drop(int i) {
        while (isWord(i, "TEMP") || isWord(i, "TEMPORARY") || isWord(i, "PERSISTENT")) {
            i++;
        }
        return isWord(i, "SECRET") ? Verdict.refused("DROP SECRET", Reason.NOT_ALLOWED) : Verdict.ALLOWED;
    }

    /** {@code UPDATE EXTENSIONS [(names)]} downloads extensions; an UPDATE of a table has SET or an alias. */
    private Verdict update(int i) {
        boolean extensions = isWord(i, "EXTENSIONS") && (at(i + 1) == null || isSymbol(i + 1, '('));
        return extensions ? Verdict.refused("UPDATE EXTENSIONS", Reason.NOT_ALLOWED) : Verdict.ALLOWED;
    }

    /** {@code COPY (query) | table [(columns)] TO 'file' [options]}, or {@code COPY table FROM 'file'}. */
    private Verdict copy(int i) {
        if (isWord(i, "FROM")) {
            return Verdict.refused("COPY FROM DATABASE", Reason.NOT_ALLOWED);
        }
        if (isSymbol(i, '(')) {
            i = afterGroup(i);
        } else {
            i = afterQualifiedName(i);
            if (isSymbol(i, '(')) {
                i = afterGroup(i);
            }
        }
        if (isWord(i, "TO")) {
            return write("COPY TO", i + 1);
        }
        if (isWord(i, "FROM")) {
            return at(i + 1) != null && at(i + 1).type() == Type.STRING ? Verdict.ALLOWED
                    : Verdict.refused("COPY FROM", Reason.TARGET_NOT_LITERAL);
        }
        return Verdict.refused("COPY", Reason.NOT_ALLOWED);
    }

    /** {@code EXPORT DATABASE [name TO] 'folder' [options]}. */
    private Verdict export(int i) {
        if (at(i) != null && at(i).type() != Type.STRING) {
            i = isWord(i + 1, "TO") ? i + 2 : -1;
        }
        return write("EXPORT DATABASE", i);
    }

    private Verdict importDatabase(int i) {
        Token dir = at(i);
        return isPlainString(dir) && at(i + 1) == null ? new Verdict(Effect.IMPORTS, "IMPORT DATABASE", dir.value(), null)
                : Verdict.refused("IMPORT DATABASE", Reason.TARGET_NOT_LITERAL);
    }

    private Verdict write(String kind, int i) {
        Token target = at(i);
        if (!isPlainString(target)) {
            return Verdict.refused(kind, Reason.TARGET_NOT_LITERAL);
        }
        return CopyOptions.safe(tokens, i + 1) ? new Verdict(Effect.WRITES, kind, target.value(), null)
                : Verdict.refused(kind, Reason.UNSAFE_OPTION);
    }

    /** The index after a balanced group opened at {@code i}, or -1 when it does not close. */
    private int afterGroup(int i) {
        return CopyOptions.afterGroup(tokens, i);
    }

    private int afterQualifiedName(int i) {
        if (!isName(at(i))) {
            return -1;
        }
        i++;
        while (isSymbol(i, '.') && isName(at(i + 1))) {
            i += 2;
        }
        return i;
    }

    private Token firstAfterParens(int i) {
        while (isSymbol(i, '(')) {
            i++;
        }
        return at(i);
    }

    private Token at(int i) {
        return i >= 0 && i < tokens.size() ? tokens.get(i) : null;
    }

    private boolean isWord(int i, String word) {
        Token t = at(i);
        return t != null && t.isWord(word);
    }

    private boolean isSymbol(int i, char c) {
        Token t = at(i);
        return t != null && t.isSymbol(c);
    }

    private static boolean isName(Token t) {
        return t != null && (t.type() == Type.WORD || t.type() == Type.QUOTED_IDENTIFIER);
    }

    private static boolean isPlainString(Token t) {
        return t != null && t.type() == Type.STRING && t.quoting() == Quoting.PLAIN;
    }

    private static boolean isQueryStart(Token t) {
        return t != null && t.type() == Type.WORD && QUERY_STARTS.contains(asciiUpper(t.value()));
    }

    /** Upper case of ASCII letters only, as DuckDB folds keywords. */
    static String asciiUpper(String word) {
        StringBuilder out = new StringBuilder(word.length());
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            out.append(c >= 'a' && c <= 'z' ? (char) (c - 32) : c);
        }
        return out.toString();
    }

    static boolean isFileNameOption(String option) {
        return FILE_NAME_OPTIONS.contains(asciiUpper(option));
    }
}
