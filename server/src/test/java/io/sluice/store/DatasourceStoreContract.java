package io.sluice.store;

import io.sluice.datasource.Datasource;
import io.sluice.datasource.DatasourceParams;
import io.sluice.datasource.DatasourceRekey;
import io.sluice.datasource.DatasourceStore;
import io.sluice.datasource.DatasourceType;
import io.sluice.datasource.JdbcDatasourceStore;
import io.sluice.datasource.PasswordCipher;
import io.sluice.datasource.StoredDatasource;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the datasources table must do on every store database, with the real migrations. */
interface DatasourceStoreContract {

    Instant T = Instant.parse("2026-03-04T05:06:07.008Z");

    Database database();

    private DatasourceStore datasources() {
        return new JdbcDatasourceStore(database(), io.sluice.Json.mapper());
    }

    private static PasswordCipher cipher() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return PasswordCipher.fromBase64(Base64.getEncoder().encodeToString(key));
    }

    private static StoredDatasource datasource(String owner, String id, boolean shared, Optional<String> sealed) {
        return new StoredDatasource(new Datasource(id, owner, DatasourceType.POSTGRESQL,
                DatasourceParams.network("db.internal", 5432, "sales", "analyst", DatasourceParams.SslMode.REQUIRE),
                shared, sealed.isPresent(), T, T, 0), sealed);
    }

    @Test
    default void datasourcesAreKeptByOwnerAndIdAndSharedIdsAreUnique() {
        DatasourceStore store = datasources();
        String alice = "alice-" + UUID.randomUUID() + "@example.com";
        String bob = "bob-" + UUID.randomUUID() + "@example.com";
        String shared = "team-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(store.insert(datasource(alice, "pg", false, Optional.empty()))).isTrue();
        assertThat(store.insert(datasource(alice, "pg", false, Optional.empty()))).isFalse();
        assertThat(store.insert(datasource(bob, "pg", false, Optional.empty()))).isTrue();
        assertThat(store.insert(datasource(alice, shared, true, Optional.empty()))).isTrue();
        assertThat(store.insert(datasource(bob, shared, true, Optional.empty()))).isFalse();

        Datasource read = store.find(alice, "pg").orElseThrow().datasource();
        assertThat(read.params()).isEqualTo(datasource(alice, "pg", false, Optional.empty()).datasource().params());
        assertThat(read.createdAt()).isEqualTo(T);
        assertThat(store.findShared(shared).orElseThrow().datasource().owner()).isEqualTo(alice);
        assertThat(store.listVisibleTo(bob).stream().map(s -> s.datasource().owner() + "/" + s.datasource().id()))
                .contains(bob + "/pg", alice + "/" + shared).doesNotContain(alice + "/pg");

        // Compare-and-set on the version; sharing a second datasource under a shared id is refused.
        StoredDatasource v0 = store.find(bob, "pg").orElseThrow();
        assertThat(store.update(datasource(bob, "pg", false, Optional.empty()), 0)).isTrue();
        assertThat(store.update(datasource(bob, "pg", false, Optional.empty()), v0.datasource().version())).isFalse();
        assertThat(store.insert(datasource(bob, shared, false, Optional.empty()))).isTrue();
        assertThatThrownBy(() -> store.update(datasource(bob, shared, true, Optional.empty()), 0))
                .isInstanceOf(DatasourceStore.SharedIdTakenException.class);
        assertThat(store.delete(bob, "pg")).isTrue();
        assertThat(store.delete(bob, "pg")).isFalse();
    }

    @Test
    default void theStoredRowHoldsOnlyTheSealedPasswordAndRekeyMovesItToTheNewKey() {
        DatasourceStore store = datasources();
        String owner = "carol-" + UUID.randomUUID() + "@example.com";
        String password = "Plain-" + UUID.randomUUID();
        PasswordCipher oldKey = cipher();
        PasswordCipher newKey = cipher();
        store.insert(datasource(owner, "sealed", false, Optional.of(oldKey.seal(password, owner, "sealed"))));

        String row = database().jdbi().withHandle(h -> h.createQuery(
                        "SELECT * FROM datasources WHERE owner = :owner").bind("owner", owner)
                .mapToMap().one().toString());
        assertThat(row).doesNotContain(password).contains("v1:").contains("analyst");

        DatasourceRekey.run(new OwnerOnly(store, owner), oldKey, newKey);
        String sealed = store.find(owner, "sealed").orElseThrow().sealedPassword().orElseThrow();
        assertThat(newKey.open(sealed, owner, "sealed")).isEqualTo(password);
        assertThatThrownBy(() -> oldKey.open(sealed, owner, "sealed")).isInstanceOf(PasswordCipher.WrongKeyException.class);
    }

    /** The store seen through one owner's rows (other tests' rows are sealed under other keys). */
    record OwnerOnly(DatasourceStore store, String owner) implements DatasourceStore {
        public boolean insert(StoredDatasource d) { return store.insert(d); }
        public Optional<StoredDatasource> find(String o, String id) { return store.find(o, id); }
        public Optional<StoredDatasource> findShared(String id) { return store.findShared(id); }
        public java.util.List<StoredDatasource> listVisibleTo(String o) { return store.listVisibleTo(o); }
        public boolean update(StoredDatasource d, long v) { return store.update(d, v); }
        public boolean delete(String o, String id) { return store.delete(o, id); }
        public java.util.List<StoredDatasource> allWithPasswords() {
            return store.allWithPasswords().stream().filter(s -> s.datasource().owner().equals(owner)).toList();
        }
        public void replaceSealedPasswords(java.util.List<StoredDatasource> r) { store.replaceSealedPasswords(r); }
    }
}
