package io.sluice.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import io.sluice.access.AddressRange;

/**
 * Reads the JSON configuration file given by {@code --config}. Every invalid or missing value is
 * collected and reported together in one {@link ConfigException}.
 */
public final class ConfigLoader {

    public static final int MAX_QUERY_BYTES = 262_144;
    /** Page and value budgets: a page's rows stay under 4 MiB, a value is shown whole up to 64 KiB. */
    public static final int MAX_PAGE_BYTES = 4 * 1024 * 1024;
    public static final int MAX_VALUE_BYTES = 64 * 1024;
    /**
     * Stored result limits per engine: 10 million rows or 1 GiB of row data, whichever comes first.
     * A gateway's results are for looking at and downloading, not for bulk export; these bounds keep
     * a few runaway queries (four workers at once by default) from filling a small disk.
     */
    public static final long MAX_RESULT_ROWS = 10_000_000L;
    public static final long MAX_RESULT_BYTES = 1024L * 1024 * 1024;
    private static final Pattern INSTANCE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern MEMORY_LIMIT = Pattern.compile("(?i)\\d+(\\.\\d+)?\\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB|%)");
    private static final Pattern S3_URI = Pattern.compile("s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/([^\\s]*/)?");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");
    private static final Set<String> LOCALES = Set.of("zh-CN", "en");
    private static final Set<String> METRICS_ACCESS = Set.of("public", "token");
    private static final Set<String> STORE_SCHEMES = Set.of("jdbc:h2:", "jdbc:postgresql:", "jdbc:mysql:", "jdbc:mariadb:");

    private final ObjectMapper json;
    private final Map<String, String> env;

    public ConfigLoader(ObjectMapper json, Map<String, String> env) {
        this.json = json;
        this.env = Map.copyOf(env);
    }

    public SluiceConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(List.of("configuration file " + file + " does not exist"));
        } catch (IOException e) {
            throw new ConfigException(List.of("configuration file " + file + " cannot be read: " + e.getMessage()));
        }
        return parse(text, Path.of("").toAbsolutePath());
    }

    /** Parses configuration text; relative paths resolve against {@code baseDir} (the working directory). */
    public SluiceConfig parse(String text, Path baseDir) {
        JsonNode root;
        try {
            root = json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ConfigException(List.of("configuration is not valid JSON: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException(List.of("configuration must be a JSON object"));
        }
        List<String> problems = new ArrayList<>();
        ConfigNode top = new ConfigNode(root, "", env, problems);
        Paths paths = new Paths(baseDir);

        ConfigNode s = top.object("server");
        SluiceConfig.Server server = new SluiceConfig.Server(
                s.string("host", "0.0.0.0"),
                s.integer("port", 8080, 0, 65535),
                s.number("maxRequestBytes", 1_048_576, 1024, 1L << 30),
                s.string("instanceId", defaultInstanceId()));
        if (server.instanceId() != null && !INSTANCE_ID.matcher(server.instanceId()).matches()) {
            s.problem("instanceId", "must be 1..64 characters of letters, digits, '.', '_' or '-'");
        }

        ConfigNode st = top.object("store");
        SluiceConfig.Store store = new SluiceConfig.Store(
                st.string("url", "jdbc:h2:file:" + paths.resolve("data/store/sluice")),
                st.string("user", "sa"),
                st.string("password", ""),
                st.integer("maxPoolSize", 10, 1, 200));
        if (store.url() != null && STORE_SCHEMES.stream().noneMatch(store.url()::startsWith)) {
            st.problem("url", "must start with one of " + STORE_SCHEMES + " (H2, PostgreSQL, MySQL/MariaDB)");
        }

        ConfigNode r = top.object("results");
        int maxPage = r.integer("maxPageSize", 1000, 1, 100_000);
        SluiceConfig.Results results = new SluiceConfig.Results(
                paths.resolve(r.string("dir", "data/results")),
                r.integer("defaultPageSize", 100, 1, 100_000),
                maxPage,
                Optional.ofNullable(r.string("linkSecret", null)).filter(v -> !v.isBlank()),
                r.seconds("linkTtlSeconds", Duration.ofHours(24), 60, Duration.ofDays(7).toSeconds()),
                r.bool("fsync", false),
                r.integer("maxPageBytes", MAX_PAGE_BYTES, 1024, 1 << 30),
                r.integer("maxValueBytes", MAX_VALUE_BYTES, 16, 1 << 30));
        if (results.defaultPageSize() > results.maxPageSize()) {
            r.problem("defaultPageSize", "must not exceed results.maxPageSize (" + results.maxPageSize() + ")");
        }
        if (results.maxValueBytes() > results.maxPageBytes()) {
            r.problem("maxValueBytes", "must not exceed results.maxPageBytes (" + results.maxPageBytes() + ")");
        }
        results.linkSecret().filter(v -> v.length() < 32)
                .ifPresent(v -> r.problem("linkSecret", "must be at least 32 characters"));

        ConfigNode a = top.object("auth");
        SluiceConfig.Auth auth = new SluiceConfig.Auth(
                a.bool("enabled", false),
                a.string("identityHeader", "X-Email"),
                a.strings("trustedProxies", List.of()),
                a.string("proxySecretHeader", "X-Sluice-Proxy-Secret"),
                Optional.ofNullable(a.string("proxySecret", null)).filter(v -> !v.isBlank()));
        for (String proxy : auth.trustedProxies()) {
            if (!AddressRange.isValid(proxy)) {
                a.problem("trustedProxies", "has \"" + proxy + "\", which is not an IP address or CIDR range");
            }
        }
        if (auth.enabled() && auth.trustedProxies().isEmpty() && auth.proxySecret().isEmpty()) {
            a.problem("enabled", "needs auth.trustedProxies or auth.proxySecret: without them no request can be trusted");
        }
        auth.proxySecret().filter(v -> v.length() < 16)
                .ifPresent(v -> a.problem("proxySecret", "must be at least 16 characters"));

        ConfigNode q = top.object("queries");
        int workers = q.integer("workers", 4, 1, 256);
        SluiceConfig.Queries queries = new SluiceConfig.Queries(
                workers,
                q.integer("remoteWorkers", 8, 1, 256),
                q.integer("maxQueryBytes", MAX_QUERY_BYTES, 1, MAX_QUERY_BYTES),
                q.integer("historyMaxPageSize", 200, 1, 1000),
                // With identities, one worker stays free of any single user, so one user's queries
                // cannot stall everyone; without them everyone is the same user.
                q.integer("maxRunningPerUser", auth.enabled() ? Math.max(1, workers - 1) : workers, 1, 256),
                q.integer("maxQueuedPerUser", 100, 1, 1_000_000));

        ConfigNode i = top.object("i18n");
        SluiceConfig.I18n i18n = new SluiceConfig.I18n(i.oneOf("defaultLocale", "zh-CN", LOCALES));

        ConfigNode e = top.object("engines");
        Optional<SluiceConfig.DuckDb> duckdb = Optional.empty();
        if (e.has("duckdb")) {
            duckdb = Optional.of(duckDb(e.object("duckdb"), paths));
        }
        Optional<SluiceConfig.Athena> athena = Optional.empty();
        if (e.has("athena")) {
            athena = Optional.of(athena(e.object("athena"), paths));
        }
        String defaultEngine = e.string("default", duckdb.isPresent() ? "duckdb" : athena.isPresent() ? "athena" : null);
        SluiceConfig.Engines engines = new SluiceConfig.Engines(defaultEngine, duckdb, athena);
        if (duckdb.isEmpty() && athena.isEmpty()) {
            e.problem("", "must configure at least one engine (engines.duckdb or engines.athena)");
        } else if (defaultEngine != null && !engineNames(engines).contains(defaultEngine)) {
            e.problem("default", "names engine \"" + defaultEngine + "\", which is not configured; configured: "
                    + engineNames(engines));
        }

        writableOutsideSluiceFiles(e, engines, results, store);

        SluiceConfig.Metrics metrics = metrics(top.object("metrics"));

        top.reportUnknownKeys();
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new SluiceConfig(server, store, results, queries, auth, i18n, engines, metrics);
    }

    /**
     * {@code metrics}: on by default and public, as {@code /health}; {@code "access": "token"} needs a
     * token of at least 16 characters, normally {@code "${SLUICE_METRICS_TOKEN}"}. A token with public
     * access is refused: it would look protected and not be.
     */
    private static SluiceConfig.Metrics metrics(ConfigNode m) {
        String access = m.oneOf("access", "public", METRICS_ACCESS);
        SluiceConfig.Metrics metrics = new SluiceConfig.Metrics(
                m.bool("enabled", true),
                SluiceConfig.Metrics.Access.valueOf(access.toUpperCase(Locale.ROOT)),
                Optional.ofNullable(m.string("token", null)).filter(v -> !v.isBlank()));
        if (metrics.access() == SluiceConfig.Metrics.Access.TOKEN && metrics.token().isEmpty()) {
            m.problem("token", "is required with metrics.access \"token\" (e.g. \"${SLUICE_METRICS_TOKEN}\")");
        }
        if (metrics.access() == SluiceConfig.Metrics.Access.PUBLIC && metrics.token().isPresent()) {
            m.problem("token", "is set, but metrics.access is \"public\": set it to \"token\" or remove the token");
        }
        metrics.token().filter(v -> v.length() < 16)
                .ifPresent(v -> m.problem("token", "must be at least 16 characters"));
        return metrics;
    }

    private static SluiceConfig.DuckDb duckDb(ConfigNode d, Paths paths) {
        List<Path> allowed = d.strings("allowedDirectories", List.of("data/files")).stream()
                .map(paths::resolve).toList();
        SluiceConfig.DuckDb duck = new SluiceConfig.DuckDb(
                paths.resolve(d.string("database", "data/sluice.duckdb")),
                d.bool("sampleData", true),
                d.bool("readOnly", true),
                d.integer("threads", Math.max(1, Runtime.getRuntime().availableProcessors()), 1, 1024),
                d.string("memoryLimit", "2GB"),
                allowed,
                d.seconds("maxRuntimeSeconds", Duration.ofHours(1), 1, Duration.ofDays(1).toSeconds()),
                d.number("maxResultRows", MAX_RESULT_ROWS, 1, Long.MAX_VALUE),
                d.number("maxResultBytes", MAX_RESULT_BYTES, 1024, Long.MAX_VALUE),
                writableDirectories(d, paths));
        if (duck.memoryLimit() != null && !MEMORY_LIMIT.matcher(duck.memoryLimit().trim()).matches()) {
            d.problem("memoryLimit", "must be a size like 2GB or 512MB, got \"" + duck.memoryLimit() + "\"");
        }
        List<SluiceConfig.DuckDb.WritableDirectory> writable = duck.writableDirectories();
        for (int i = 0; i < writable.size(); i++) {
            Path dir = writable.get(i).path();
            if (duck.database().startsWith(dir)) {
                d.problem("writableDirectories", "has " + dir + ", which holds the database file: queries could overwrite it");
            }
            for (int j = 0; j < i; j++) {
                Path other = writable.get(j).path();
                if (dir.startsWith(other) || other.startsWith(dir)) {
                    d.problem("writableDirectories", "has " + other + " and " + dir + ", one inside the other: give each its own quota");
                }
            }
        }
        return duck;
    }

    /** {@code [{"path": "...", "quotaBytes": N}]}: folders queries may write into; none by default. */
    private static List<SluiceConfig.DuckDb.WritableDirectory> writableDirectories(ConfigNode d, Paths paths) {
        List<SluiceConfig.DuckDb.WritableDirectory> out = new ArrayList<>();
        for (ConfigNode w : d.objects("writableDirectories")) {
            String path = w.requiredString("path");
            if (!w.has("quotaBytes")) {
                w.problem("quotaBytes", "is required");
            }
            long quota = w.number("quotaBytes", 1, 1, Long.MAX_VALUE);
            if (path != null && !path.isBlank()) {
                out.add(new SluiceConfig.DuckDb.WritableDirectory(paths.resolve(path), quota));
            }
        }
        return List.copyOf(out);
    }

    /** Queries must not be able to write over Sluice's own files: results and the embedded store. */
    private static void writableOutsideSluiceFiles(ConfigNode engines, SluiceConfig.Engines e, SluiceConfig.Results results,
                                                   SluiceConfig.Store store) {
        List<Path> own = new ArrayList<>(List.of(results.dir()));
        if (store.url() != null && store.url().startsWith("jdbc:h2:file:")) {
            own.add(Path.of(store.url().substring("jdbc:h2:file:".length()).split(";", 2)[0]).toAbsolutePath().normalize());
        }
        e.duckdb().ifPresent(duck -> duck.writableDirectories().forEach(w -> own.stream()
                .filter(p -> p.startsWith(w.path()) || w.path().startsWith(p))
                .forEach(p -> engines.problem("duckdb.writableDirectories", "has " + w.path()
                        + ", which overlaps Sluice's own files at " + p))));
    }

    private static SluiceConfig.Athena athena(ConfigNode a, Paths paths) {
        String output = a.requiredString("outputLocation");
        if (output != null && !output.isBlank() && !S3_URI.matcher(output).matches()) {
            a.problem("outputLocation", "must look like s3://bucket/prefix/ (ending in /), got \"" + output + "\"");
        }
        String region = a.requiredString("region");
        if (region != null && !region.isBlank() && !REGION.matcher(region).matches()) {
            a.problem("region", "must be an AWS region name like us-east-1, got \"" + region + "\"");
        }
        long gb = 1024L * 1024 * 1024;
        SluiceConfig.Athena athena = new SluiceConfig.Athena(
                region,
                a.string("workgroup", "primary"),
                output,
                a.string("catalog", "AwsDataCatalog"),
                a.string("database", "default"),
                a.parsed("endpoint", null, ConfigLoader::httpUri, "an http(s) URL"),
                a.parsed("s3Endpoint", null, ConfigLoader::httpUri, "an http(s) URL"),
                a.bool("s3PathStyle", false),
                a.millis("pollIntervalMillis", Duration.ofSeconds(1), 100, 60_000),
                // Athena's default BatchGetQueryExecution quota is 20 calls/s per account and region.
                a.integer("maxPollCallsPerSecond", 15, 1, 1_000),
                a.seconds("maxRuntimeSeconds", Duration.ofHours(24), 1, Duration.ofDays(7).toSeconds()),
                a.number("maxScannedBytes", 10 * gb, 10_000_000L, Long.MAX_VALUE),
                a.bool("resultReuse", true),
                Duration.ofMinutes(a.number("resultReuseMaxAgeMinutes", 60, 1, 10_080)),
                paths.resolve(a.string("pricingFile", "config/athena-pricing.json")),
                a.seconds("downloadLinkTtlSeconds", Duration.ofHours(24), 60, Duration.ofDays(7).toSeconds()),
                a.bool("validateOnStart", true),
                a.number("maxResultRows", MAX_RESULT_ROWS, 1, Long.MAX_VALUE),
                a.number("maxResultBytes", MAX_RESULT_BYTES, 1024, Long.MAX_VALUE));
        if (!java.nio.file.Files.isReadable(athena.pricingFile())) {
            a.problem("pricingFile", "names " + athena.pricingFile() + ", which cannot be read");
        }
        return athena;
    }

    private static java.net.URI httpUri(String text) {
        java.net.URI uri = java.net.URI.create(text);
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("not an http(s) URL");
        }
        return uri;
    }

    private static List<String> engineNames(SluiceConfig.Engines engines) {
        List<String> names = new ArrayList<>();
        engines.duckdb().ifPresent(x -> names.add("duckdb"));
        engines.athena().ifPresent(x -> names.add("athena"));
        return names;
    }

    private String defaultInstanceId() {
        String host = env.getOrDefault("HOSTNAME", "local");
        String cleaned = host.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
        return cleaned.isEmpty() ? "local" : cleaned.substring(0, Math.min(64, cleaned.length()));
    }

    /** Resolves relative paths against the working directory. */
    private record Paths(Path base) {
        Path resolve(String path) {
            Path p = Path.of(path);
            return (p.isAbsolute() || base == null ? p : base.resolve(p)).normalize();
        }
    }
}
