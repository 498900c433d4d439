package io.sluice.store;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * {@link LeaseStore} on the {@code sluice_leases} table. Taking a lease is a conditional update of
 * its row (the holder's own, or an expired one), else an insert of a new row; the primary key lets
 * one insert win, and the update's condition is re-checked under the row lock, so one update wins.
 */
public final class JdbcLeaseStore implements LeaseStore {

    private static final String TAKE = """
            UPDATE sluice_leases SET holder = :holder, expires_at = :expires
            WHERE name = :name AND (holder = :holder OR expires_at <= :now)""";

    private static final String INSERT = """
            INSERT INTO sluice_leases (name, holder, expires_at) VALUES (:name, :holder, :expires)""";

    private final Jdbi jdbi;
    private final StoreHealth health;
    private final StoreWrites writes;

    public JdbcLeaseStore(Database database) {
        this.jdbi = database.jdbi();
        this.health = database.health();
        this.writes = database.writes();
    }

    @Override
    public boolean acquire(String name, String holder, long now, long lengthMillis) {
        long expires = now + lengthMillis;
        int taken = health.call(() -> writes.inTransaction(h -> h.createUpdate(TAKE).bind("name", name)
                .bind("holder", holder).bind("expires", expires).bind("now", now).execute()));
        if (taken == 1) {
            return true;
        }
        try {
            health.call(() -> writes.inTransaction(h -> h.createUpdate(INSERT).bind("name", name)
                    .bind("holder", holder).bind("expires", expires).execute()));
            return true;
        } catch (UnableToExecuteStatementException e) {
            if (JdbcQueryStore.isDuplicateKey(e.getCause())) {
                return false; // another instance holds it, or took it first
            }
            throw e;
        }
    }

    @Override
    public void release(String name, String holder) {
        health.call(() -> writes.inTransaction(h -> h.createUpdate(
                        "DELETE FROM sluice_leases WHERE name = :name AND holder = :holder")
                .bind("name", name).bind("holder", holder).execute()));
    }
}
