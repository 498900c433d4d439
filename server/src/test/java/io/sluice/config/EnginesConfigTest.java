package io.sluice.config;

import io.sluice.Json;
import io.sluice.engine.EngineDefinition;
import io.sluice.engine.athena.AthenaSettings;
import io.sluice.engine.duckdb.DuckDbSettings;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code engines.<name>}: several engines of one type under their own names, each with a type from the registry. */
class EnginesConfigTest {

    private static final Path BASE = Path.of("").toAbsolutePath();
    private static final String PRICING = Path.of("../config/athena-pricing.json").toAbsolutePath().toString();

    private static SluiceConfig parse(String json) {
        return new ConfigLoader(Json.mapper(), Map.of()).parse(json, BASE);
    }

    private static List<String> problems(String json) {
        try {
            parse(json);
        } catch (ConfigException e) {
            return e.problems();
        }
        throw new AssertionError("expected a ConfigException");
    }

    private static String athena(String workgroup) {
        return """
                {"type": "athena", "region": "eu-west-1", "workgroup": "%s", "outputLocation": "s3://out/%s/",
                 "pricingFile": "%s"}""".formatted(workgroup, workgroup, PRICING);
    }

    @Test
    void twoDuckDbEnginesUnderTheirOwnNamesEachHaveTheirFileAndFolders() {
        SluiceConfig c = parse("""
                {"engines": {"default": "duckdb_hr",
                  "duckdb_sales": {"type": "duckdb", "database": "/srv/db/sales.duckdb", "allowedDirectories": ["/srv/sales"],
                                   "writableDirectories": [{"path": "/srv/sales/out", "quotaBytes": 1000}]},
                  "duckdb_hr": {"type": "duckdb", "database": "/srv/db/hr.duckdb", "readOnly": false,
                                "writableDirectories": [{"path": "/srv/hr/out", "quotaBytes": 2000}]}}}""");
        assertThat(c.engines().names()).containsExactly("duckdb_sales", "duckdb_hr");
        assertThat(c.engines().defaultEngine()).isEqualTo("duckdb_hr");
        assertThat(c.engines().definitions()).extracting(d -> d.type().name()).containsExactly("duckdb", "duckdb");
        DuckDbSettings sales = c.engines().settings("duckdb_sales", DuckDbSettings.class).orElseThrow();
        DuckDbSettings hr = c.engines().settings("duckdb_hr", DuckDbSettings.class).orElseThrow();
        assertThat(sales.database()).isEqualTo(Path.of("/srv/db/sales.duckdb"));
        assertThat(sales.allowedDirectories()).containsExactly(Path.of("/srv/sales"));
        assertThat(sales.writableDirectories()).containsExactly(
                new DuckDbSettings.WritableDirectory(Path.of("/srv/sales/out"), 1000));
        assertThat(sales.readOnly()).isTrue();
        assertThat(hr.database()).isEqualTo(Path.of("/srv/db/hr.duckdb"));
        assertThat(hr.readOnly()).isFalse();
        assertThat(hr.writableDirectories()).containsExactly(new DuckDbSettings.WritableDirectory(Path.of("/srv/hr/out"), 2000));
        assertThat(c.engines().settings("duckdb_hr", AthenaSettings.class)).isEmpty();
    }

    @Test
    void twoAthenaEnginesForTwoWorkgroups() {
        SluiceConfig c = parse("{\"engines\": {\"athena_eu\": " + athena("analysts") + ", \"athena_etl\": " + athena("etl") + "}}");
        assertThat(c.engines().settings("athena_eu", AthenaSettings.class).orElseThrow().workgroup()).isEqualTo("analysts");
        assertThat(c.engines().settings("athena_etl", AthenaSettings.class).orElseThrow().outputLocation())
                .isEqualTo("s3://out/etl/");
        // Without engines.default, the first engine of the first registry type: here the first listed.
        assertThat(c.engines().defaultEngine()).isEqualTo("athena_eu");
    }

    @Test
    void theLegacyKeysNameTheirTypeAndTheEmbeddedEngineStaysTheDefault() {
        SluiceConfig c = parse("{\"engines\": {\"athena\": " + athena("primary").replace("\"type\": \"athena\", ", "")
                + ", \"duckdb\": {}}}");
        assertThat(c.engines().names()).containsExactly("athena", "duckdb");
        assertThat(c.engines().definitions()).extracting(EngineDefinition::name, d -> d.type().name())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("athena", "athena"),
                        org.assertj.core.groups.Tuple.tuple("duckdb", "duckdb"));
        // As before the registry: DuckDB is the default when engines.default names none.
        assertThat(c.engines().defaultEngine()).isEqualTo("duckdb");
        assertThat(c.engines().settings("duckdb", DuckDbSettings.class).orElseThrow().database())
                .isEqualTo(BASE.resolve("data/sluice.duckdb"));
    }

    @Test
    void theDefaultMayNameAnyConfiguredEngine() {
        SluiceConfig c = parse("""
                {"engines": {"default": "lake", "duckdb": {}, "lake": {"type": "duckdb", "database": "/srv/lake.duckdb"}}}""");
        assertThat(c.engines().defaultEngine()).isEqualTo("lake");
        assertThat(problems("{\"engines\": {\"default\": \"nowhere\", \"lake\": {\"type\": \"duckdb\"}}}"))
                .contains("engines.default names engine \"nowhere\", which is not configured; configured: [lake]");
    }

    @Test
    void anEngineNameMustBeASafeIdentifier() {
        List<String> problems = problems("""
                {"engines": {"sales db": {"type": "duckdb", "database": "/srv/a.duckdb", "memoryLimit": "lots"},
                             "../x": {"type": "duckdb", "database": "/srv/b.duckdb"},
                             "%s": {"type": "duckdb", "database": "/srv/c.duckdb"},
                             "ok-name_2": {"type": "duckdb", "database": "/srv/d.duckdb"}}}""".formatted("n".repeat(65)));
        assertThat(problems).contains(
                "engines.sales db is not a usable engine name: 1..64 letters, digits, '_' or '-'",
                "engines.../x is not a usable engine name: 1..64 letters, digits, '_' or '-'",
                "engines." + "n".repeat(65) + " is not a usable engine name: 1..64 letters, digits, '_' or '-'");
        // The section is still read: its own problems are listed with the name's.
        assertThat(problems).anyMatch(p -> p.startsWith("engines.sales db.memoryLimit must be a size"));
        assertThat(problems).noneMatch(p -> p.contains("ok-name_2"));
        assertThat(problems).hasSize(4);
    }

    @Test
    void anUnknownTypeIsNamedWithTheKnownTypes() {
        assertThat(problems("{\"engines\": {\"warehouse\": {\"type\": \"snowflake\", \"account\": \"x\"}}}"))
                .containsExactly("engines.warehouse.type is \"snowflake\", which is not an engine type; known types: [duckdb, athena]");
        assertThat(problems("{\"engines\": {\"sales\": {\"database\": \"/srv/sales.duckdb\"}}}"))
                .containsExactly("engines.sales needs a \"type\" (its name is not an engine type); known types: [duckdb, athena]");
        assertThat(problems("{\"engines\": {\"default\": \"duckdb\"}}"))
                .anyMatch(p -> p.startsWith("engines must configure at least one engine"));
    }

    @Test
    void twoEnginesNeverShareADatabaseFile() {
        List<String> problems = problems("""
                {"engines": {"duckdb": {"database": "/srv/db/shared.duckdb"},
                             "copy": {"type": "duckdb", "database": "/srv/db/../db/shared.duckdb"}}}""");
        assertThat(problems).containsExactly("engines.copy uses /srv/db/shared.duckdb, which engine \"duckdb\" uses too: "
                + "each engine needs a file of its own");
    }

    @Test
    void noEngineWritesWhereAnotherKeepsItsFileOrWrites() {
        List<String> problems = problems("""
                {"engines": {"a": {"type": "duckdb", "database": "/srv/a/a.duckdb",
                                   "writableDirectories": [{"path": "/srv/b", "quotaBytes": 10}]},
                             "b": {"type": "duckdb", "database": "/srv/b/b.duckdb",
                                   "writableDirectories": [{"path": "/srv/out", "quotaBytes": 10}]},
                             "c": {"type": "duckdb", "database": "/srv/c/c.duckdb",
                                   "writableDirectories": [{"path": "/srv/out/c", "quotaBytes": 10}]}}}""");
        assertThat(problems).containsExactlyInAnyOrder(
                "engines.a lets queries write into /srv/b, which holds /srv/b/b.duckdb of engine \"b\"",
                "engines.c lets queries write into /srv/out/c, which overlaps /srv/out, where engine \"b\" writes: "
                        + "give each engine folders of its own");
    }
}
