package io.sluice.standin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * GetQueryResults, read back from the stored result object as Athena does, one page at a time.
 * A page token is the byte position after the page's last row, so a page costs the same wherever
 * it is in the result. {@code MaxResults} counts the header row that DML results start with.
 */
final class ResultOperations {
    private static final int DEFAULT_PAGE = 1000;

    private final QueryRegistry registry;
    private final QueryLifecycle lifecycle;
    private final ResultStore store;

    ResultOperations(QueryRegistry registry, QueryLifecycle lifecycle, ResultStore store) {
        this.registry = registry;
        this.lifecycle = lifecycle;
        this.store = store;
    }

    void register(Map<String, Operation> operations) {
        operations.put("GetQueryResults", this::getQueryResults);
    }

    /** Checks in Athena's order: constraints, the id, the page size, the query's state, the token. */
    private ObjectNode getQueryResults(JsonRequest request) throws IOException {
        String id = request.string("QueryExecutionId");
        String nextToken = request.string("NextToken");
        Integer maxResults = request.integer("MaxResults");
        new Validation()
                .required(id, "queryExecutionId")
                .length(nextToken, "nextToken", 1, Integer.MAX_VALUE)
                .range(maxResults, "maxResults", 1, Integer.MAX_VALUE)
                .check();
        QueryExecution query = registry.find(id).orElseThrow(() -> AthenaException.queryNotFound(id));
        int pageSize = maxResults == null ? DEFAULT_PAGE : maxResults;
        if (pageSize > DEFAULT_PAGE) {
            throw AthenaException.invalidInput("MaxResults is more than maximum allowed length " + DEFAULT_PAGE);
        }
        lifecycle.refresh(query);
        requireSucceeded(query.state());
        PageToken.Position position = nextToken == null ? new PageToken.Position(0, false)
                : PageToken.decode(query.id, nextToken);
        if (position == null) {
            throw AthenaException.invalidInput("Malformed nextPageToken " + nextToken);
        }

        StatementKind kind = query.statement.kind();
        ObjectNode response = Json.object();
        ObjectNode resultSet = response.putObject("ResultSet");
        ArrayNode rows = resultSet.putArray("Rows");
        ArrayNode columnInfo = resultSet.putObject("ResultSetMetadata").putArray("ColumnInfo");
        query.columns().forEach(column -> columnInfo.add(column.columnInfo()));
        Long updateCount = updateCount(query, kind);
        if (updateCount != null) {
            response.put("UpdateCount", updateCount);
        }
        if (!kind.result().hasBody) {
            return response;
        }
        Page page = readPage(query, kind, position, pageSize);
        page.rows.forEach(values -> addRow(rows, values));
        if (page.rows.size() == pageSize) {
            // Athena puts a token on every full page, even when nothing is left.
            response.put("NextToken", PageToken.encode(query.id, page.nextOffset, true));
        }
        return response;
    }

    private Page readPage(QueryExecution query, StatementKind kind, PageToken.Position position, int pageSize)
            throws IOException {
        List<List<String>> rows = new ArrayList<>();
        boolean csv = kind.result() == StatementKind.ResultKind.CSV;
        if (!csv && kind.headerRow() && !position.flag()) {
            // EXPLAIN's .txt has no header line, yet its first page starts with the column name.
            rows.add(query.columns().stream().map(ResultColumn::name).toList());
        }
        S3Location location = query.resultLocation();
        long size = store.size(location).orElseThrow(() -> AthenaException.invalidRequest("RESULT_NOT_FOUND",
                "Could not find results"));
        long offset = position.offset();
        if (rows.size() >= pageSize || offset > size || (csv && offset == size)) {
            return new Page(rows, offset);
        }
        try (InputStream in = offset == size ? InputStream.nullInputStream() : store.openFrom(location, offset);
                ResultRecordReader reader = csv ? ResultRecordReader.csv(in, offset)
                        : ResultRecordReader.text(in, offset)) {
            while (rows.size() < pageSize) {
                List<String> record = reader.next();
                if (record == null) {
                    break;
                }
                rows.add(record);
            }
            return new Page(rows, reader.position());
        }
    }

    private static void requireSucceeded(QueryState state) {
        switch (state) {
            case SUCCEEDED:
                return;
            case FAILED:
                throw AthenaException.invalidRequest("INVALID_QUERY_EXECUTION_STATE",
                        "Query did not finish successfully. Final query state: FAILED");
            case CANCELLED:
                throw AthenaException.invalidRequest("RESULT_NOT_FOUND", "Could not find results");
            default:
                throw AthenaException.invalidRequest("INVALID_QUERY_EXECUTION_STATE",
                        "Query has not yet finished. Current state: " + state);
        }
    }

    /** 0 for SELECT and SHOW, the row count for INSERT and CTAS, absent for DDL, DESCRIBE and EXPLAIN. */
    private static Long updateCount(QueryExecution query, StatementKind kind) {
        if (kind.result().countsRows()) {
            return Optional.ofNullable(query.updateCount()).orElse(0L);
        }
        boolean answersCount = kind.result() == StatementKind.ResultKind.CSV
                || "UTILITY".equals(kind.statementType()) && kind.substatementType().startsWith("SHOW_")
                && !"SHOW_CREATE_TABLE".equals(kind.substatementType());
        return answersCount ? 0L : null;
    }

    private static void addRow(ArrayNode rows, List<String> values) {
        ArrayNode data = rows.addObject().putArray("Data");
        for (String value : values) {
            ObjectNode datum = data.addObject();
            if (value != null) {
                datum.put("VarCharValue", value);
            }
        }
    }

    private record Page(List<List<String>> rows, long nextOffset) {
    }
}
