package io.sluice.standin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.standin.DuckDbEngine.TableInfo;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The catalog and workgroup reads: ListDataCatalogs, ListDatabases, ListTableMetadata,
 * GetTableMetadata and GetWorkGroup, answered from DuckDB's catalog. List pages hold at most 50
 * items and carry a token only when more follow.
 */
final class CatalogOperations {
    private static final String CATALOG_NAME = "AwsDataCatalog";
    private static final int MAX_PAGE = 50;

    private final DuckDbEngine engine;
    private final WorkGroups workGroups;
    private final Instant catalogCreated;

    CatalogOperations(DuckDbEngine engine, WorkGroups workGroups, Instant catalogCreated) {
        this.engine = engine;
        this.workGroups = workGroups;
        this.catalogCreated = catalogCreated;
    }

    void register(Map<String, Operation> operations) {
        operations.put("ListDataCatalogs", this::listDataCatalogs);
        operations.put("ListDatabases", this::listDatabases);
        operations.put("ListTableMetadata", this::listTableMetadata);
        operations.put("GetTableMetadata", this::getTableMetadata);
        operations.put("GetWorkGroup", this::getWorkGroup);
    }

    private ObjectNode listDataCatalogs(JsonRequest request) {
        new Validation().range(request.integer("MaxResults"), "maxResults", 2, MAX_PAGE).check();
        ObjectNode response = Json.object();
        ObjectNode catalog = response.putArray("DataCatalogsSummary").addObject();
        catalog.put("CatalogName", CATALOG_NAME);
        catalog.put("Type", "GLUE");
        return response;
    }

    private ObjectNode listDatabases(JsonRequest request) throws SQLException {
        String catalog = request.string("CatalogName");
        Integer maxResults = request.integer("MaxResults");
        String nextToken = request.string("NextToken");
        new Validation()
                .required(catalog, "catalogName")
                .range(maxResults, "maxResults", 1, MAX_PAGE)
                .length(nextToken, "nextToken", 1, 1024)
                .check();
        requireCatalog(catalog);
        List<String> names = engine.databases();
        return page(names, "databases", maxResults, nextToken, "DatabaseList", (item, name) -> {
            item.put("Name", name);
            item.putObject("Parameters");
        });
    }

    private ObjectNode listTableMetadata(JsonRequest request) throws SQLException {
        String catalog = request.string("CatalogName");
        String database = request.string("DatabaseName");
        String expression = request.string("Expression");
        Integer maxResults = request.integer("MaxResults");
        String nextToken = request.string("NextToken");
        new Validation()
                .required(catalog, "catalogName")
                .required(database, "databaseName")
                .range(maxResults, "maxResults", 1, MAX_PAGE)
                .length(nextToken, "nextToken", 1, 1024)
                .check();
        requireCatalog(catalog);
        requireDatabase(database);
        List<TableInfo> tables = engine.tables(database);
        if (expression != null && !expression.isEmpty()) {
            Pattern pattern = NamePattern.compile(expression);
            tables = tables.stream().filter(table -> pattern.matcher(table.name()).matches())
                    .collect(Collectors.toList());
        }
        return page(tables, database + "|" + expression, maxResults, nextToken, "TableMetadataList",
                (item, table) -> describe(item, table));
    }

    private ObjectNode getTableMetadata(JsonRequest request) throws SQLException {
        String catalog = request.string("CatalogName");
        String database = request.string("DatabaseName");
        String table = request.string("TableName");
        new Validation()
                .required(catalog, "catalogName")
                .required(database, "databaseName")
                .required(table, "tableName")
                .check();
        requireCatalog(catalog);
        requireDatabase(database);
        TableInfo info = engine.table(database, table).orElseThrow(() -> AthenaException.metadata(
                "Entity Not Found (Service: AmazonDataCatalog; Status Code: 400; Error Code: EntityNotFoundException)"));
        ObjectNode response = Json.object();
        describe(response.putObject("TableMetadata"), info);
        return response;
    }

    private ObjectNode getWorkGroup(JsonRequest request) {
        String name = request.string("WorkGroup");
        new Validation().required(name, "workGroup").check();
        WorkGroups.WorkGroup group = workGroups.find(name)
                .orElseThrow(() -> AthenaException.invalidInput("WorkGroup is not found."));
        ObjectNode response = Json.object();
        ObjectNode workGroup = response.putObject("WorkGroup");
        workGroup.put("Name", group.name());
        workGroup.put("State", "ENABLED");
        ObjectNode configuration = workGroup.putObject("Configuration");
        ObjectNode results = configuration.putObject("ResultConfiguration");
        if (group.outputLocation() != null) {
            results.put("OutputLocation", group.outputLocation());
        }
        configuration.put("EnforceWorkGroupConfiguration", group.enforce());
        configuration.put("PublishCloudWatchMetricsEnabled", false);
        if (group.bytesScannedCutoffPerQuery() != null) {
            configuration.put("BytesScannedCutoffPerQuery", group.bytesScannedCutoffPerQuery());
        }
        configuration.put("RequesterPaysEnabled", false);
        ObjectNode engineVersion = configuration.putObject("EngineVersion");
        engineVersion.put("SelectedEngineVersion", "AUTO");
        engineVersion.put("EffectiveEngineVersion", "Athena engine version 3");
        configuration.put("EnableMinimumEncryptionConfiguration", false);
        workGroup.put("CreationTime", Json.epochSeconds(group.createdAt()));
        return response;
    }

    private void describe(ObjectNode item, TableInfo table) {
        item.put("Name", table.name());
        item.put("CreateTime", Json.epochSeconds(catalogCreated));
        item.put("TableType", table.view() ? "VIRTUAL_VIEW" : "EXTERNAL_TABLE");
        ArrayNode columns = item.putArray("Columns");
        ArrayNode partitionKeys = item.putArray("PartitionKeys");
        for (TableInfo.Column column : table.columns()) {
            ObjectNode node = (table.isPartitionKey(column) ? partitionKeys : columns).addObject();
            node.put("Name", column.name());
            node.put("Type", column.type().hiveName());
            if (column.comment() != null && !column.comment().isEmpty()) {
                node.put("Comment", column.comment());
            }
        }
        ObjectNode parameters = item.putObject("Parameters");
        if (!table.view()) {
            parameters.put("EXTERNAL", "TRUE");
        }
    }

    private static <T> ObjectNode page(List<T> items, String resource, Integer maxResults, String nextToken,
            String listName, BiConsumer<ObjectNode, T> render) {
        int size = maxResults == null ? MAX_PAGE : maxResults;
        int from = 0;
        if (nextToken != null) {
            PageToken.Position position = PageToken.decode(resource, nextToken);
            if (position == null || position.offset() > items.size()) {
                throw AthenaException.invalidInput("The nextPageToken is malformed: " + nextToken);
            }
            from = (int) position.offset();
        }
        int to = Math.min(items.size(), from + size);
        ObjectNode response = Json.object();
        ArrayNode list = response.putArray(listName);
        for (T item : items.subList(from, to)) {
            render.accept(list.addObject(), item);
        }
        if (to < items.size()) {
            response.put("NextToken", PageToken.encode(resource, to, false));
        }
        return response;
    }

    private static void requireCatalog(String catalog) {
        if (!catalog.equalsIgnoreCase(CATALOG_NAME)) {
            throw AthenaException.metadata("Catalog " + catalog + " was not found.");
        }
    }

    private void requireDatabase(String database) throws SQLException {
        if (!engine.databaseExists(database)) {
            throw AthenaException.metadata("Database " + database + " was not found.");
        }
    }
}
