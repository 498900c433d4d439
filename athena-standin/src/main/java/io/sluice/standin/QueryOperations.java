package io.sluice.standin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** StartQueryExecution, GetQueryExecution, BatchGetQueryExecution and StopQueryExecution. */
final class QueryOperations {
    private static final int MAX_QUERY_LENGTH = 262_144;
    private static final DateTimeFormatter ENGINE_ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss");

    private final Clock clock;
    private final DuckDbEngine engine;
    private final WorkGroups workGroups;
    private final QueryRegistry registry;
    private final QueryLifecycle lifecycle;
    private final Faults faults;
    private final CallCounts calls;
    private final AtomicLong engineQueries = new AtomicLong();

    QueryOperations(Clock clock, DuckDbEngine engine, WorkGroups workGroups, QueryRegistry registry,
            QueryLifecycle lifecycle, Faults faults, CallCounts calls) {
        this.clock = clock;
        this.engine = engine;
        this.workGroups = workGroups;
        this.registry = registry;
        this.lifecycle = lifecycle;
        this.faults = faults;
        this.calls = calls;
    }

    void register(Map<String, Operation> operations) {
        operations.put("StartQueryExecution", this::start);
        operations.put("GetQueryExecution", this::get);
        operations.put("BatchGetQueryExecution", this::batchGet);
        operations.put("StopQueryExecution", this::stop);
    }

    /**
     * Checks in Athena's order: the framework's constraints, the token's presence, the workgroup,
     * the output location, the syntax, and only then the token's earlier use, so a rejected request
     * does not use up its token.
     */
    private ObjectNode start(JsonRequest request) throws SQLException {
        String queryString = request.string("QueryString");
        String token = request.string("ClientRequestToken");
        String workGroupName = Optional.ofNullable(request.string("WorkGroup")).orElse(WorkGroups.PRIMARY);
        JsonRequest context = request.structure("QueryExecutionContext");
        String catalog = context == null ? null : context.string("Catalog");
        String database = context == null ? null : context.string("Database");
        JsonRequest resultConfiguration = request.structure("ResultConfiguration");
        String requestedOutput = resultConfiguration == null ? null : resultConfiguration.string("OutputLocation");
        List<String> parameters = request.stringList("ExecutionParameters");
        Integer reuseMaxAge = reuseMaxAge(request.structure("ResultReuseConfiguration"));
        new Validation()
                .required(queryString, "queryString")
                .length(queryString, "queryString", 1, MAX_QUERY_LENGTH)
                .length(token, "clientRequestToken", 32, 128)
                .check();
        if (token == null || token.isEmpty()) {
            throw AthenaException.invalidInput("clientRequestToken is null or empty");
        }
        WorkGroups.WorkGroup workGroup = workGroups.find(workGroupName)
                .orElseThrow(() -> AthenaException.invalidInput("WorkGroup is not found."));
        S3Location outputFolder = outputFolder(workGroup, requestedOutput);

        String sql = parameters == null || parameters.isEmpty() ? queryString : bind(queryString, parameters);
        SqlText text = SqlText.of(sql);
        AthenaStatement statement = StatementParser.parse(text);
        ParsedSql parsed = null;
        if (statement.duckDbSql() != null) {
            parsed = engine.parse(statement.duckDbSql());
            Optional<ParsedSql.SyntaxError> error = parsed.syntaxError();
            if (error.isPresent()) {
                int offset = statement.duckDbSql().equals(text.withoutTrailingSemicolons()) ? error.get().position() : 0;
                throw StatementParser.malformed(text, offset, error.get().message());
            }
        }

        QueryExecution.Request asked = new QueryExecution.Request(queryString, catalog, database, requestedOutput,
                workGroupName);
        Optional<QueryExecution> earlier = registry.byToken(token);
        if (earlier.isPresent()) {
            return sameRequestOrMismatch(earlier.get(), asked);
        }
        Instant now = clock.instant();
        String id = QueryIds.next();
        QueryExecution query = new QueryExecution(id, engineQueryId(now, id), asked, statement,
                database == null ? DuckDbEngine.DEFAULT_DATABASE : database, outputFolder,
                workGroup.bytesScannedCutoffPerQuery(), faults.planFor(sql), reuseMaxAge, now);
        query.setParsedSql(parsed);
        Optional<QueryExecution> reusable = reuseMaxAge == null || !"SELECT".equals(statement.kind().substatementType())
                ? Optional.empty()
                : registry.reusable(asked, Duration.ofMinutes(reuseMaxAge), now);
        reusable.ifPresent(source -> query.reuse(source, now));
        Optional<QueryExecution> raced = registry.addUnlessTokenTaken(token, query);
        if (raced.isPresent()) {
            return sameRequestOrMismatch(raced.get(), asked);
        }
        if (reusable.isEmpty()) {
            lifecycle.submit(query);
        }
        return idResponse(id);
    }

    private ObjectNode get(JsonRequest request) {
        String id = request.string("QueryExecutionId");
        new Validation().required(id, "queryExecutionId").check();
        QueryExecution query = registry.find(id).orElseThrow(() -> AthenaException.queryNotFound(id));
        lifecycle.refresh(query);
        ObjectNode response = Json.object();
        response.set("QueryExecution", query.toJson(clock.instant()));
        return response;
    }

    private ObjectNode batchGet(JsonRequest request) {
        List<String> ids = request.stringList("QueryExecutionIds");
        new Validation().required(ids, "queryExecutionIds").size(ids, "queryExecutionIds", 1, 50).check();
        calls.recordBatch(ids.size());
        ObjectNode response = Json.object();
        ArrayNode found = response.putArray("QueryExecutions");
        ArrayNode unprocessed = response.putArray("UnprocessedQueryExecutionIds");
        for (String id : ids) {
            Optional<QueryExecution> query = registry.find(id);
            if (query.isPresent()) {
                lifecycle.refresh(query.get());
                found.add(query.get().toJson(clock.instant()));
            } else {
                ObjectNode missing = unprocessed.addObject();
                missing.put("QueryExecutionId", id);
                missing.put("ErrorCode", AthenaException.INVALID_INPUT);
                missing.put("ErrorMessage", "QueryExecution " + id + " was not found");
            }
        }
        return response;
    }

    private ObjectNode stop(JsonRequest request) throws InterruptedException {
        String id = request.string("QueryExecutionId");
        new Validation().required(id, "queryExecutionId").check();
        QueryExecution query = registry.find(id).orElseThrow(() -> AthenaException.queryNotFound(id));
        lifecycle.refresh(query);
        lifecycle.stop(query);
        return Json.object();
    }

    private static ObjectNode sameRequestOrMismatch(QueryExecution earlier, QueryExecution.Request asked) {
        if (!earlier.request.sameParameters(asked)) {
            throw AthenaException.invalidRequest("IDEMPOTENT_PARAMETER_MISMATCH", "Idempotent parameters do not match");
        }
        return idResponse(earlier.id);
    }

    /** The folder results go to: the workgroup's when it enforces its settings, else the request's. */
    private static S3Location outputFolder(WorkGroups.WorkGroup workGroup, String requested) {
        String location = workGroup.enforce() && workGroup.outputLocation() != null ? workGroup.outputLocation()
                : requested != null ? requested : workGroup.outputLocation();
        if (location == null) {
            throw AthenaException.invalidInput("No output location provided. An output location is required either "
                    + "through the Workgroup result configuration setting or as an API input.");
        }
        return S3Location.parse(location)
                .orElseThrow(() -> AthenaException.invalidInput("outputLocation is not a valid S3 path."))
                .asFolder();
    }

    private static Integer reuseMaxAge(JsonRequest reuse) {
        JsonRequest byAge = reuse == null ? null : reuse.structure("ResultReuseByAgeConfiguration");
        if (byAge == null || !Boolean.TRUE.equals(byAge.bool("Enabled"))) {
            return null;
        }
        Integer maxAge = byAge.integer("MaxAgeInMinutes");
        new Validation().range(maxAge, "resultReuseConfiguration.resultReuseByAgeConfiguration.maxAgeInMinutes",
                0, 10_080).check();
        return maxAge == null ? 60 : maxAge;
    }

    /** Replaces each {@code ?} outside literals with the next execution parameter, as Athena does. */
    private static String bind(String sql, List<String> parameters) {
        StringBuilder out = new StringBuilder();
        int copied = 0;
        int next = 0;
        for (SqlText.Token token : SqlText.of(sql).tokens()) {
            if (token.isSymbol("?") && next < parameters.size()) {
                out.append(sql, copied, token.start()).append(parameters.get(next++));
                copied = token.end();
            }
        }
        return out.append(sql.substring(copied)).toString();
    }

    /** A Trino-style engine query id, e.g. {@code 20260917_085344_00007_k6s5b}. */
    private String engineQueryId(Instant now, String id) {
        String suffix = id.replaceAll("[^a-z]", "") + "abcde";
        return ENGINE_ID_TIME.format(LocalDateTime.ofInstant(now, ZoneOffset.UTC)) + "_"
                + String.format("%05d", engineQueries.incrementAndGet() % 100_000) + "_" + suffix.substring(0, 5);
    }

    private static ObjectNode idResponse(String id) {
        ObjectNode response = Json.object();
        response.put("QueryExecutionId", id);
        return response;
    }
}
