package io.sluice.datasource;

import io.sluice.access.Admins;
import io.sluice.access.Caller;
import io.sluice.api.MessageCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The datasource registry's rules. A user sees their own datasources and the shared ones; another
 * user's unshared datasource does not exist for them (not found, never forbidden). Only admins may
 * share one; a shared datasource may be tested by everyone, and changed or removed only by its
 * owner or an admin. Passwords are sealed before they are stored and opened only to connect.
 */
public final class DatasourceService {

    private static final Logger LOG = LoggerFactory.getLogger(DatasourceService.class);

    private final DatasourceStore store;
    private final PasswordCipher cipher;
    private final ConnectionTester tester;
    private final SqlitePaths sqlitePaths;
    private final Admins admins;
    private final Clock clock;

    public DatasourceService(DatasourceStore store, PasswordCipher cipher, ConnectionTester tester,
                             SqlitePaths sqlitePaths, Admins admins, Clock clock) {
        this.store = store;
        this.cipher = cipher;
        this.tester = tester;
        this.sqlitePaths = sqlitePaths;
        this.admins = admins;
        this.clock = clock;
    }

    public Datasource create(Caller caller, String id, DatasourceInput input) {
        boolean shared = Boolean.TRUE.equals(input.shared());
        if (shared) {
            requireAdmin(caller);
        }
        checkPath(input);
        if (store.find(caller.identity(), id).isPresent() || store.findShared(id).isPresent()) {
            throw exists(id);
        }
        Instant now = now();
        Datasource d = new Datasource(id, caller.identity(), input.type(), input.params(), shared,
                input.password().isPresent(), now, now, 0);
        Optional<String> sealed = input.password().map(p -> cipher.seal(p, d.owner(), d.id()));
        if (!store.insert(new StoredDatasource(d, sealed))) {
            throw exists(id);
        }
        LOG.info("datasource {} ({}) created by {}{}", id, d.type().apiName(), d.owner(), shared ? ", shared" : "");
        return d;
    }

    public List<Datasource> list(Caller caller) {
        return store.listVisibleTo(caller.identity()).stream().map(StoredDatasource::datasource).toList();
    }

    public Datasource get(Caller caller, String id) {
        return visible(caller, id).datasource();
    }

    public Datasource update(Caller caller, String id, DatasourceInput input) {
        StoredDatasource current = visible(caller, id);
        Datasource old = current.datasource();
        requireEditor(caller, old);
        boolean shared = input.shared() == null ? old.shared() : input.shared();
        if (shared && !old.shared()) {
            requireAdmin(caller);
        }
        checkPath(input);
        Optional<String> sealed = input.type() == DatasourceType.SQLITE ? Optional.empty()
                : input.password().isPresent() ? input.password().map(p -> cipher.seal(p, old.owner(), old.id()))
                : current.sealedPassword();
        Datasource updated = new Datasource(old.id(), old.owner(), input.type(), input.params(), shared,
                sealed.isPresent(), old.createdAt(), now(), old.version() + 1);
        boolean done;
        try {
            done = store.update(new StoredDatasource(updated, sealed), old.version());
        } catch (DatasourceStore.SharedIdTakenException e) {
            throw exists(id);
        }
        if (!done) {
            throw new DatasourceException(MessageCode.DATASOURCE_CHANGED, Map.of("id", id));
        }
        LOG.info("datasource {} of {} updated by {}", id, old.owner(), caller.identity());
        return updated;
    }

    public void delete(Caller caller, String id) {
        Datasource d = visible(caller, id).datasource();
        requireEditor(caller, d);
        if (!store.delete(d.owner(), d.id())) {
            throw notFound(id);
        }
        LOG.info("datasource {} of {} deleted by {}", id, d.owner(), caller.identity());
    }

    /** Connects to the datasource's database as a user of it would (every user may test a shared one). */
    public ConnectionTester.Outcome test(Caller caller, String id) {
        UsableDatasource usable = forUse(caller, id);
        return tester.test(usable.datasource(), usable.password());
    }

    /**
     * The datasource {@code id} as {@code caller} may use it, with its opened password: the caller's
     * own, else a shared one (every user may use a shared datasource with its owner's password).
     *
     * @throws DatasourceException {@code CONNECTION_NOT_FOUND} when there is neither
     */
    public UsableDatasource forUse(Caller caller, String id) {
        StoredDatasource s = visible(caller, id);
        String password = s.sealedPassword().map(sealed -> open(s.datasource(), sealed)).orElse(null);
        return new UsableDatasource(s.datasource(), password);
    }

    /**
     * How many stored passwords {@code cipher} cannot open (start-up refuses a key that does not fit
     * the store).
     */
    public static long unopenable(DatasourceStore store, PasswordCipher cipher) {
        return store.allWithPasswords().stream().filter(s -> {
            try {
                cipher.open(s.sealedPassword().orElseThrow(), s.datasource().owner(), s.datasource().id());
                return false;
            } catch (PasswordCipher.WrongKeyException e) {
                return true;
            }
        }).count();
    }

    /** The caller's own datasource {@code id}, else the shared one, else not found. */
    private StoredDatasource visible(Caller caller, String id) {
        return store.find(caller.identity(), id).or(() -> store.findShared(id)).orElseThrow(() -> notFound(id));
    }

    private String open(Datasource d, String sealed) {
        try {
            return cipher.open(sealed, d.owner(), d.id());
        } catch (PasswordCipher.WrongKeyException e) {
            throw new IllegalStateException("the password of datasource " + d.id() + " of " + d.owner()
                    + " does not open with the configured datasources.encryptionKey");
        }
    }

    private void checkPath(DatasourceInput input) {
        if (input.type() == DatasourceType.SQLITE) {
            sqlitePaths.resolve(input.params().path());
        }
    }

    private void requireAdmin(Caller caller) {
        if (!admins.contains(caller)) {
            throw new DatasourceException(MessageCode.ACCESS_DENIED,
                    Map.of("reason", "only admins (auth.admins) may share a datasource"));
        }
    }

    private void requireEditor(Caller caller, Datasource d) {
        if (!d.owner().equals(caller.identity()) && !admins.contains(caller)) {
            throw new DatasourceException(MessageCode.ACCESS_DENIED,
                    Map.of("reason", "a shared datasource may be changed only by its owner or an admin"));
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static DatasourceException notFound(String id) {
        return new DatasourceException(MessageCode.CONNECTION_NOT_FOUND, Map.of("id", id));
    }

    private static DatasourceException exists(String id) {
        return new DatasourceException(MessageCode.CONNECTION_EXISTS, Map.of("id", id));
    }
}
