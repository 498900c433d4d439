package io.sluice.plan;

import io.sluice.access.Caller;
import io.sluice.datasource.DatasourceConnections;
import io.sluice.datasource.DatasourceException;
import io.sluice.datasource.DatasourceService;
import io.sluice.datasource.DatasourceType;
import io.sluice.datasource.UsableDatasource;
import io.sluice.engine.duckdb.DuckDbSql;
import io.sluice.federation.ResultSetImport;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * A RelationalQuery: its SELECT runs on a registered datasource as the plan's owner may use it, each
 * {@code $n} bound (JDBC {@code setArray}) to the distinct non-null values of an earlier step's
 * column, and the rows are copied into the step's table with the federation import's types. The
 * array's element type follows the column's: integers {@code int8}, floating point {@code float8},
 * booleans {@code bool}, anything else {@code text} (cast in the SQL where the source column differs,
 * e.g. {@code = ANY($1::int[])}).
 */
final class RelationalQueryStep implements StepExecutor {

    /** Values one placeholder may carry at most. */
    static final int MAX_VALUES = 1_000_000;

    private final Supplier<DatasourceService> datasources;
    private final DatasourceConnections connections;
    private final int batchRows;

    RelationalQueryStep(Supplier<DatasourceService> datasources, DatasourceConnections connections, int batchRows) {
        this.datasources = datasources;
        this.connections = connections;
        this.batchRows = batchRows;
    }

    @Override
    public void run(StepContext c) throws Exception {
        UsableDatasource usable;
        try {
            usable = datasources.get().forUse(new Caller(c.plan().owner()), c.step().datasource());
        } catch (DatasourceException e) {
            throw new StepFailure(e.code().name() + " " + e.details());
        }
        DatasourceType type = usable.datasource().type();
        Placeholders placeholders = Placeholders.of(c.step().sql());
        String password = usable.password();
        try (Connection source = connections.open(usable.datasource(), password)) {
            if (type == DatasourceType.POSTGRESQL) {
                source.setAutoCommit(false); // a cursor: the driver streams instead of reading all
            }
            try (PreparedStatement ps = source.prepareStatement(placeholders.jdbcSql(), ResultSet.TYPE_FORWARD_ONLY,
                    ResultSet.CONCUR_READ_ONLY)) {
                ps.setFetchSize(batchRows);
                for (int i = 0; i < placeholders.order().size(); i++) {
                    PlanStep.Bind bind = c.step().bind().get(placeholders.order().get(i));
                    ps.setArray(i + 1, array(source, c.duck(), bind));
                }
                c.cancellation().onCancel(() -> {
                    try {
                        ps.cancel();
                    } catch (SQLException e) {
                        // already finished
                    }
                });
                if (c.cancellation().isCancelled()) {
                    return;
                }
                try (ResultSet rows = ps.executeQuery()) {
                    ResultSetImport.load(rows, type, c.duck(), c.step().id(), batchRows, c.cancellation()::isCancelled);
                }
            } finally {
                if (type == DatasourceType.POSTGRESQL && !source.isClosed()) {
                    source.rollback(); // read only
                }
            }
        } catch (SQLException e) {
            if (c.cancellation().isCancelled()) {
                return;
            }
            throw new StepFailure(DatasourceConnections.reason(e, password));
        } catch (ResultSetImport.Cancelled e) {
            // the step's switch says why
        }
    }

    /** The distinct non-null values of the bound column, as an array of the source connection. */
    private static Array array(Connection source, Connection duck, PlanStep.Bind bind) throws SQLException, StepFailure {
        String column = DuckDbSql.identifier(bind.field());
        String sql = "SELECT DISTINCT " + column + " FROM " + DuckSteps.table(bind.ref()) + " WHERE " + column
                + " IS NOT NULL ORDER BY 1 LIMIT " + (MAX_VALUES + 1);
        List<Object> values = new ArrayList<>();
        String elementType;
        try (Statement s = duck.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            String duckType = rs.getMetaData().getColumnTypeName(1).toUpperCase(Locale.ROOT);
            elementType = switch (duckType) {
                case "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER" -> "int8";
                case "FLOAT", "DOUBLE" -> "float8";
                case "BOOLEAN" -> "bool";
                default -> "text";
            };
            while (rs.next()) {
                values.add(switch (elementType) {
                    case "int8" -> rs.getLong(1);
                    case "float8" -> rs.getDouble(1);
                    case "bool" -> rs.getBoolean(1);
                    default -> rs.getString(1);
                });
            }
        }
        if (values.size() > MAX_VALUES) {
            throw new StepFailure("column " + bind.field() + " of step " + bind.ref() + " has more than " + MAX_VALUES
                    + " distinct values");
        }
        return source.createArrayOf(elementType, values.toArray());
    }
}
