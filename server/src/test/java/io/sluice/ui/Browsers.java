package io.sluice.ui;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Launches the machine's headless Chromium (Debian's {@code chromium} package) through Playwright
 * for Java. Playwright never downloads a browser here: {@code PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1}
 * is set by surefire (server/pom.xml) and again for the driver process below, and the browser is
 * always given by path. Playwright's Node driver ships inside the {@code driver-bundle} jar and is
 * extracted to a temporary folder, so nothing is fetched from the network.
 *
 * <p>A missing Chromium is a failure, not a skip: CI installs it ({@code scripts/test.sh}).
 */
public final class Browsers {

    /** Where Debian puts Chromium; {@code -Dsluice.chromium=…} or {@code SLUICE_CHROMIUM} override it. */
    public static final String DEFAULT_CHROMIUM = "/usr/bin/chromium";

    /** Chromium's flags for tests: headless, no sandbox (root), no background traffic. */
    public static final List<String> FLAGS = List.of(
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync");

    private Browsers() {
    }

    /** The Chromium executable to use; fails with a clear message when it is not installed. */
    public static Path chromium() {
        String configured = System.getProperty("sluice.chromium", System.getenv("SLUICE_CHROMIUM"));
        Path path = Path.of(configured == null || configured.isBlank() ? DEFAULT_CHROMIUM : configured);
        if (!Files.isExecutable(path)) {
            throw new AssertionError("Chromium is not installed at " + path + ": the browser end-to-end tests "
                    + "(io.sluice.ui) need it. Install it with `apt-get install -y chromium` (scripts/test.sh "
                    + "does this when it is missing), or point -Dsluice.chromium / SLUICE_CHROMIUM at a "
                    + "Chromium executable. Playwright is not allowed to download one.");
        }
        return path;
    }

    /** Starts Playwright's driver (extracted from its jar) with browser downloads switched off. */
    public static Playwright playwright() {
        Path chromium = chromium();
        try {
            return Playwright.create(new Playwright.CreateOptions()
                    .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        } catch (RuntimeException e) {
            throw new AssertionError("Playwright's driver did not start (browser: " + chromium + "): " + e.getMessage(), e);
        }
    }

    /**
     * Launches headless Chromium. Each launch gets a new, empty user data directory: Playwright
     * creates a fresh temporary profile for every {@code launch()} and deletes it on close; tests
     * isolate further with a new {@code BrowserContext} (its own storage) per test.
     */
    public static Browser launch(Playwright playwright) {
        Path chromium = chromium();
        try {
            return playwright.chromium().launch(new BrowserType.LaunchOptions()
                    .setExecutablePath(chromium)
                    .setHeadless(true)
                    .setArgs(FLAGS)
                    .setTimeout(60_000));
        } catch (RuntimeException e) {
            throw new AssertionError("Chromium at " + chromium + " did not start: " + e.getMessage(), e);
        }
    }
}
