package io.sohbet.devstack.browser;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A real headless Chromium for browser tests: Debian's {@code chromium} driven through Selenium by Debian's
 * {@code chromium-driver} (whose version always equals the browser's), no download, no Selenium Manager, nothing from
 * the network but the pages the test opens. Screenshots go to {@code target/screenshots/} (kept as CI artefacts);
 * {@link #axe()} runs axe-core (bundled in Deque's jar, injected into the page, no CDN) with the WCAG 2.1 AA tags.
 * <p>
 * When the binaries are missing, {@link #start()} skips the test with a message saying what to install; with the
 * environment variable {@code SOHBET_BROWSER_REQUIRED=true} (CI, whose {@code .ci/run} installs them) it fails instead.
 * Paths can be moved with {@code SOHBET_CHROMIUM} and {@code SOHBET_CHROMEDRIVER}. A module that uses it adds
 * {@code selenium-java} and {@code com.deque.html.axe-core:selenium} to its test dependencies (optional here).
 */
public final class Browser implements AutoCloseable {

    /** The axe-core tags checked: WCAG 2.0 A and AA, WCAG 2.1 AA. */
    public static final List<String> WCAG_TAGS = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa");
    public static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private final WebDriver driver;
    private final ChromeDriverService service;

    private Browser(WebDriver driver, ChromeDriverService service) {
        this.driver = driver;
        this.service = service;
    }

    static Path chromium() {
        return Path.of(System.getenv().getOrDefault("SOHBET_CHROMIUM", "/usr/bin/chromium"));
    }

    static Path chromedriver() {
        return Path.of(System.getenv().getOrDefault("SOHBET_CHROMEDRIVER", "/usr/bin/chromedriver"));
    }

    static boolean required() {
        return "true".equalsIgnoreCase(System.getenv("SOHBET_BROWSER_REQUIRED"));
    }

    /** Why no browser can be started here, or empty when Chromium and its driver are both installed. */
    public static Optional<String> missing() {
        List<Path> absent = List.of(chromium(), chromedriver()).stream().filter(p -> !Files.isExecutable(p)).toList();
        return absent.isEmpty() ? Optional.empty() : Optional.of("no browser for this test: " + absent + " not found "
                + "(apt-get install -y chromium chromium-driver fonts-dejavu-core, or set SOHBET_CHROMIUM / SOHBET_CHROMEDRIVER)");
    }

    /**
     * Starts a headless Chromium (1280×900, Turkish locale). Skips the calling test when the binaries are missing, or
     * fails it when {@code SOHBET_BROWSER_REQUIRED=true}.
     */
    public static Browser start() {
        Optional<String> missing = missing();
        if (missing.isPresent()) {
            if (required()) {
                throw new IllegalStateException(missing.get() + "; SOHBET_BROWSER_REQUIRED=true");
            }
            Assumptions.abort(missing.get());
        }
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver().toFile())
                .usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium().toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-extensions",
                "--no-first-run", "--window-size=1280,900", "--lang=tr-TR", "--font-render-hinting=none");
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return new Browser(driver, service);
    }

    public WebDriver driver() {
        return driver;
    }

    /** Saves the page as {@code target/screenshots/<name>.png} and returns the file. */
    public Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name.replaceAll("[^A-Za-z0-9._-]", "_") + ".png");
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The page's accessibility violations by axe-core under {@link #WCAG_TAGS}; empty when it passes. */
    public List<Rule> axe() {
        Results results = new AxeBuilder().withTags(WCAG_TAGS).analyze(driver);
        if (results.isErrored()) {
            throw new IllegalStateException("axe-core could not analyse the page: " + results.getErrorMessage());
        }
        return results.getViolations();
    }

    /** The violations in a line each (rule id, impact, help, the elements' selectors), for an assertion's message. */
    public static String describe(List<Rule> violations) {
        return violations.stream().map(v -> v.getId() + " (" + v.getImpact() + "): " + v.getHelp() + " "
                        + v.getNodes().stream().map(n -> String.valueOf(n.getTarget())).collect(Collectors.joining(", ")))
                .collect(Collectors.joining("\n"));
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
        }
    }
}
