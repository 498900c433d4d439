package io.sluice.engine.duckdb;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Databases of the engine's users' own (their workspaces), in which a user's queries run instead
 * of on the engine's shared database. Such a database sees the engine's database too, so a query
 * behaves as on the engine and can also read the user's own tables.
 */
public interface OwnerDatabases {

    /** A connection into {@code owner}'s own database, if they have one; closing the lease ends its use. */
    Optional<Lease> open(String owner) throws SQLException;

    /** One connection into one owner's database. */
    interface Lease extends AutoCloseable {
        Connection connection();

        @Override
        void close();
    }
}
