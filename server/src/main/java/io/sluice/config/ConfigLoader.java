package io.sluice.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.aws.AwsSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import io.sluice.access.AddressRange;
import io.sluice.access.EmailAddress;
import io.sluice.datasource.PasswordCipher;
import io.sluice.engine.EngineDefinition;
import io.sluice.engine.EngineSettings;
import io.sluice.engine.EngineType;
import io.sluice.engine.EngineTypes;
import io.sluice.result.ResultFormat;

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
    private static final Set<String> LOCALES = Set.of("zh-CN", "en");
    private static final Set<String> RESULT_STORES = Set.of("folder", "s3");
    private static final Set<String> RESULT_FORMATS = Set.of("parquet", "rows");
    private static final java.util.regex.Pattern MEMORY_LIMIT =
            java.util.regex.Pattern.compile("(?i)\\d+(\\.\\d+)?\\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)");
    private static final String INSTANCE_SUFFIX_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<String> METRICS_ACCESS = Set.of("public", "token");
    private static final Set<String> STORE_SCHEMES = Set.of("jdbc:h2:", "jdbc:postgresql:", "jdbc:mysql:", "jdbc:mariadb:");

    private final ObjectMapper json;
    private final Map<String, String> env;
    private final EngineTypes types = EngineTypes.standard();

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
                s.string("instanceId", generatedInstanceId()),
                Duration.ofSeconds(s.integer("shutdownGraceSeconds", 30, 0, 3600)));
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
                r.integer("maxValueBytes", MAX_VALUE_BYTES, 16, 1 << 30),
                SluiceConfig.Results.Storage.valueOf(r.oneOf("store", "folder", RESULT_STORES).toUpperCase(Locale.ROOT)),
                r.bool("sharedFolder", false),
                s3Results(r),
                ResultFormat.valueOf(r.oneOf("format", "parquet", RESULT_FORMATS).toUpperCase(Locale.ROOT)),
                r.integer("duckdbThreads", Math.max(1, Runtime.getRuntime().availableProcessors()), 1, 1024),
                r.string("duckdbMemoryLimit", "1GB"),
                r.integer("firstPartRows", 10_000, 0, 10_000_000),
                r.integer("firstPartBytes", 4 << 20, 0, 256 << 20),
                r.seconds("conversionWaitSeconds", Duration.ofSeconds(30), 0, 3600));
        if (!MEMORY_LIMIT.matcher(results.duckdbMemoryLimit().trim()).matches()) {
            r.problem("duckdbMemoryLimit", "must be a size like 1GB or 512MB, got \"" + results.duckdbMemoryLimit() + "\"");
        }
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
                Optional.ofNullable(a.string("proxySecret", null)).filter(v -> !v.isBlank()),
                a.strings("admins", List.of()).stream().map(v -> v.toLowerCase(Locale.ROOT)).toList());
        for (String admin : auth.admins()) {
            if (!EmailAddress.isValid(admin) && !admin.equals(io.sluice.access.Caller.ANONYMOUS.identity())) {
                a.problem("admins", "has \"" + admin + "\", which is not an e-mail address (a user's identity)");
            }
        }
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

        SluiceConfig.Engines engines = engines(top.object("engines"), paths, sluiceFiles(results, store));

        ConfigNode c = top.object("cluster");
        SluiceConfig.Cluster cluster = new SluiceConfig.Cluster(
                c.bool("enabled", false),
                c.seconds("leaseSeconds", Duration.ofSeconds(30), 5, 3600));
        if (cluster.enabled()) {
            clusterShareable(c, results);
        }

        SluiceConfig.Metrics metrics = metrics(top.object("metrics"));
        ConfigNode rt = top.object("retention");
        SluiceConfig.Retention retention = new SluiceConfig.Retention(
                rt.integer("resultDays", 30, 0, 36_500),
                rt.integer("historyDays", 0, 0, 36_500),
                Duration.ofMinutes(rt.integer("intervalMinutes", 60, 1, 10_080)));

        SluiceConfig.Datasources datasources = datasources(top.object("datasources"), paths);
        ConfigNode t = top.object("tasks");
        boolean hasDuckDb = engines.definitions().stream().anyMatch(d -> d.settings() instanceof io.sluice.engine.duckdb.DuckDbSettings);
        SluiceConfig.Tasks tasks = new SluiceConfig.Tasks(
                t.bool("enabled", hasDuckDb),
                t.integer("workers", 2, 1, 64),
                paths.resolve(t.string("workspaceDirectory", "data/workspaces")),
                t.string("workspaceMemoryLimit", "1GB"),
                t.integer("workspaceThreads", 2, 1, 64),
                t.integer("maxOpenWorkspaces", 16, 1, 10_000),
                t.integer("maxPageSize", 200, 1, 1000));
        ConfigNode f = top.object("federation");
        SluiceConfig.Federation federation = new SluiceConfig.Federation(
                f.oneOf("mode", "auto", java.util.Set.of("auto", "native", "import")),
                f.integer("importBatchRows", 10_000, 100, 1_000_000),
                f.bool("postgresCopy", true));
        ConfigNode pl = top.object("plans");
        SluiceConfig.Plans plans = new SluiceConfig.Plans(
                pl.integer("maxSteps", 20, 1, 200),
                pl.integer("workers", 2, 1, 64),
                pl.integer("stepWorkers", 4, 1, 64),
                paths.resolve(pl.string("directory", "data/plans")));
        SluiceConfig.Lint lint = new SluiceConfig.Lint(top.object("lint").integer("wideTableColumns", 50, 1, 100_000));
        if (tasks.enabled() && !hasDuckDb) {
            t.problem("enabled", "needs a DuckDB engine (tasks and workspaces run in DuckDB)");
        }

        io.sluice.budget.BudgetSettings budgets = budgets(top.object("budgets"));

        top.reportUnknownKeys();
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new SluiceConfig(server, store, results, queries, auth, i18n, engines, cluster, metrics, retention,
                datasources, tasks, federation, budgets, plans, lint);
    }

    /**
     * {@code budgets}: monthly spend limits in USD (each optional; none configured: no budgets), and
     * the share of a budget past which submits warn.
     */
    private static io.sluice.budget.BudgetSettings budgets(ConfigNode b) {
        double max = 1e12;
        Double perUser = b.decimal("monthlyUsdPerUser", null, 0.000001, max);
        Double total = b.decimal("monthlyUsdTotal", null, 0.000001, max);
        double warn = b.decimal("warnFraction", 0.8, 0.01, 1.0);
        ConfigNode w = b.object("workgroups");
        java.util.Map<String, Double> workgroups = new java.util.LinkedHashMap<>();
        for (String name : w.keys()) {
            Double limit = w.object(name).decimal("monthlyUsd", null, 0.000001, max);
            if (limit == null) {
                w.problem(name, "needs monthlyUsd, a number above 0");
            } else {
                workgroups.put(name, limit);
            }
        }
        return new io.sluice.budget.BudgetSettings(perUser, total, warn, workgroups);
    }

    /**
     * {@code datasources}: enabled when an encryption key is set (or by {@code enabled}); then the key
     * must be base64 of 32 bytes that are not all the same, or Sluice does not start.
     */
    private static SluiceConfig.Datasources datasources(ConfigNode d, Paths paths) {
        Optional<String> key = Optional.ofNullable(d.string("encryptionKey", null)).filter(v -> !v.isBlank());
        SluiceConfig.Datasources datasources = new SluiceConfig.Datasources(
                d.bool("enabled", key.isPresent()),
                key,
                d.strings("sqliteDirectories", List.of()).stream().map(paths::resolve).toList(),
                d.seconds("connectTimeoutSeconds", Duration.ofSeconds(10), 1, 300));
        if (datasources.enabled() && key.isEmpty()) {
            d.problem("encryptionKey", "is required when datasources are enabled: base64 of 32 random bytes, "
                    + "normally \"${SLUICE_DATASOURCE_KEY}\" (e.g. openssl rand -base64 32)");
        }
        key.flatMap(PasswordCipher::weakness).ifPresent(w -> d.problem("encryptionKey", w));
        return datasources;
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

    /** The S3 result store's settings: read (and required) only with {@code results.store: "s3"}. */
    private static Optional<SluiceConfig.S3Results> s3Results(ConfigNode r) {
        boolean s3 = "s3".equals(r.string("store", null));
        String location = s3 ? r.requiredString("s3Location") : r.string("s3Location", null);
        if (s3 && location != null && !location.isBlank() && !AwsSettings.S3_LOCATION.matcher(location).matches()) {
            r.problem("s3Location", "must look like s3://bucket/prefix/ (ending in /), got \"" + location + "\"");
        }
        Optional<String> region = Optional.ofNullable(r.string("s3Region", null));
        region.filter(v -> !AwsSettings.REGION.matcher(v).matches()).ifPresent(v ->
                r.problem("s3Region", "must be an AWS region name like us-east-1, got \"" + v + "\""));
        SluiceConfig.S3Results settings = new SluiceConfig.S3Results(location, region,
                r.parsed("s3Endpoint", null, AwsSettings::endpoint, "an http(s) URL"),
                r.bool("s3PathStyle", false),
                r.integer("s3CacheMb", 4096, 64, 16 << 20) * 1024L * 1024);
        return s3 ? Optional.of(settings) : Optional.empty();
    }

    /** What several instances need to work as one: a shared results location and one link secret. */
    private static void clusterShareable(ConfigNode cluster, SluiceConfig.Results results) {
        if (results.linkSecret().isEmpty()) {
            cluster.problem("enabled", "needs results.linkSecret: every instance must sign and check download "
                    + "links with the same secret");
        }
        if (results.store() == SluiceConfig.Results.Storage.FOLDER && !results.sharedFolder()) {
            Optional<String> type = SharedFilesystem.type(results.dir());
            if (type.isEmpty() || !SharedFilesystem.isNetworkType(type.get())) {
                cluster.problem("enabled", "needs results every instance can read: results.store \"s3\", or "
                        + "results.dir on a shared filesystem (" + results.dir() + " is on "
                        + type.map(t -> "\"" + t + "\"").orElse("an unknown filesystem")
                        + "); set results.sharedFolder: true if it is shared");
            }
        }
    }

    /**
     * {@code engines}: {@code default} and one section per engine, keyed by the engine's name. A
     * section's {@code type} picks its {@link EngineType} from the registry; without one, the key
     * names the type, so {@code engines.duckdb} and {@code engines.athena} need none. Without
     * {@code default}, the first engine of the first type in registry order is the default.
     */
    private SluiceConfig.Engines engines(ConfigNode e, Paths paths, List<Path> sluiceFiles) {
        List<EngineDefinition<?>> definitions = new ArrayList<>();
        for (String name : e.keys()) {
            if (name.equals("default")) {
                continue;
            }
            boolean usableName = EngineDefinition.NAME.matcher(name).matches();
            if (!usableName) {
                e.problem(name, "is not a usable engine name: 1..64 letters, digits, '_' or '-'");
            }
            ConfigNode section = e.object(name);
            boolean typed = section.has("type");
            String typeName = section.string("type", name);
            Optional<EngineType<?>> type = types.find(typeName);
            if (type.isEmpty()) {
                if (typed) {
                    section.problem("type", "is \"" + typeName + "\", which is not an engine type; known types: "
                            + types.names());
                } else {
                    e.problem(name, "needs a \"type\" (its name is not an engine type); known types: " + types.names());
                }
                section.readAll();
                continue;
            }
            ConfigSection settings = new ConfigSection(section, paths.base(), sluiceFiles);
            if (!usableName) {
                type.get().settings(settings); // its own problems are listed too
                continue;
            }
            definitions.add(define(name, type.get(), settings));
        }
        List<String> names = definitions.stream().map(EngineDefinition::name).toList();
        String defaultEngine = e.string("default", null);
        if (e.keys().stream().allMatch("default"::equals)) {
            e.problem("", "must configure at least one engine (a section under engines, of type " + types.names() + ")");
        } else if (defaultEngine == null) {
            defaultEngine = definitions.stream().min(Comparator.comparingInt(d -> types.rank(d.type())))
                    .map(EngineDefinition::name).orElse(null);
        } else if (!names.isEmpty() && !names.contains(defaultEngine)) {
            e.problem("default", "names engine \"" + defaultEngine + "\", which is not configured; configured: " + names);
        }
        separateFiles(e, definitions);
        return new SluiceConfig.Engines(defaultEngine, definitions);
    }

    private static <S extends EngineSettings> EngineDefinition<S> define(String name, EngineType<S> type,
                                                                        ConfigSection section) {
        return new EngineDefinition<>(name, type, type.settings(section));
    }

    /**
     * Engines side by side stay out of each other's files: no file is used by two engines (two DuckDB
     * engines on one database file), and no engine's queries may write where another engine's files
     * are or where another engine's queries write.
     */
    private static void separateFiles(ConfigNode e, List<EngineDefinition<?>> definitions) {
        for (EngineDefinition<?> a : definitions) {
            for (EngineDefinition<?> b : definitions) {
                if (a == b) {
                    continue;
                }
                int order = Integer.compare(definitions.indexOf(a), definitions.indexOf(b));
                for (Path file : a.settings().exclusiveFiles()) {
                    if (order > 0 && b.settings().exclusiveFiles().contains(file)) {
                        e.problem(a.name(), "uses " + file + ", which engine \"" + b.name()
                                + "\" uses too: each engine needs a file of its own");
                    }
                }
                for (Path folder : a.settings().writableFolders()) {
                    for (Path file : b.settings().exclusiveFiles()) {
                        if (file.startsWith(folder)) {
                            e.problem(a.name(), "lets queries write into " + folder + ", which holds " + file
                                    + " of engine \"" + b.name() + "\"");
                        }
                    }
                    for (Path other : b.settings().writableFolders()) {
                        if (order > 0 && (other.startsWith(folder) || folder.startsWith(other))) {
                            e.problem(a.name(), "lets queries write into " + folder + ", which overlaps " + other
                                    + ", where engine \"" + b.name() + "\" writes: give each engine folders of its own");
                        }
                    }
                }
            }
        }
    }

    /** Sluice's own files, which no engine may let queries write into: stored results and the embedded store. */
    private static List<Path> sluiceFiles(SluiceConfig.Results results, SluiceConfig.Store store) {
        List<Path> own = new ArrayList<>(List.of(results.dir()));
        if (store.url() != null && store.url().startsWith("jdbc:h2:file:")) {
            own.add(Path.of(store.url().substring("jdbc:h2:file:".length()).split(";", 2)[0]).toAbsolutePath().normalize());
        }
        return own;
    }

    /**
     * This process's own instance id when the file names none: the host name and a random
     * suffix, so that two processes started from one file never share an id.
     */
    private String generatedInstanceId() {
        String host = env.getOrDefault("HOSTNAME", "sluice");
        String cleaned = host.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
        String base = cleaned.isEmpty() ? "sluice" : cleaned.substring(0, Math.min(57, cleaned.length()));
        StringBuilder suffix = new StringBuilder("-");
        for (int i = 0; i < 6; i++) {
            suffix.append(INSTANCE_SUFFIX_CHARS.charAt(RANDOM.nextInt(INSTANCE_SUFFIX_CHARS.length())));
        }
        return base + suffix;
    }

    /** Resolves relative paths against the working directory. */
    private record Paths(Path base) {
        Path resolve(String path) {
            Path p = Path.of(path);
            return (p.isAbsolute() || base == null ? p : base.resolve(p)).normalize();
        }
    }
}
