package io.sluice.engine.athena;

import io.sluice.engine.CatalogBrowser;
import io.sluice.engine.EngineException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.Column;
import software.amazon.awssdk.services.athena.model.DataCatalogSummary;
import software.amazon.awssdk.services.athena.model.Database;
import software.amazon.awssdk.services.athena.model.MetadataException;
import software.amazon.awssdk.services.athena.model.TableMetadata;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Athena's catalog: ListDataCatalogs → ListDatabases → ListTableMetadata (50 a page, all pages
 * followed) → GetTableMetadata. Partition keys are listed after the columns and marked.
 */
final class AthenaCatalog implements CatalogBrowser {

    private final AthenaClient athena;

    AthenaCatalog(AthenaClient athena) {
        this.athena = athena;
    }

    @Override
    public List<String> catalogs() throws EngineException {
        try {
            List<String> names = new ArrayList<>();
            athena.listDataCatalogsPaginator(r -> r.maxResults(50)).dataCatalogsSummary()
                    .forEach((DataCatalogSummary c) -> names.add(c.catalogName()));
            return names;
        } catch (SdkException e) {
            throw AthenaErrors.of("ListDataCatalogs", e);
        }
    }

    @Override
    public List<String> databases(String catalog) throws EngineException {
        try {
            List<String> names = new ArrayList<>();
            athena.listDatabasesPaginator(r -> r.catalogName(catalog).maxResults(50)).databaseList()
                    .forEach((Database d) -> names.add(d.name()));
            return names;
        } catch (MetadataException e) {
            throw notFound("CATALOG_NOT_FOUND", Map.of("catalog", catalog), e);
        } catch (SdkException e) {
            throw missing(e, "CATALOG_NOT_FOUND", Map.of("catalog", catalog), "ListDatabases");
        }
    }

    @Override
    public List<TableInfo> tables(String catalog, String database) throws EngineException {
        try {
            List<TableInfo> tables = new ArrayList<>();
            athena.listTableMetadataPaginator(r -> r.catalogName(catalog).databaseName(database).maxResults(50))
                    .tableMetadataList().forEach(t -> tables.add(table(t)));
            return tables;
        } catch (MetadataException e) {
            throw notFound("DATABASE_NOT_FOUND", Map.of("catalog", catalog, "database", database), e);
        } catch (SdkException e) {
            throw missing(e, "DATABASE_NOT_FOUND", Map.of("catalog", catalog, "database", database), "ListTableMetadata");
        }
    }

    @Override
    public TableInfo table(String catalog, String database, String table) throws EngineException {
        try {
            return table(athena.getTableMetadata(r -> r.catalogName(catalog).databaseName(database).tableName(table))
                    .tableMetadata());
        } catch (MetadataException e) {
            throw notFound("TABLE_NOT_FOUND", Map.of("catalog", catalog, "database", database, "table", table), e);
        } catch (SdkException e) {
            throw missing(e, "TABLE_NOT_FOUND", Map.of("catalog", catalog, "database", database, "table", table),
                    "GetTableMetadata");
        }
    }

    private static TableInfo table(TableMetadata t) {
        List<ColumnInfo> columns = new ArrayList<>();
        for (Column c : t.columns()) {
            columns.add(new ColumnInfo(c.name(), c.type(), false, c.comment()));
        }
        for (Column c : t.partitionKeys()) {
            columns.add(new ColumnInfo(c.name(), c.type(), true, c.comment()));
        }
        return new TableInfo(t.name(), t.tableType(), columns);
    }

    /** Athena answers an unknown catalog, database or table with an InvalidRequest/Metadata error. */
    private static EngineException missing(SdkException e, String code, Map<String, Object> details, String action) {
        String message = e.getMessage() == null ? "" : e.getMessage().toLowerCase(java.util.Locale.ROOT);
        if (message.contains("not found") || message.contains("does not exist") || message.contains("entitynotfound")) {
            return notFound(code, details, e);
        }
        return AthenaErrors.of(action, e);
    }

    private static EngineException notFound(String code, Map<String, Object> details, Exception e) {
        return new EngineException(code, EngineException.Kind.USER, e.getMessage(), details, e);
    }
}
