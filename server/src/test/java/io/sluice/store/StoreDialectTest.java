package io.sluice.store;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoreDialectTest {

    @Test
    void theDialectComesFromTheUrlScheme() {
        assertThat(StoreDialect.fromUrl("jdbc:h2:file:./data/sluice")).isEqualTo(StoreDialect.H2);
        assertThat(StoreDialect.fromUrl("jdbc:postgresql://db:5432/sluice")).isEqualTo(StoreDialect.POSTGRESQL);
        assertThat(StoreDialect.fromUrl("jdbc:mysql://db:3306/sluice")).isEqualTo(StoreDialect.MYSQL);
        assertThat(StoreDialect.fromUrl("jdbc:mariadb://db:3306/sluice")).isEqualTo(StoreDialect.MYSQL);
        assertThat(StoreDialect.fromUrl("JDBC:MySQL://db/sluice")).isEqualTo(StoreDialect.MYSQL);
    }

    @Test
    void otherUrlsAreRefusedWithoutShowingTheirParameters() {
        assertThatThrownBy(() -> StoreDialect.fromUrl("jdbc:sqlserver://db;password=secret"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbc:sqlserver://db")
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> StoreDialect.fromUrl(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mysqlUrlsGoToTheMariaDbDriver() {
        assertThat(StoreDialect.MYSQL.driverUrl("jdbc:mysql://db:3306/sluice?useSSL=true"))
                .isEqualTo("jdbc:mariadb://db:3306/sluice?useSSL=true");
        assertThat(StoreDialect.MYSQL.driverUrl("jdbc:mariadb://db/sluice")).isEqualTo("jdbc:mariadb://db/sluice");
    }

    @Test
    void inMemoryH2KeepsItsDataWhileThePoolIsEmpty() {
        assertThat(StoreDialect.H2.driverUrl("jdbc:h2:mem:x")).isEqualTo("jdbc:h2:mem:x;DB_CLOSE_DELAY=-1");
        assertThat(StoreDialect.H2.driverUrl("jdbc:h2:mem:x;db_close_delay=5")).isEqualTo("jdbc:h2:mem:x;db_close_delay=5");
        assertThat(StoreDialect.POSTGRESQL.driverUrl("jdbc:postgresql://db/s")).isEqualTo("jdbc:postgresql://db/s");
    }

    @Test
    void h2OnDiskWritesEveryCommitBeforeAnsweringUnlessTheUrlSaysOtherwise() {
        assertThat(StoreDialect.H2.driverUrl("jdbc:h2:file:./data/sluice")).isEqualTo("jdbc:h2:file:./data/sluice;WRITE_DELAY=0");
        assertThat(StoreDialect.H2.driverUrl("jdbc:h2:file:./d;write_delay=100")).isEqualTo("jdbc:h2:file:./d;write_delay=100");
    }

    @Test
    void placeholdersGiveEachDatabaseItsLongTextType() {
        assertThat(StoreDialect.H2.placeholders()).containsEntry("long_text", "CLOB").containsEntry("table_options", "");
        assertThat(StoreDialect.POSTGRESQL.placeholders()).containsEntry("long_text", "TEXT");
        assertThat(StoreDialect.MYSQL.placeholders()).containsEntry("long_text", "MEDIUMTEXT")
                .hasEntrySatisfying("table_options", o -> assertThat(o).contains("utf8mb4"));
    }

    @Test
    void likePatternsMatchTextLiterally() {
        assertThat(JdbcQueryStore.escapeLike("50%_a!b\\c")).isEqualTo("50!%!_a!!b\\c");
    }
}
