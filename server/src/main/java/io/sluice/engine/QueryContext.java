package io.sluice.engine;

/** Where unqualified table names resolve: a catalog and a database (schema) inside it. */
public record QueryContext(String catalog, String database) {
}
