package io.sluice.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.sql.Statement;

/** The store contract on a real PostgreSQL server (zonky's embedded binaries), started once for the class. */
class PostgresQueryStoreTest extends QueryStoreContract {

    private EmbeddedPostgres postgres;

    @Override
    protected void startServer() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
    }

    @Override
    protected Connection createEmptyDatabase(String name) throws Exception {
        try (java.sql.Connection admin = postgres.getPostgresDatabase().getConnection();
             Statement s = admin.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return new Connection("jdbc:postgresql://localhost:" + postgres.getPort() + "/" + name, "postgres", null);
    }

    @Override
    protected void stopServer() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }
}
