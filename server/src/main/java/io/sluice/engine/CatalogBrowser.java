package io.sluice.engine;

import java.util.List;

/**
 * Browsing an engine's catalog for the editor's schema browser and autocomplete. Each call answers
 * one level; a missing parent throws an {@link EngineException} with code {@code CATALOG_NOT_FOUND}, {@code DATABASE_NOT_FOUND} or {@code TABLE_NOT_FOUND}.
 */
public interface CatalogBrowser {

    List<String> catalogs() throws EngineException;

    List<String> databases(String catalog) throws EngineException;

    List<TableInfo> tables(String catalog, String database) throws EngineException;

    TableInfo table(String catalog, String database, String table) throws EngineException;

    /** A table with its columns; partition keys are marked. */
    record TableInfo(String name, String type, List<ColumnInfo> columns) {
    }

    /** A column; {@code partitionKey} is true for Athena partition columns. */
    record ColumnInfo(String name, String type, boolean partitionKey, String comment) {
    }
}
