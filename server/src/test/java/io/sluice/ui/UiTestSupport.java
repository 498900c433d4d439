package io.sluice.ui;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Request;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import io.sluice.Json;
import io.sluice.testing.ApiClient;
import io.sluice.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The base of the browser end-to-end tests: each test class starts one real Sluice (in process, on
 * a random port, serving the web UI from the {@code sluice-web} jar) and one headless Chromium;
 * each test gets a fresh browser context (its own localStorage) with the page loaded and ready.
 * No sleeps: every wait is on a condition (Playwright's auto-waiting assertions, waitForFunction).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class UiTestSupport {

    static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(UiTestSupport.class);

    static final int WIDTH = 1280;
    static final int HEIGHT = 800;

    static {
        PlaywrightAssertions.setDefaultAssertionTimeout(20_000);
    }

    protected Path dir;
    protected TestServer server;
    protected ApiClient api;
    protected String baseUrl;
    private Playwright playwright;
    protected Browser browser;

    protected BrowserContext context;
    protected Page page;
    /** Uncaught exceptions and console errors of the page, checked after each test. */
    protected final List<String> pageErrors = new CopyOnWriteArrayList<>();
    /** Every request the page made ("METHOD path"), for checks such as "one cancel was sent". */
    protected final List<String> requests = new CopyOnWriteArrayList<>();
    /** Answers with a status of 400 or more ("status METHOD url"), for the diagnosis of a page that never got ready. */
    protected final List<String> failedResponses = new CopyOnWriteArrayList<>();
    /** Every URL the test's browser context asked for (pages, popups, scripts, fonts): all must be local. */
    protected final List<String> requestUrls = new CopyOnWriteArrayList<>();

    /** Starts the server this class uses; override to change its configuration. */
    protected TestServer startServer(Path dir) {
        return TestServer.start(dir);
    }

    /** Stops what {@link #startServer} started. */
    protected void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    /**
     * Origins besides the server's own that the browser may reach in this class (e.g. the S3
     * stand-in of a presigned download link). The UI itself works offline: no CDN, font or script.
     */
    protected Set<String> allowedOrigins() {
        return Set.of();
    }

    /** Whether a console error is expected in this class (e.g. a 4xx the UI shows as a notice). */
    protected boolean expectedConsoleError(String text) {
        // The browser logs failed HTTP answers (422 results of a failed query, 404 on purpose...).
        return text.startsWith("Failed to load resource");
    }

    /** A failed test leaves a screenshot of its page in target/ui-failures/ (before the page closes). */
    @RegisterExtension
    final AfterTestExecutionCallback screenshotOnFailure = extension -> {
        if (extension.getExecutionException().isPresent() && page != null && !page.isClosed()) {
            Path file = Path.of("target", "ui-failures",
                    getClass().getSimpleName() + "-" + extension.getRequiredTestMethod().getName() + ".png");
            try {
                page.screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(true));
                LOG.warn("screenshot of the failed test's page: {}", file.toAbsolutePath());
            } catch (RuntimeException e) {
                LOG.warn("no screenshot of the failed test's page: {}", e.getMessage());
            }
        }
    };

    @BeforeAll
    void startServerAndBrowser() throws IOException {
        Browsers.chromium(); // fail at once, with the reason, when Chromium is missing
        long t0 = System.nanoTime();
        dir = Files.createTempDirectory("sluice-ui-");
        server = startServer(dir);
        api = server.client();
        baseUrl = api.base().toString() + "/";
        long t1 = System.nanoTime();
        playwright = Browsers.playwright();
        long t2 = System.nanoTime();
        browser = Browsers.launch(playwright);
        long t3 = System.nanoTime();
        LOG.info("{}: server {} ms, Playwright driver {} ms, Chromium {} {} ms", getClass().getSimpleName(),
                (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, browser.version(), (t3 - t2) / 1_000_000);
    }

    @AfterAll
    void stopServerAndBrowser() {
        try {
            if (browser != null) {
                browser.close();
            }
            if (playwright != null) {
                playwright.close();
            }
        } finally {
            try {
                stopServer();
            } finally {
                deleteTree(dir);
            }
        }
    }

    @BeforeEach
    void openPage() {
        pageErrors.clear();
        requests.clear();
        failedResponses.clear();
        requestUrls.clear();
        context = browser.newContext(new Browser.NewContextOptions()
                .setViewportSize(WIDTH, HEIGHT)
                .setLocale("en-US")
                .setTimezoneId("UTC")
                .setAcceptDownloads(true));
        context.setDefaultTimeout(20_000);
        context.onRequest(r -> requestUrls.add(r.url()));
        page = context.newPage();
        page.onPageError(e -> pageErrors.add("page error: " + e));
        page.onConsoleMessage(m -> {
            if ("error".equals(m.type()) && !expectedConsoleError(m.text())) {
                pageErrors.add("console error: " + m.text());
            }
        });
        page.onRequest((Request r) -> requests.add(r.method() + " " + java.net.URI.create(r.url()).getPath()));
        page.onResponse(r -> {
            if (r.status() >= 400) {
                failedResponses.add(r.status() + " " + r.request().method() + " " + r.url());
            }
        });
        load();
    }

    @AfterEach
    void closePage() {
        try {
            assertThat(pageErrors).as("errors in the page").isEmpty();
            assertThat(requestUrls).as("requests of the page").isNotEmpty();
            Set<String> allowed = new HashSet<>(allowedOrigins());
            allowed.add(origin(baseUrl));
            assertThat(requestUrls.stream().filter(url -> !allowed.contains(origin(url))).toList())
                    .as("requests to other origins than %s (the UI must work offline)", allowed).isEmpty();
        } finally {
            context.close();
        }
    }

    /** Opens (or reopens) the editor and waits until it is ready (config loaded, pickers filled). */
    protected void load() {
        checkServed(page.navigate(baseUrl));
        awaitReady();
    }

    protected void reload() {
        checkServed(page.reload());
        awaitReady();
    }

    /** The server must answer the page itself (from the sluice-web jar on its classpath). */
    private void checkServed(Response response) {
        if (response == null) {
            throw new AssertionError("no answer to GET " + baseUrl);
        }
        if (response.status() != 200 || !response.headerValue("content-type").startsWith("text/html")) {
            throw new AssertionError("The server did not serve the web UI: GET " + response.url() + " answered "
                    + response.status() + " " + response.headerValue("content-type") + ": " + response.text()
                    + (response.status() == 404 ? " (is the sluice-web jar with sluice-web/index.html on the "
                    + "classpath? build it: mvn -DskipTests install -pl web)" : ""));
        }
    }

    protected void awaitReady() {
        try {
            assertThat(page.locator("[data-testid=app][data-ready=true]")).isAttached();
        } catch (AssertionError e) {
            throw new AssertionError("The editor did not become ready. Failed answers: " + failedResponses
                    + "; errors in the page: " + pageErrors, e);
        }
    }

    /** scheme://host:port of a URL ("data:", "blob:"… as themselves: not allowed unless listed). */
    static String origin(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return url;
        }
        if (uri.getHost() == null) {
            return uri.getScheme() + ":";
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
        return uri.getScheme() + "://" + uri.getHost() + ":" + port;
    }

    /** Whether the page is wider than its window (a horizontal scroll bar). */
    protected boolean overflowsHorizontally() {
        return (Boolean) page.evaluate("() => document.documentElement.scrollWidth > document.documentElement.clientWidth");
    }

    /** The element with this {@code data-testid}. */
    protected Locator tid(String testId) {
        return page.getByTestId(testId);
    }

    /** Replaces the active tab's SQL (the page's test hook). */
    protected void setSql(String sql) {
        page.evaluate("sql => window.sluice.setSql(sql)", sql);
    }

    protected String sql() {
        return (String) page.evaluate("() => window.sluice.getSql()");
    }

    /**
     * Puts SQL into the editor and presses Run. On an engine that prices queries the lint is asked
     * first ({@code app[data-linting]} meanwhile); findings open a dialog, answered "Run anyway".
     */
    protected void run(String sql) {
        setSql(sql);
        assertThat(tid("run-button")).isEnabled();
        tid("run-button").click();
        runAnywayIfLinted();
    }

    /** Waits for a lint under way and answers its dialog, if any, with "Run anyway". */
    protected void runAnywayIfLinted() {
        page.waitForFunction("() => document.querySelector('[data-testid=app]').dataset.linting !== 'true'");
        if ((Boolean) page.evaluate("() => document.querySelector('[data-testid=confirm-dialog]').open")) {
            tid("confirm-ok").click();
        }
    }

    /** Waits until the active tab's query ended in {@code state}. */
    protected void awaitFinished(String state) {
        Locator status = tid("query-status");
        assertThat(status).hasAttribute("data-phase", "finished");
        assertThat(status).hasAttribute("data-state", state);
    }

    /** Runs SQL and waits until its result grid shows. */
    protected void runToResults(String sql) {
        run(sql);
        awaitFinished("SUCCEEDED");
        assertThat(tid("result-grid")).isVisible();
    }

    /** The query id the active tab follows. */
    protected String activeQueryId() {
        Locator tab = page.locator("[data-testid=editor-tab]:has([aria-selected=true])");
        String id = tab.getAttribute("data-query-id");
        assertThat(id).as("active tab's query id").isNotBlank();
        return id;
    }

    protected long countRequests(Predicate<String> which) {
        return requests.stream().filter(which).count();
    }

    /** The SQL a {@code POST /api/query} request of the page submitted. */
    protected static String submittedQuery(Request request) {
        try {
            return Json.mapper().readTree(request.postData()).path("query").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text of the cells of one grid row (without the row number). */
    protected List<String> rowCells(int index) {
        return tid("grid-row").nth(index).getByTestId("grid-cell").allInnerTexts();
    }

    /** "rgb(r, g, b)" → {r, g, b}. */
    protected static int[] rgb(String css) {
        String[] parts = css.replaceAll("[^0-9,]", "").split(",");
        return new int[]{Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2])};
    }

    /** The hue (0–360°) of a CSS colour, to tell a yellow notice from a red one. */
    protected static double hue(String css) {
        int[] c = rgb(css);
        double r = c[0] / 255.0;
        double g = c[1] / 255.0;
        double b = c[2] / 255.0;
        double max = Math.max(r, Math.max(g, b));
        double d = max - Math.min(r, Math.min(g, b));
        if (d == 0) {
            return 0;
        }
        double h = max == r ? ((g - b) / d) % 6 : max == g ? (b - r) / d + 2 : (r - g) / d + 4;
        return (h * 60 + 360) % 360;
    }

    protected String computedStyle(Locator locator, String property) {
        return (String) locator.evaluate("(el, p) => getComputedStyle(el).getPropertyValue(p)", property);
    }

    static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // best effort: a locked file must not hide the test's own result
        }
    }
}
