package io.sluice.federation;

import io.sluice.api.MessageCode;
import io.sluice.datasource.DatasourceConnections;
import io.sluice.datasource.DatasourceException;
import io.sluice.datasource.DatasourceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The import path for one target: connects to the source over JDBC first (so a wrong password or an
 * unreachable server fails before anything is attached), then attaches a new file-backed DuckDB
 * database {@code <scratch>/<alias>-<random>.duckdb} under the alias and copies into it every table
 * of the alias the SQL names ({@link TableImport}; PostgreSQL tables by COPY where they can,
 * {@link PostgresCopyImport}, its CSV files in the same scratch folder). A table the source does not have is
 * {@code ATTACH_FAILED} with the source's own message and the table in the details.
 */
final class ImportAttach {

    private static final Logger LOG = LoggerFactory.getLogger(ImportAttach.class);

    private final DatasourceConnections connections;
    private final int batchRows;
    private final boolean postgresCopy;

    /** {@code postgresCopy}: PostgreSQL tables may go through {@link PostgresCopyImport}. */
    ImportAttach(DatasourceConnections connections, int batchRows, boolean postgresCopy) {
        this.connections = connections;
        this.batchRows = batchRows;
        this.postgresCopy = postgresCopy;
    }

    void attach(Connection duck, Path scratch, AttachTarget target, List<NeededTable> tables,
                AttachedDatabases into, RunningStatements running) throws FederationException {
        String alias = target.alias();
        Connection source = open(target);
        boolean clean = false;
        try {
            Path file = scratch.resolve(fileStem(alias) + "-" + UUID.randomUUID() + ".duckdb");
            into.importFile(file);
            try {
                Files.createDirectories(scratch);
                DuckStatements.execute(duck, "ATTACH " + SqlQuoting.duckString(file.toString()) + " AS "
                        + SqlQuoting.duckIdentifier(alias), running);
            } catch (SQLException | IOException e) {
                throw failure(target, running, e, null);
            }
            into.attached(alias, "import");
            String defaultSchema = defaultSchema(source, target.datasource().type());
            PostgresCopyImport fastPath = postgresCopy && target.datasource().type() == DatasourceType.POSTGRESQL
                    ? new PostgresCopyImport(source, duck, scratch, running) : null;
            TableImport copier = new TableImport(source, target.datasource().type(), duck, batchRows, running,
                    fastPath, fileStem(alias));
            for (NeededTable table : tables) {
                if (running.cancelled()) {
                    throw cancelled(alias);
                }
                String schema = table.schema() == null ? defaultSchema : table.schema();
                try {
                    SourceTable found = SourceTable.find(source, target.datasource().type(), schema, table.table());
                    TableImport.Copied copied = copier.copy(alias, found, table);
                    into.addImportedRows(copied.rows());
                    into.importedBy(alias + "." + table.duckSchema() + "." + table.table(), copied.method());
                    LOG.info("federation: {} rows of {}.{} imported into {} ({} columns, {} conditions pushed, by {})",
                            copied.rows(), found.schema(), found.table(), alias, copied.columns().size(),
                            copied.pushed().size(), copied.method());
                } catch (TableImport.Cancelled e) {
                    throw cancelled(alias);
                } catch (SQLException | RuntimeException e) {
                    throw failure(target, running, e, schema + "." + table.table());
                }
            }
            clean = true;
        } finally {
            release(source, clean);
        }
    }

    private Connection open(AttachTarget target) throws FederationException {
        try {
            return connections.open(target.datasource(), target.password());
        } catch (SQLException e) {
            Map<String, Object> details = new java.util.LinkedHashMap<>();
            details.put("alias", target.alias());
            details.putAll(DatasourceConnections.failureDetails(e, target.password()));
            throw new FederationException(DatasourceConnections.classify(e, target.datasource().type()), details);
        } catch (DatasourceException e) {
            throw FederationException.of(MessageCode.ATTACH_FAILED, target.alias(),
                    String.valueOf(e.details().getOrDefault("reason", e.code().name())));
        }
    }

    private static String defaultSchema(Connection source, DatasourceType type) throws FederationException {
        try {
            return switch (type) {
                case POSTGRESQL -> source.getSchema() == null ? "public" : source.getSchema();
                case MYSQL -> source.getCatalog();
                case SQLITE -> "main";
            };
        } catch (SQLException e) {
            return type == DatasourceType.POSTGRESQL ? "public" : "main";
        }
    }

    private static FederationException failure(AttachTarget target, RunningStatements running, Exception e,
                                               String table) {
        if (running.cancelled()) {
            return cancelled(target.alias());
        }
        Map<String, Object> details = new java.util.LinkedHashMap<>();
        details.put("alias", target.alias());
        if (table != null) {
            details.put("table", table);
        }
        details.putAll(DatasourceConnections.failureDetails(e, target.password()));
        details.put("reason", NativeAttach.scrub((String) details.get("reason"), target.password()));
        return new FederationException(MessageCode.ATTACH_FAILED, details);
    }

    static FederationException cancelled(String alias) {
        return FederationException.of(MessageCode.QUERY_CANCELLED, alias, "cancelled while importing");
    }

    /** Up to 40 characters of the alias that are safe in a file name. */
    static String fileStem(String alias) {
        StringBuilder out = new StringBuilder();
        for (char c : alias.toCharArray()) {
            if (out.length() == 40) {
                break;
            }
            out.append(c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '-') ? c : '_');
        }
        return out.length() == 0 ? "alias" : out.toString();
    }

    /**
     * Closes the source connection; after a failure or cancel it is aborted instead, so that a
     * streaming result is not read to its end first.
     */
    private static void release(Connection source, boolean clean) {
        try {
            if (!clean) {
                try {
                    source.abort(Runnable::run);
                    return;
                } catch (SQLException | RuntimeException | AbstractMethodError e) {
                    // not every driver can abort (SQLite): close it then
                }
            }
            source.close();
        } catch (SQLException | RuntimeException e) {
            LOG.warn("federation: could not close a source connection: {}", e.getMessage());
        }
    }
}
