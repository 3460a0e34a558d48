package io.seqloss.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's headless Chromium driven through its chromedriver (both from apt; .ci/run installs
 * them): opens a report from a file URL with a fresh profile and records the console and the
 * network.
 */
public final class ReportBrowser implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private final ChromeDriver driver;
  private final Path profile;

  public ReportBrowser() {
    // Fail, never skip: a CI without the packages must turn red (.ci/run installs them).
    assertTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "Debian's chromium and chromium-driver are needed: apt-get install -y chromium chromium-driver");
    try {
      profile = Files.createTempDirectory("seqloss-chromium-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        "--user-data-dir=" + profile,
        "--window-size=1280,900");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    logs.enable(LogType.PERFORMANCE, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    // The driver named outright: Selenium Manager would otherwise try to download one.
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
  }

  /** Opens the page from its file URL and waits until it has loaded. */
  public void open(Path page) {
    driver.get(page.toUri().toString());
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!"complete".equals(js("return document.readyState")) && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertEquals("complete", js("return document.readyState"));
  }

  /**
   * Opens a report as every report must open: under 2 MB, from its file URL, with no console error
   * and no request but the page itself.
   */
  public void openOffline(Path page) {
    try {
      assertTrue(Files.size(page) < 2_000_000, page + " is " + Files.size(page) + " bytes");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    consoleErrors();
    requestedUrls(); // drop what earlier pages logged
    open(page);
    assertEquals(List.of(), consoleErrors(), "console errors");
    List<String> urls = requestedUrls();
    assertTrue(
        urls.stream().allMatch(u -> u.equals(page.toUri().toString()) || u.startsWith("file:")),
        "only the page itself is requested: " + urls);
    assertEquals(
        0L,
        ((Number) js("return performance.getEntriesByType('resource').length")).longValue(),
        "resources fetched");
  }

  /** The element is displayed with a non-zero size. */
  public void assertSized(String css) {
    WebElement e = find(css);
    assertTrue(e.isDisplayed(), css + " is displayed");
    assertTrue(
        e.getRect().getWidth() > 0 && e.getRect().getHeight() > 0,
        css + " has a size: " + e.getRect());
  }

  /** At least one {@code mark} (a CSS selector of chart shapes) is drawn, the first with a size. */
  public void assertDrawn(String mark) {
    List<WebElement> shapes = findAll(mark);
    assertTrue(!shapes.isEmpty(), mark + " drawn");
    WebElement first = shapes.get(0);
    assertTrue(
        first.getRect().getWidth() > 0 || first.getRect().getHeight() > 0, mark + " has a size");
  }

  /**
   * Every fact on the page (data-key) holds the JSON file's value exactly in data-value, and shows
   * it as text (numbers rounded to what the page shows); returns how many facts there are.
   */
  public int assertFactsEqual(JsonNode json) {
    List<WebElement> facts = findAll("[data-key]");
    for (WebElement fact : facts) {
      String key = fact.getAttribute("data-key");
      JsonNode expected = json.get(key);
      assertTrue(json.has(key), key + " is a key of the JSON file");
      try {
        assertEquals(expected, JSON.readTree(fact.getAttribute("data-value")), key);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      String text = fact.getText();
      if (expected.isNull()) {
        assertEquals("—", text, key);
      } else if (expected.isNumber()) {
        double shown = Double.parseDouble(text.replace(",", ""));
        assertEquals(
            expected.asDouble(),
            shown,
            Math.abs(expected.asDouble()) * 5e-6,
            key + " shown as " + text);
      } else if (expected.isTextual() || expected.isBoolean()) {
        assertEquals(expected.asText(), text, key);
      }
    }
    return facts.size();
  }

  public Object js(String script) {
    return ((JavascriptExecutor) driver).executeScript(script);
  }

  /** Console messages of level SEVERE (errors) since the last call. */
  public List<String> consoleErrors() {
    List<String> errors = new ArrayList<>();
    for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
      if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
        errors.add(e.getMessage());
      }
    }
    return errors;
  }

  /** Every URL the browser asked for since the last call (DevTools' Network.requestWillBeSent). */
  public List<String> requestedUrls() {
    List<String> urls = new ArrayList<>();
    for (LogEntry e : driver.manage().logs().get(LogType.PERFORMANCE)) {
      try {
        JsonNode message = JSON.readTree(e.getMessage()).path("message");
        if ("Network.requestWillBeSent".equals(message.path("method").asText())) {
          urls.add(message.path("params").path("request").path("url").asText());
        }
      } catch (IOException ex) {
        throw new UncheckedIOException(ex);
      }
    }
    return urls;
  }

  public WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  public List<WebElement> findAll(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  /** A screenshot of the whole page (the window grown to the document's height). */
  public void screenshot(Path file) {
    long height = ((Number) js("return document.documentElement.scrollHeight")).longValue();
    driver.manage().window().setSize(new Dimension(1280, (int) Math.min(height + 40, 16000)));
    byte[] png = driver.getScreenshotAs(OutputType.BYTES);
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, png);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An element's rendered size in CSS pixels. */
  public Map<String, Long> size(String css) {
    WebElement e = find(css);
    return Map.of("width", (long) e.getRect().getWidth(), "height", (long) e.getRect().getHeight());
  }

  @Override
  public void close() {
    driver.quit();
    try (var files = Files.walk(profile)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a leftover temporary profile is harmless
    }
  }
}
