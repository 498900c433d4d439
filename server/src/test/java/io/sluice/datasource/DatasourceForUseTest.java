package io.sluice.datasource;

import io.sluice.Json;
import io.sluice.access.Admins;
import io.sluice.access.Caller;
import io.sluice.api.MessageCode;
import io.sluice.store.Database;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link DatasourceService#forUse}, on a real store with real sealed passwords: the caller's own
 * datasource or a shared one, with its opened password; another user's unshared one does not exist
 * for the caller.
 */
class DatasourceForUseTest {

    @TempDir
    static Path dir;
    static Database database;
    static DatasourceService service;
    static final Caller ALICE = new Caller("alice@example.com");
    static final Caller BOB = new Caller("bob@example.com");
    static final Caller ADMIN = new Caller("admin@example.com");

    @BeforeAll
    static void start() {
        database = Database.open("jdbc:h2:mem:for-use;DB_CLOSE_DELAY=-1", "sa", "", 2);
        SqlitePaths sqlite = new SqlitePaths(List.of(dir));
        service = new DatasourceService(new JdbcDatasourceStore(database, Json.mapper()),
                PasswordCipher.fromBase64(DatasourceFixture.randomKey()),
                new ConnectionTester(Duration.ofSeconds(2), sqlite, Clock.systemUTC()), sqlite,
                new Admins(List.of(ADMIN.identity())), Clock.systemUTC());
        DatasourceParams params = DatasourceParams.network("127.0.0.1", 5432, "db", "u", null);
        service.create(ALICE, "mine", new DatasourceInput(DatasourceType.POSTGRESQL, params, Optional.of("alice-pw"), false));
        service.create(ADMIN, "team", new DatasourceInput(DatasourceType.MYSQL, params, Optional.of("team-pw"), true));
        service.create(BOB, "bobs", new DatasourceInput(DatasourceType.POSTGRESQL, params, Optional.empty(), false));
    }

    @AfterAll
    static void stop() {
        database.close();
    }

    @Test
    void theCallersOwnAndSharedDatasourcesComeWithTheirOpenedPasswords() {
        UsableDatasource mine = service.forUse(ALICE, "mine");
        assertThat(mine.datasource().id()).isEqualTo("mine");
        assertThat(mine.password()).isEqualTo("alice-pw");
        assertThat(mine.toString()).doesNotContain("alice-pw");
        UsableDatasource team = service.forUse(ALICE, "team");
        assertThat(team.datasource().owner()).isEqualTo(ADMIN.identity());
        assertThat(team.password()).isEqualTo("team-pw");
        assertThat(service.forUse(BOB, "bobs").password()).isNull();
    }

    @Test
    void anotherUsersUnsharedDatasourceIsNotFound() {
        assertThatThrownBy(() -> service.forUse(ALICE, "bobs")).isInstanceOfSatisfying(DatasourceException.class,
                e -> assertThat(e.code()).isEqualTo(MessageCode.CONNECTION_NOT_FOUND));
        assertThatThrownBy(() -> service.forUse(ALICE, "nothing")).isInstanceOfSatisfying(DatasourceException.class,
                e -> assertThat(e.code()).isEqualTo(MessageCode.CONNECTION_NOT_FOUND));
    }
}
