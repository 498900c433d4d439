package io.sluice.federation;

import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The PostgreSQL fast path of the import: one table read with
 * {@code COPY (SELECT <columns> FROM <table> WHERE <pushed conditions as literals>) TO STDOUT
 * (FORMAT csv, HEADER false)} through the driver's CopyManager, streamed into
 * {@code <scratch>/<alias>-<random>.csv}, then loaded by DuckDB with
 * {@code INSERT INTO <table> SELECT … FROM read_csv(…)} with every option fixed (no detection).
 *
 * <p>The rules:
 * <ul>
 *   <li>Only tables whose every copied column is carried ({@link PostgresCsvColumns}) and whose
 *       pushed values can be written as literals ({@link PostgresLiterals}) come here.</li>
 *   <li>The source session's output is made unambiguous for the COPY only, with {@code SET LOCAL}
 *       in a transaction that is rolled back afterwards: {@code TimeZone = 'UTC'},
 *       {@code DateStyle = 'ISO, YMD'}, {@code extra_float_digits = 3}, {@code bytea_output = 'hex'}.</li>
 *   <li>CSV: PostgreSQL writes NULL as an unquoted empty field and {@code ''} as {@code ""}; DuckDB
 *       reads with {@code nullstr = ''} and {@code allow_quoted_nulls = false}, so they stay apart.</li>
 *   <li>Memory stays flat: the rows go to the file through a small buffer and DuckDB reads the file.
 *       The file is deleted as soon as the load ends, also after a failure or a cancel.</li>
 *   <li>Cancel: during the COPY, a cancel request to PostgreSQL (and the file write fails at the next
 *       MiB); during the load, {@code Statement.cancel} on DuckDB's statement.</li>
 *   <li>The rows imported are the INSERT's update count.</li>
 * </ul>
 */
final class PostgresCopyImport {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresCopyImport.class);

    /** DuckDB's own default {@code max_line_size}; raised to the longest record when that is longer. */
    private static final long DEFAULT_MAX_LINE_SIZE = 2_000_000;

    private static final List<String> SESSION = List.of("SET LOCAL TimeZone = 'UTC'",
            "SET LOCAL DateStyle = 'ISO, YMD'", "SET LOCAL extra_float_digits = 3", "SET LOCAL bytea_output = 'hex'");

    private final Connection source;
    private final Connection duck;
    private final Path scratch;
    private final RunningStatements running;

    PostgresCopyImport(Connection source, Connection duck, Path scratch, RunningStatements running) {
        this.source = source;
        this.duck = duck;
        this.scratch = scratch;
        this.running = running;
    }

    /**
     * The COPY statement for {@code columns} of {@code table} with the {@code pushed} conditions (each
     * on the source column at the same index of {@code pushedColumns}); empty when the table must go
     * through JDBC instead (a column not carried, a value that cannot be written as a literal).
     */
    static Optional<String> copySql(SourceTable table, List<ImportColumn> columns, List<PushedPredicate> pushed,
                                    List<ImportColumn> pushedColumns) {
        if (!PostgresCsvColumns.carried(columns)) {
            return Optional.empty();
        }
        List<String> conditions = new ArrayList<>();
        for (int i = 0; i < pushed.size(); i++) {
            Optional<String> condition = PostgresLiterals.condition(pushed.get(i),
                    SqlQuoting.sourceIdentifier(table.type(), pushedColumns.get(i).name()));
            if (condition.isEmpty()) {
                return Optional.empty();
            }
            conditions.add(condition.get());
        }
        return Optional.of("COPY (SELECT " + columns.stream().map(c -> SqlQuoting.sourceIdentifier(table.type(), c.name()))
                .collect(Collectors.joining(", ")) + " FROM " + table.quotedName()
                + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions))
                + ") TO STDOUT (FORMAT csv, HEADER false)");
    }

    /**
     * Runs {@code copySql} into a scratch file named after {@code fileStem} and inserts its rows into
     * {@code duckTable} (quoted, its columns {@code columns} in that order): the rows inserted.
     */
    long load(String copySql, List<ImportColumn> columns, String duckTable, String fileStem)
            throws SQLException, TableImport.Cancelled {
        Path csv = scratch.resolve(fileStem + "-" + UUID.randomUUID() + ".csv");
        try {
            long start = System.nanoTime();
            long longestRecord = copyOut(copySql, csv);
            if (running.cancelled()) {
                throw new TableImport.Cancelled();
            }
            long copied = System.nanoTime();
            long bytes = Files.size(csv);
            long rows = insert(csv, columns, duckTable, longestRecord);
            LOG.info("federation: COPY wrote {} bytes in {} ms, DuckDB loaded {} rows in {} ms", bytes,
                    (copied - start) / 1_000_000, rows, (System.nanoTime() - copied) / 1_000_000);
            return rows;
        } catch (IOException e) {
            throw new SQLException("could not read the COPY file: " + e.getMessage(), e);
        } finally {
            delete(csv);
        }
    }

    private long copyOut(String copySql, Path csv) throws SQLException, TableImport.Cancelled {
        boolean autoCommit = source.getAutoCommit();
        source.setAutoCommit(false);
        try {
            try (Statement s = source.createStatement()) {
                for (String set : SESSION) {
                    s.execute(set);
                }
            }
            PGConnection pg = source.unwrap(PGConnection.class);
            Object key = new Object();
            running.started(key, pg::cancelQuery);
            try (CopyFileOutput out = new CopyFileOutput(csv, running::cancelled)) {
                pg.getCopyAPI().copyOut(copySql, out);
                out.flush();
                return out.longestRecord();
            } catch (IOException e) {
                if (running.cancelled()) {
                    throw new TableImport.Cancelled();
                }
                throw new SQLException("could not write the COPY file: " + e.getMessage(), e);
            } catch (SQLException e) {
                if (running.cancelled()) {
                    throw new TableImport.Cancelled();
                }
                throw e;
            } finally {
                running.finished(key);
            }
        } finally {
            if (!source.isClosed()) {
                try {
                    source.rollback(); // read only; also undoes the SET LOCALs
                    source.setAutoCommit(autoCommit);
                } catch (SQLException ignored) {
                    // the connection is dropped after the import anyway
                }
            }
        }
    }

    private long insert(Path csv, List<ImportColumn> columns, String duckTable, long longestRecord)
            throws SQLException, TableImport.Cancelled {
        List<String> types = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            String field = "c" + (i + 1);
            types.add(SqlQuoting.duckString(field) + ": " + SqlQuoting.duckString(PostgresCsvColumns.csvType(columns.get(i))));
            values.add(PostgresCsvColumns.duckExpression(columns.get(i), field));
        }
        String sql = "INSERT INTO " + duckTable + " SELECT " + String.join(", ", values) + " FROM read_csv("
                + SqlQuoting.duckString(csv.toString()) + ", columns = {" + String.join(", ", types) + "}"
                + ", header = false, auto_detect = false, delim = ',', quote = '\"', escape = '\"', new_line = '\\n'"
                + ", nullstr = '', allow_quoted_nulls = false, strict_mode = true, encoding = 'utf-8'"
                + ", max_line_size = " + Math.max(DEFAULT_MAX_LINE_SIZE, longestRecord + 1) + ")";
        try (Statement s = duck.createStatement()) {
            running.started(s);
            try {
                return s.executeLargeUpdate(sql);
            } catch (SQLException e) {
                if (running.cancelled()) {
                    throw new TableImport.Cancelled();
                }
                throw e;
            } finally {
                running.finished(s);
            }
        }
    }

    private static void delete(Path csv) {
        try {
            Files.deleteIfExists(csv);
        } catch (IOException | RuntimeException e) {
            LOG.warn("federation: could not delete the COPY file {}: {}", csv, e.getMessage());
        }
    }
}
