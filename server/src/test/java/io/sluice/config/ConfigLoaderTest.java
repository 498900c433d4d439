package io.sluice.config;

import io.sluice.engine.athena.AthenaSettings;
import io.sluice.engine.duckdb.DuckDbSettings;
import io.sluice.Json;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {

    private static final Path BASE = Path.of("/srv/sluice");

    private static SluiceConfig parse(String json, Map<String, String> env) {
        return new ConfigLoader(Json.mapper(), env).parse(json, BASE);
    }

    private static List<String> problems(String json) {
        try {
            parse(json, Map.of());
        } catch (ConfigException e) {
            return e.problems();
        }
        throw new AssertionError("expected a ConfigException");
    }

    @Test
    void defaultsArePinned() {
        SluiceConfig c = parse("{\"engines\": {\"duckdb\": {}}}", Map.of("HOSTNAME", "Box-1"));
        assertThat(c.server().host()).isEqualTo("0.0.0.0");
        assertThat(c.server().port()).isEqualTo(8080);
        assertThat(c.server().maxRequestBytes()).isEqualTo(1_048_576);
        assertThat(c.server().instanceId()).as("host name and a random suffix").matches("box-1-[a-z0-9]{6}");
        assertThat(c.store().url()).isEqualTo("jdbc:h2:file:/srv/sluice/data/store/sluice");
        assertThat(c.store().maxPoolSize()).isEqualTo(10);
        assertThat(c.results().dir()).isEqualTo(Path.of("/srv/sluice/data/results"));
        assertThat(c.results().defaultPageSize()).isEqualTo(100);
        assertThat(c.results().maxPageSize()).isEqualTo(1000);
        assertThat(c.results().linkTtl()).isEqualTo(Duration.ofHours(24));
        assertThat(c.results().fsync()).isFalse();
        assertThat(c.results().linkSecret()).isEmpty();
        assertThat(c.results().maxPageBytes()).isEqualTo(4 * 1024 * 1024);
        assertThat(c.results().maxValueBytes()).isEqualTo(64 * 1024);
        assertThat(c.results().store()).isEqualTo(SluiceConfig.Results.Storage.FOLDER);
        assertThat(c.results().sharedFolder()).isFalse();
        assertThat(c.results().s3()).isEmpty();
        assertThat(c.cluster()).isEqualTo(new SluiceConfig.Cluster(false, Duration.ofSeconds(30)));
        assertThat(c.retention()).isEqualTo(new SluiceConfig.Retention(30, 0, Duration.ofMinutes(60)));
        assertThat(c.lint()).isEqualTo(new SluiceConfig.Lint(50));
        assertThat(c.queries().workers()).isEqualTo(4);
        assertThat(c.queries().maxQueryBytes()).isEqualTo(262_144);
        assertThat(c.queries().maxQueuedPerUser()).isEqualTo(100);
        // Without identities everyone is one user, who may use every worker.
        assertThat(c.queries().maxRunningPerUser()).isEqualTo(4);
        assertThat(c.auth().enabled()).isFalse();
        assertThat(c.auth().identityHeader()).isEqualTo("X-Email");
        assertThat(c.i18n().defaultLocale()).isEqualTo("zh-CN");
        assertThat(c.engines().defaultEngine()).isEqualTo("duckdb");
        DuckDbSettings duck = c.engines().settings("duckdb", DuckDbSettings.class).orElseThrow();
        assertThat(duck.database()).isEqualTo(Path.of("/srv/sluice/data/sluice.duckdb"));
        assertThat(duck.readOnly()).isTrue();
        assertThat(duck.sampleData()).isTrue();
        assertThat(duck.memoryLimit()).isEqualTo("2GB");
        assertThat(duck.maxRuntime()).isEqualTo(Duration.ofHours(1));
        assertThat(duck.allowedDirectories()).containsExactly(Path.of("/srv/sluice/data/files"));
        assertThat(duck.maxResultRows()).isEqualTo(10_000_000L);
        assertThat(duck.maxResultBytes()).isEqualTo(1024L * 1024 * 1024);
        assertThat(c.metrics().enabled()).isTrue();
        assertThat(c.metrics().access()).isEqualTo(SluiceConfig.Metrics.Access.PUBLIC);
        assertThat(c.metrics().token()).isEmpty();
    }

    @Test
    void resultBudgetsAndLimitsAreChecked() {
        List<String> problems = problems("""
                {"results": {"maxPageBytes": 100, "maxValueBytes": 8},
                 "engines": {"duckdb": {"maxResultRows": 0, "maxResultBytes": 10}}}""");
        assertThat(problems).anyMatch(p -> p.startsWith("results.maxPageBytes must be between 1024"));
        assertThat(problems).anyMatch(p -> p.startsWith("results.maxValueBytes must be between 16"));
        assertThat(problems).anyMatch(p -> p.startsWith("engines.duckdb.maxResultRows must be between 1"));
        assertThat(problems).anyMatch(p -> p.startsWith("engines.duckdb.maxResultBytes must be between 1024"));
        assertThat(problems("""
                {"results": {"maxPageBytes": 65536, "maxValueBytes": 65537}, "engines": {"duckdb": {}}}"""))
                .anyMatch(p -> p.startsWith("results.maxValueBytes must not exceed results.maxPageBytes (65536)"));
    }

    @Test
    void retentionIsReadAndChecked() {
        SluiceConfig c = parse("""
                {"retention": {"resultDays": 0, "historyDays": 90, "intervalMinutes": 5}, "engines": {"duckdb": {}}}""",
                Map.of());
        assertThat(c.retention()).isEqualTo(new SluiceConfig.Retention(0, 90, Duration.ofMinutes(5)));
        List<String> problems = problems("""
                {"retention": {"resultDays": -1, "historyDays": "soon", "intervalMinutes": 0}, "engines": {"duckdb": {}}}""");
        assertThat(problems).anyMatch(p -> p.startsWith("retention.resultDays must be between 0"));
        assertThat(problems).anyMatch(p -> p.startsWith("retention.historyDays"));
        assertThat(problems).anyMatch(p -> p.startsWith("retention.intervalMinutes must be between 1"));
    }

    @Test
    void withIdentitiesOneWorkerStaysFreeOfAnySingleUser() {
        SluiceConfig c = parse("""
                {"auth": {"enabled": true, "proxySecret": "0123456789abcdef"}, "queries": {"workers": 6},
                 "engines": {"duckdb": {}}}""", Map.of());
        assertThat(c.queries().maxRunningPerUser()).isEqualTo(5);
        SluiceConfig one = parse("""
                {"auth": {"enabled": true, "proxySecret": "0123456789abcdef"}, "queries": {"workers": 1},
                 "engines": {"duckdb": {}}}""", Map.of());
        assertThat(one.queries().maxRunningPerUser()).isEqualTo(1);
    }

    @Test
    void environmentVariablesAreSubstituted() {
        SluiceConfig c = parse("""
                {"store": {"url": "jdbc:postgresql://${DB_HOST}:5432/sluice", "password": "${DB_PASSWORD}",
                           "user": "${DB_USER:-sluice}"},
                 "server": {"port": "${PORT}"},
                 "engines": {"duckdb": {}}}""", Map.of("DB_HOST", "db.internal", "DB_PASSWORD", "s3cret", "PORT", "9090"));
        assertThat(c.store().url()).isEqualTo("jdbc:postgresql://db.internal:5432/sluice");
        assertThat(c.store().password()).isEqualTo("s3cret");
        assertThat(c.store().user()).isEqualTo("sluice");
        assertThat(c.server().port()).isEqualTo(9090);
        assertThat(c.store().toString()).doesNotContain("s3cret");
    }

    @Test
    void everyProblemIsListedAtOnce() {
        List<String> problems = problems("""
                {"server": {"port": 70000, "instanceId": "bad id!"},
                 "store": {"url": "mongodb://x", "password": "${MISSING_SECRET}"},
                 "results": {"defaultPageSize": 2000},
                 "queries": {"workers": 0},
                 "auth": {"enabled": true, "trustedProxies": ["not-an-ip"]},
                 "i18n": {"defaultLocale": "fr"},
                 "engines": {"default": "athena", "duckdb": {"memoryLimit": "lots", "readOnly": "maybe"}},
                 "typo": 1}""");
        assertThat(problems).anyMatch(p -> p.startsWith("server.port must be between 0 and 65535"));
        assertThat(problems).anyMatch(p -> p.startsWith("server.instanceId"));
        assertThat(problems).anyMatch(p -> p.startsWith("store.url must start with"));
        assertThat(problems).anyMatch(p -> p.contains("MISSING_SECRET, which is not set"));
        assertThat(problems).anyMatch(p -> p.startsWith("results.defaultPageSize must not exceed"));
        assertThat(problems).anyMatch(p -> p.startsWith("queries.workers must be between 1"));
        assertThat(problems).anyMatch(p -> p.contains("\"not-an-ip\", which is not an IP address"));
        assertThat(problems).anyMatch(p -> p.startsWith("i18n.defaultLocale must be one of"));
        assertThat(problems).anyMatch(p -> p.startsWith("engines.default names engine \"athena\""));
        assertThat(problems).anyMatch(p -> p.startsWith("engines.duckdb.memoryLimit"));
        assertThat(problems).anyMatch(p -> p.startsWith("engines.duckdb.readOnly must be true or false"));
        assertThat(problems).anyMatch(p -> p.equals("typo is not a known setting"));
        assertThat(problems).hasSizeGreaterThanOrEqualTo(12);
    }

    @Test
    void metricsTokenAccessTakesTheTokenFromTheEnvironmentAndNeverShowsIt() {
        SluiceConfig c = parse("""
                {"metrics": {"access": "token", "token": "${SLUICE_METRICS_TOKEN}"}, "engines": {"duckdb": {}}}""",
                Map.of("SLUICE_METRICS_TOKEN", "m3trics-token-0123456789"));
        assertThat(c.metrics().access()).isEqualTo(SluiceConfig.Metrics.Access.TOKEN);
        assertThat(c.metrics().token()).contains("m3trics-token-0123456789");
        assertThat(c.metrics().toString()).doesNotContain("m3trics");
        assertThat(c.toString()).doesNotContain("m3trics");
        assertThat(parse("{\"metrics\": {\"enabled\": false}, \"engines\": {\"duckdb\": {}}}", Map.of())
                .metrics().enabled()).isFalse();
    }

    @Test
    void metricsAccessAndTokenAreChecked() {
        assertThat(problems("{\"metrics\": {\"access\": \"token\"}, \"engines\": {\"duckdb\": {}}}"))
                .anyMatch(p -> p.startsWith("metrics.token is required with metrics.access \"token\""));
        assertThat(problems("{\"metrics\": {\"access\": \"token\", \"token\": \"short\"}, \"engines\": {\"duckdb\": {}}}"))
                .anyMatch(p -> p.equals("metrics.token must be at least 16 characters"));
        assertThat(problems("{\"metrics\": {\"token\": \"0123456789abcdef0\"}, \"engines\": {\"duckdb\": {}}}"))
                .anyMatch(p -> p.startsWith("metrics.token is set, but metrics.access is \"public\""));
        assertThat(problems("{\"metrics\": {\"access\": \"everyone\", \"enabled\": 1}, \"engines\": {\"duckdb\": {}}}"))
                .anyMatch(p -> p.startsWith("metrics.access must be one of"))
                .anyMatch(p -> p.equals("metrics.enabled must be true or false"));
    }


    @Test
    void authNeedsAWayToTrustTheProxy() {
        assertThat(problems("{\"auth\": {\"enabled\": true}, \"engines\": {\"duckdb\": {}}}"))
                .anyMatch(p -> p.startsWith("auth.enabled needs auth.trustedProxies or auth.proxySecret"));
    }

    @Test
    void anEngineIsRequiredAndJsonMustBeValid() {
        assertThat(problems("{}")).anyMatch(p -> p.contains("must configure at least one engine"));
        assertThatThrownBy(() -> parse("{\"server\": ", Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> parse("[]", Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("must be a JSON object");
    }

    @Test
    void missingFileIsReported(@org.junit.jupiter.api.io.TempDir Path dir) {
        assertThatThrownBy(() -> new ConfigLoader(Json.mapper(), Map.of()).load(dir.resolve("nope.json")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("does not exist");
    }

    @Test
    void theCommittedLocalConfigIsValid() throws Exception {
        Path local = Path.of("../config/local.json");
        SluiceConfig c = new ConfigLoader(Json.mapper(), Map.of()).parse(Files.readString(local), BASE);
        assertThat(c.server().port()).isEqualTo(8080);
        assertThat(c.engines().defaultEngine()).isEqualTo("duckdb");
        assertThat(c.store().url()).startsWith("jdbc:h2:file:");
        SluiceConfig again = new ConfigLoader(Json.mapper(), Map.of()).parse(Files.readString(local), BASE);
        assertThat(again.server().instanceId()).as("two processes started from it").isNotEqualTo(c.server().instanceId());
    }

    @Test
    void athenaDefaultsArePinned() {
        SluiceConfig c = new ConfigLoader(Json.mapper(), Map.of()).parse("""
                {"engines": {"athena": {"region": "ap-northeast-1", "outputLocation": "s3://athena-out/sluice/",
                 "pricingFile": "../config/athena-pricing.json"}}}""", Path.of("").toAbsolutePath());
        AthenaSettings a = c.engines().settings("athena", AthenaSettings.class).orElseThrow();
        assertThat(c.engines().defaultEngine()).isEqualTo("athena");
        assertThat(a.workgroup()).isEqualTo("primary");
        assertThat(a.catalog()).isEqualTo("AwsDataCatalog");
        assertThat(a.database()).isEqualTo("default");
        assertThat(a.pollInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(a.maxPollCallsPerSecond()).isEqualTo(15);
        assertThat(a.maxRuntime()).isEqualTo(Duration.ofHours(24));
        assertThat(a.maxScannedBytes()).isEqualTo(10L * 1024 * 1024 * 1024);
        assertThat(a.resultReuse()).isTrue();
        assertThat(a.resultReuseMaxAge()).isEqualTo(Duration.ofMinutes(60));
        assertThat(a.downloadLinkTtl()).isEqualTo(Duration.ofHours(24));
        assertThat(a.validateOnStart()).isTrue();
        assertThat(a.athenaEndpoint()).isNull();
        assertThat(a.s3PathStyle()).isFalse();
        assertThat(a.maxResultRows()).isEqualTo(10_000_000L);
        assertThat(a.maxResultBytes()).isEqualTo(1024L * 1024 * 1024);
    }

    @Test
    void athenaSettingsAreChecked() {
        List<String> problems = problems("""
                {"engines": {"athena": {"region": "Tokyo", "outputLocation": "athena-out/sluice",
                 "endpoint": "ftp://x", "pollIntervalMillis": 5, "maxScannedBytes": 5, "maxPollCallsPerSecond": 0,
                 "pricingFile": "/no/such/pricing.json", "accessKey": "AKIA..."}}}""");
        assertThat(problems).anyMatch(p -> p.startsWith("engines.athena.region must be an AWS region name"));
        assertThat(problems).anyMatch(p -> p.startsWith("engines.athena.outputLocation must look like s3://bucket/prefix/"));
        assertThat(problems).anyMatch(p -> p.startsWith("engines.athena.endpoint must be an http(s) URL"));
        assertThat(problems).anyMatch(p -> p.startsWith("engines.athena.pollIntervalMillis must be between 100"));
        assertThat(problems).anyMatch(p -> p.startsWith("engines.athena.maxScannedBytes must be between 10000000"));
        assertThat(problems).anyMatch(p -> p.startsWith("engines.athena.maxPollCallsPerSecond must be between 1"));
        assertThat(problems).anyMatch(p -> p.startsWith("engines.athena.pricingFile names"));
        // Static keys have no place in the file: credentials come from the AWS chain.
        assertThat(problems).anyMatch(p -> p.equals("engines.athena.accessKey is not a known setting"));
        assertThat(problems("{\"engines\": {\"athena\": {}}}"))
                .anyMatch(p -> p.equals("engines.athena.region is required"))
                .anyMatch(p -> p.equals("engines.athena.outputLocation is required"));
    }
}
