package be.needtoknow.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real Chromium (Debian's {@code chromium}, driven through its {@code chromium-driver}), headless,
 * with a fresh profile and no background networking: what a parent's or the DPO's browser does with
 * the suite's pages. Each page it is asked to keep is saved as a full-page screenshot under
 * {@code target/screenshots/}, and scanned with axe-core (its script injected into the page): a
 * serious or critical violation fails the test.
 *
 * <p>When Chromium or its driver is missing, it installs Debian's packages (as root, with apt-get);
 * otherwise it stops with the exact command to run. The browser tests never skip.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final String INSTALL = "apt-get update && apt-get install -y chromium chromium-driver";

    /** A phone (the parents' and pupil's pages are read there first) or a desk. */
    enum Screen {
        PHONE(390, 844), DESK(1280, 900);

        final int width;
        final int height;

        Screen(int width, int height) {
            this.width = width;
            this.height = height;
        }
    }

    /**
     * Selenium looks for a DevTools binding matching the browser's version and warns when there is
     * none; this harness sends its few DevTools commands raw (executeCdpCommand) and needs none.
     * The logger is held here so that its level stays set.
     */
    private static final java.util.logging.Logger CDP_VERSION_FINDER = quiet("org.openqa.selenium.devtools.CdpVersionFinder");

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.SEVERE);
        return logger;
    }

    private final ChromeDriver driver;
    private final Path profile;
    private final Path screenshots;
    private int shots;

    Browser(Screen screen, Path screenshots) throws IOException {
        ensureInstalled();
        this.profile = Files.createTempDirectory("ntk-chromium-");
        this.screenshots = Files.createDirectories(screenshots);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile,
                "--window-size=" + screen.width + "," + screen.height, "--lang=nl-BE");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        this.driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    /** Installs Debian's Chromium and ChromeDriver when either is missing, or fails with the command to run. */
    static synchronized void ensureInstalled() {
        if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
            return;
        }
        String why = "The browser tests need Debian's Chromium and ChromeDriver (" + CHROMIUM + ", " + CHROMEDRIVER
                + "). Install them with: sudo sh -c '" + INSTALL + "'";
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root || !Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
            fail(why);
        }
        try {
            Path log = Files.createTempFile("ntk-chromium-install", ".log");
            System.out.println("Installing Chromium for the browser tests: " + INSTALL + " (log: " + log + ")");
            ProcessBuilder install = new ProcessBuilder("sh", "-c", INSTALL).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            install.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process process = install.start();
            if (!process.waitFor(15, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                fail("Installing Chromium failed (see " + log + "). " + why);
            }
        } catch (IOException e) {
            fail("Installing Chromium failed: " + e.getMessage() + ". " + why);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(why);
        }
        assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER), why);
    }

    ChromeDriver driver() {
        return driver;
    }

    void open(String url) {
        driver.get(url);
    }

    WebElement find(String css) {
        return new WebDriverWait(driver, Duration.ofSeconds(20))
                .until(d -> d.findElements(By.cssSelector(css)).stream().findFirst().orElse(null));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    boolean has(String css) {
        return !all(css).isEmpty();
    }

    /** The visible text of the page. */
    String text() {
        return driver.findElement(By.tagName("body")).getText();
    }

    /** Waits until the page's address starts with the given one (after a redirect or a form's post). */
    void awaitUrl(String prefix) {
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> d.getCurrentUrl().startsWith(prefix));
    }

    /** Keeps the page: a full-page screenshot, and the accessibility scan. */
    void keep(String name) {
        screenshot(name);
        assertAccessible(name);
    }

    /** A full-page screenshot, {@code NN-name.png}; its path. */
    Path screenshot(String name) {
        Map<String, Object> metrics = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
        @SuppressWarnings("unchecked")
        Map<String, Object> size = (Map<String, Object>) metrics.get("cssContentSize");
        double width = ((Number) size.get("width")).doubleValue();
        double height = Math.min(((Number) size.get("height")).doubleValue(), 12000);
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                "captureBeyondViewport", true,
                "clip", Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
        Path file = screenshots.resolve("%02d-%s.png".formatted(++shots, name));
        try {
            Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return file;
    }

    /** The page as printed to PDF by the browser (A4, its own print stylesheet); its path. */
    Path printToPdf(String name) {
        Map<String, Object> pdf = driver.executeCdpCommand("Page.printToPDF", Map.of("printBackground", false,
                "preferCSSPageSize", true));
        Path file = screenshots.resolve("%02d-%s.pdf".formatted(++shots, name));
        try {
            Files.write(file, Base64.getDecoder().decode((String) pdf.get("data")));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return file;
    }

    /** Renders the page as for print (its print stylesheet) until {@link #screenMedia()}. */
    void printMedia() {
        driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("media", "print"));
    }

    void screenMedia() {
        driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("media", ""));
    }

    /** Whether the element is shown (not display:none / visibility:hidden) in the current media. */
    boolean shown(String css) {
        return all(css).stream().anyMatch(WebElement::isDisplayed);
    }

    /** axe-core on the current page: no serious or critical violation (WCAG 2.1 A and AA and best practice). */
    void assertAccessible(String page) {
        driver.executeScript(axeScript());
        Object result = driver.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})
                  .then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                      nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}))))
                  .catch(e => done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]));
                """);
        List<String> serious = new ArrayList<>();
        for (Object o : (List<?>) result) {
            Map<?, ?> violation = (Map<?, ?>) o;
            Object impact = violation.get("impact");
            if ("serious".equals(impact) || "critical".equals(impact)) {
                serious.add(violation.get("id") + " (" + impact + "): " + violation.get("help") + " at "
                        + violation.get("nodes"));
            }
        }
        assertTrue(serious.isEmpty(), "axe-core on " + page + " (" + driver.getCurrentUrl().replaceAll("/[^/?]*\\.[^/?]*", "/…")
                + "): " + serious);
    }

    private static String axe;

    private static synchronized String axeScript() {
        if (axe == null) {
            try (InputStream in = Browser.class.getResourceAsStream("/axe.min.js")) {
                if (in == null) {
                    throw new IllegalStateException("axe.min.js is not on the test class path");
                }
                axe = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return axe;
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temporary profile left behind is harmless
            }
        }
    }
}
