package io.sluice.store;

import org.jdbi.v3.core.Jdbi;

import java.util.List;

/** {@link InstanceStore} on the {@code sluice_instances} table. */
public final class JdbcInstanceStore implements InstanceStore {

    private final Jdbi jdbi;
    private final StoreHealth health;
    private final StoreWrites writes;

    public JdbcInstanceStore(Database database) {
        this.jdbi = database.jdbi();
        this.health = database.health();
        this.writes = database.writes();
    }

    @Override
    public void register(String id, long leaseMillis, long now) {
        health.call(() -> writes.inTransaction(h -> {
            h.createUpdate("DELETE FROM sluice_instances WHERE id = :id").bind("id", id).execute();
            return h.createUpdate("""
                    INSERT INTO sluice_instances (id, beat, lease_millis, started_at, heartbeat_at)
                    VALUES (:id, 0, :lease, :now, :now)""")
                    .bind("id", id).bind("lease", leaseMillis).bind("now", now).execute();
        }));
    }

    @Override
    public void beat(String id, long leaseMillis, long now) {
        int updated = health.call(() -> writes.inTransaction(h -> h.createUpdate("""
                UPDATE sluice_instances SET beat = beat + 1, lease_millis = :lease, heartbeat_at = :now
                WHERE id = :id""").bind("id", id).bind("lease", leaseMillis).bind("now", now).execute()));
        if (updated == 0) {
            register(id, leaseMillis, now);
        }
    }

    @Override
    public void remove(String id) {
        health.call(() -> writes.inTransaction(h -> h.createUpdate("DELETE FROM sluice_instances WHERE id = :id")
                .bind("id", id).execute()));
    }

    @Override
    public List<Instance> all() {
        return health.call(() -> jdbi.withHandle(h -> h.createQuery(
                        "SELECT id, beat, lease_millis, started_at, heartbeat_at FROM sluice_instances")
                .map((rs, ctx) -> new Instance(rs.getString("id"), rs.getLong("beat"), rs.getLong("lease_millis"),
                        rs.getLong("started_at"), rs.getLong("heartbeat_at")))
                .list()));
    }
}
