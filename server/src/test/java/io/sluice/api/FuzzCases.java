package io.sluice.api;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fuzz test's request generator: from one seed, the same list of cases every time. Each case
 * takes a registered route of one server, fills its path parameters with real ids, other users'
 * ids and hostile values, and varies the method, query string, headers, identity and body; a share
 * of the cases are raw malformed HTTP from {@link MalformedHttp}.
 */
final class FuzzCases {

    /** What the generator knows about one running server. */
    record Server(List<HttpApp.Route> routes, List<String> ids, List<String> tokens, List<String> requestIds,
                  List<String> cursors, List<List<String[]>> identities) {
    }

    private static final Pattern PARAM = Pattern.compile("\\{([a-z_]+)}");
    private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "HEAD",
            "QUERY", "PROPFIND", "BREW", "get", "CONNECT"};
    private static final String[] HOSTILE = {"", ".", "..", "%2e%2e", "%2E", "..%2F..%2Fetc%2Fpasswd", "a%2Fb", "%2F",
            "%5C", "%00", "%u002e", "%", "%zz", "%C0%AE", "%FF%FE", "查询", "%E6%9F%A5", "😀", "a b", "a\"b", "<x>",
            "' OR 1=1 --", "$(id)", "null", "-1", "0", "99999999999999999999", "id;jsessionid=1", "a?b=c", "a#b",
            "00000000-0000-0000-0000-000000000000", "00000000-0000-4000-8000-00000000000G"};
    private static final String[] CHEAP_SQL = {"SELECT 1", "SELECT 42 AS answer", "SELECT * FROM range(3) t(n)", "",
            "   ", "SELEC 1", "SELECT 'é雪😀' AS s", "SELECT * FROM nowhere_table", "DROP TABLE members",
            "SELECT * FROM read_csv('/etc/passwd')", "SELECT 1; SELECT 2", "SELECT 1 -- c", "PRAGMA version",
            "SELECT count(*) FROM events", "SELECT 1\u0000; DROP TABLE events", "SELECT '\u0001\u001f'"};
    private static final String[] LIMITS = {"", "0", "-1", "1", "2", "100", "1000", "1001", "200", "201", "abc", "1e3",
            "99999999999", "%00", "1.5", "%201", "+5", "0x10"};
    private static final String[] OFFSETS = {"-1", "0", "1", "5", "99999999999999999999", "x", "9223372036854775807"};
    private static final String[] STATES = {"RUNNING", "running", "FOO", "SUCCEEDED,FAILED", ",", "", "QUEUED,,"};
    private static final String[] CONTENT_TYPES = {"application/json", "application/json; charset=utf-8",
            "application/json; charset=no-such-charset", "text/plain", "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x", "text/html", "", "json", "application/problem+json"};
    private static final String[] MALFORMED_JSON = {"{", "{\"query\":", "[]", "null", "1", "\"SELECT 1\"",
            "{\"query\": 1}", "{\"query\": [\"SELECT 1\"]}", "{\"query\": {\"a\": 1}}", "{\"sql\": true}",
            "{\"unknown\": 1}", "{\"query\": \"SELECT 1\", \"query\": \"SELECT 2\"}",
            "{\"limit\": 1e400, \"sql\": \"SELECT 1\"}", "{\"limit\": 99999999999, \"sql\": \"SELECT 1\"}",
            "{\"limit\": \"5\", \"sql\": \"SELECT 1\"}", "{\"request_id\": \"a b\", \"sql\": \"SELECT 1\"}",
            "{\"query\": \"SELECT 1\u0001\"}", "{\"engine\": \"\u0000\", \"query\": \"SELECT 1\"}",
            "\uFEFF{\"query\": \"SELECT 1\"}", "{\"query\": \"" + "x".repeat(300_000) + "\"}", "[".repeat(5000),
            "{\"a\":".repeat(3000), "{\"query\": \"SELECT 1\"} trailing", "{'query': 'SELECT 1'}", ""};
    /** A body over the servers' 1 MiB {@code server.maxRequestBytes}. */
    private static final byte[] OVER_THE_LIMIT = ("{\"query\": \"" + "y".repeat(1_100_000) + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    private static final String[] LANGUAGES = {"en", "zh-CN", "fr", "*", "en;q=abc", "x".repeat(300), ";;;", "zh;q=0"};

    private final Random random;
    private final List<Server> servers;

    FuzzCases(long seed, List<Server> servers) {
        this.random = new Random(seed);
        this.servers = servers;
    }

    List<FuzzCase> generate(int count) {
        List<FuzzCase> cases = new ArrayList<>(count);
        while (cases.size() < count) {
            int server = random.nextInt(servers.size());
            int kind = random.nextInt(100);
            if (kind < 12) {
                cases.add(FuzzCase.raw(server, "malformed", pick(MalformedHttp.requests())));
            } else if (kind < 15) {
                cases.add(unknownPath(server));
            } else {
                cases.add(onRoute(server));
            }
        }
        return cases;
    }

    private FuzzCase onRoute(int serverIndex) {
        Server server = servers.get(serverIndex);
        HttpApp.Route route = pick(server.routes());
        String method = random.nextInt(10) < 7 ? route.method() : pick(METHODS);
        StringBuilder target = new StringBuilder();
        Matcher m = PARAM.matcher(route.path());
        while (m.find()) {
            m.appendReplacement(target, Matcher.quoteReplacement(paramValue(server, m.group(1))));
        }
        m.appendTail(target);
        if (random.nextInt(10) < 2) {
            target.append(pick(new String[]{"/", "//", "/..", "/.", "%2F", ";x=1"}));
        }
        String query = queryString(server, route.path());
        if (!query.isEmpty()) {
            target.append('?').append(query);
        }
        List<String[]> headers = new ArrayList<>(pick(server.identities()));
        headerTricks(headers);
        byte[] body = null;
        if (method.equals("POST") || random.nextInt(10) == 0) {
            body = body(route.path(), headers);
            if (random.nextInt(12) == 0) { // a lying length: the body is longer or shorter than declared
                int lie = random.nextBoolean() ? 1 + random.nextInt(500) : -1 - random.nextInt(10);
                int declared = Math.max(0, body.length + lie);
                headers.add(new String[]{"Content-Length", String.valueOf(declared)});
            }
        }
        return FuzzCase.http(serverIndex, "route", route.method() + " " + route.path(), method, target.toString(),
                headers, body);
    }

    private FuzzCase unknownPath(int server) {
        String path = pick(new String[]{"/nope", "/api", "/api/", "/api/query", "/query", "/assets/x.js",
                "/favicon.svg", "/", "/index.html", "/api/../health", "//health", "/health/", "/HEALTH",
                "/api/query/", "/api/files/", "/WEB-INF/web.xml", "/metrics", "/api/" + "z".repeat(3000),
                "/%2e%2e/%2e%2e/etc/passwd", "/api/query/x/status/extra"});
        return FuzzCase.http(server, "path", null, pick(METHODS), path, new ArrayList<>(pick(servers.get(server)
                .identities())), null);
    }

    private String paramValue(Server server, String name) {
        int roll = random.nextInt(10);
        List<String> real = switch (name) {
            case "id" -> server.ids();
            case "token" -> server.tokens();
            case "request_id" -> server.requestIds();
            case "engine" -> List.of("duckdb", "athena");
            case "catalog" -> List.of("sluice", "system", "temp");
            case "database" -> List.of("main", "information_schema", "pg_catalog");
            case "table" -> List.of("events", "members", "nowhere");
            default -> List.of("x");
        };
        if (roll < 6) {
            return pick(real);
        }
        if (roll < 9) {
            return pick(HOSTILE);
        }
        // very long: over the catalog's 255-character names, sometimes over the server's URI limit
        return "a".repeat(random.nextInt(10) == 0 ? 9000 : 300);
    }

    private String queryString(Server server, String path) {
        List<String> parts = new ArrayList<>();
        if (path.endsWith("/results") || path.equals("/api/queries")) {
            if (random.nextBoolean()) {
                parts.add("limit=" + pick(LIMITS));
            }
            if (random.nextInt(3) == 0) {
                parts.add("cursor=" + pick(new String[]{"abc", "", "eyJ9", "%ZZ", "x".repeat(2000), "AAAA"}));
            }
            if (random.nextInt(3) == 0) { // real cursors, of this server's pages or the other's
                parts.add("cursor=" + pick(random.nextBoolean() ? server.cursors() : pick(servers).cursors()));
            }
        }
        if (path.endsWith("/results") && random.nextInt(3) == 0) {
            parts.add("offset=" + pick(OFFSETS));
        }
        if (path.equals("/api/queries")) {
            if (random.nextInt(3) == 0) {
                parts.add("state=" + pick(STATES));
            }
            if (random.nextInt(4) == 0) {
                parts.add("engine=" + pick(new String[]{"duckdb", "athena", "x".repeat(300)}));
            }
            if (random.nextInt(4) == 0) {
                parts.add("q=" + pick(new String[]{"x".repeat(1001), "%25", "_", "'", "SELECT", "%00"}));
            }
        }
        if (random.nextInt(20) == 0) {
            parts.add(pick(new String[]{"limit=1&limit=2", "a=%", "=", "&&", "x=" + "y".repeat(4000)}));
        }
        return String.join("&", parts);
    }

    private void headerTricks(List<String[]> headers) {
        int roll = random.nextInt(20);
        switch (roll) {
            case 0 -> headers.add(new String[]{"X-Forwarded-For", "10.255.255.1"});
            case 1 -> headers.add(new String[]{"Forwarded", "for=10.255.255.1;proto=https"});
            case 2 -> headers.add(new String[]{"Expect", "100-continue"});
            case 3 -> headers.add(new String[]{"Content-Encoding", "gzip"});
            case 4 -> headers.add(new String[]{"Cookie", "JSESSIONID=" + "a".repeat(100)});
            case 5 -> headers.add(new String[]{"Range", "bytes=0-1"});
            case 6 -> headers.add(new String[]{"Accept", pick(new String[]{"text/html", "application/xml", "*/*;q=x"})});
            case 7 -> headers.add(new String[]{"Connection", "close"});
            case 8 -> headers.add(new String[]{"X-Big", "b".repeat(random.nextBoolean() ? 7000 : 20000)});
            case 9 -> headers.add(new String[]{"Origin", "http://evil.example"});
            case 10 -> headers.add(new String[]{"Host", pick(new String[]{"evil.example", "", "a b"})});
            case 11 -> headers.add(new String[]{"Sec-WebSocket-Version", "13"});
            default -> { }
        }
        if (random.nextInt(3) == 0) {
            headers.add(new String[]{"Accept-Language", pick(LANGUAGES)});
        }
    }

    private byte[] body(String path, List<String[]> headers) {
        if (random.nextInt(10) < 8) {
            headers.add(new String[]{"Content-Type", pick(CONTENT_TYPES)});
        }
        int roll = random.nextInt(100);
        String json;
        if (roll < 45) {
            json = validBody(path);
        } else if (roll < 80) {
            json = pick(MALFORMED_JSON);
        } else if (roll < 85) {
            return new byte[]{(byte) 0xFF, (byte) 0xFE, '{', (byte) 0xC3, '}'};
        } else if (roll < 88) {
            return OVER_THE_LIMIT;
        } else {
            json = "{\"query\": " + quote(pick(CHEAP_SQL)) + "}";
        }
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private String validBody(String path) {
        String sql = quote(pick(CHEAP_SQL));
        if (path.equals("/api/{engine}/query")) {
            String requestId = random.nextBoolean() ? "" : ", \"request_id\": " + quote("fuzz:" + random.nextInt(20));
            String limit = random.nextBoolean() ? "" : ", \"limit\": " + pick(new String[]{"1", "0", "-3", "1000", "5000"});
            return "{\"sql\": " + sql + requestId + limit + "}";
        }
        String engine = random.nextInt(4) == 0 ? ", \"engine\": " + quote(pick(new String[]{"duckdb", "athena", "x"})) : "";
        String place = random.nextInt(5) == 0 ? ", \"catalog\": \"sluice\", \"database\": " + quote(pick(HOSTILE)) : "";
        return "{\"query\": " + sql + engine + place + "}";
    }

    private static String quote(String text) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private <T> T pick(T[] values) {
        return values[random.nextInt(values.length)];
    }
}
