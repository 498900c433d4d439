package io.sluice.datasource;

import java.util.List;
import java.util.Optional;

/**
 * Where datasources are kept. A datasource is keyed by its owner and id; a shared one's id is also
 * unique among shared datasources, so an id a user sees names one datasource: their own, else the
 * shared one. Every write returns once committed.
 */
public interface DatasourceStore {

    /**
     * Adds a datasource.
     *
     * @return false when its owner already has one with this id, or it is shared and a shared one
     *         with this id exists
     */
    boolean insert(StoredDatasource datasource);

    /** The datasource {@code id} of {@code owner}. */
    Optional<StoredDatasource> find(String owner, String id);

    /** The shared datasource {@code id}, whoever owns it. */
    Optional<StoredDatasource> findShared(String id);

    /** The datasources of {@code owner} and every shared one, by id. */
    List<StoredDatasource> listVisibleTo(String owner);

    /**
     * Replaces a datasource's type, parameters, sharing, password and updated time, if its version is
     * still {@code expectedVersion} (the stored version then counts up by one).
     *
     * @return false when it changed meanwhile or is gone
     * @throws SharedIdTakenException when it becomes shared and another shared datasource has its id
     */
    boolean update(StoredDatasource datasource, long expectedVersion);

    /** Removes the datasource {@code id} of {@code owner}; false when there was none. */
    boolean delete(String owner, String id);

    /** Every datasource with a password: for re-encryption under a new key. */
    List<StoredDatasource> allWithPasswords();

    /** Replaces sealed passwords (owner, id → sealed) in one transaction: all or none. */
    void replaceSealedPasswords(List<StoredDatasource> resealed);

    /** A shared datasource with the same id exists already. */
    final class SharedIdTakenException extends RuntimeException {
        public SharedIdTakenException(String id, Throwable cause) {
            super("a shared datasource " + id + " exists", cause);
        }
    }
}
