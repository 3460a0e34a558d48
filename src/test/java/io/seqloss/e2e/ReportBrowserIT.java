package io.seqloss.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqloss.report.ReportBrowser;
import io.seqloss.testing.SubmitProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.schema.PrimitiveType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

/**
 * report.html in a real browser: runs through submit.sh, then opens each report in headless
 * Chromium from its file URL and checks that it loads without a console error or any network
 * request, that every chart is drawn with a size, that the numbers shown are summary.json's, and
 * that the worst sequences are those of an independent top-N over per_sequence/. Screenshots go to
 * target/report-screens/.
 */
class ReportBrowserIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path HOME = SubmitProcess.home();
  private static final Path WORK = HOME.resolve("target/report-it");
  private static final Path SCREENS = HOME.resolve("target/report-screens");
  private static final Duration TIMEOUT = Duration.ofMinutes(4);
  private static ReportBrowser browser;

  @BeforeAll
  static void startBrowser() {
    browser = new ReportBrowser();
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.close();
    }
  }

  private static Path submit(String name, String... args) {
    deleteTree(WORK.resolve(name)); // an output left by an earlier build of the tests
    SubmitProcess p = SubmitProcess.run(WORK.resolve("logs"), name, TIMEOUT, List.of(args));
    assertEquals(0, p.exitCode(), p.describe());
    return WORK.resolve(name);
  }

  /**
   * The bundled sample, as ./submit.sh without arguments runs it (there to target/sample-output).
   */
  @Test
  void sampleReportShowsTheSummaryWithoutNetworkOrErrors() throws Exception {
    Path out =
        submit(
            "sample",
            "--input",
            HOME.resolve("examples/sentiment/sentiment.parquet").toString(),
            "--output",
            WORK.resolve("sample").toString());
    JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
    assertEquals(
        "report.html", summary.path("outputs").path("report").asText(), summary.toString());
    checkPage(out, summary, "sample-report.png");
    // every headline fact is on the page
    for (String key :
        List.of(
            "loss",
            "perplexity",
            "bits_per_token",
            "accuracy",
            "top_k_accuracy",
            "ece",
            "input_rows",
            "sequences",
            "invalid_rows",
            "tokens",
            "weight_sum",
            "loss_function",
            "loss_options",
            "average_across_timesteps",
            "average_across_batch",
            "input_paths",
            "skipped_files",
            "seqloss_version",
            "spark_version",
            "elapsed_seconds")) {
      assertFalse(
          browser.findAll("[data-key='" + key + "']").isEmpty(), key + " is not on the page");
    }
  }

  /**
   * A generated corpus of 300 sequences, one loss per sequence: the worst 25 against per_sequence/.
   */
  @Test
  void worstSequencesAreTheTopNOfPerSequence() throws Exception {
    Path corpus = WORK.resolve("corpus");
    submit(
        "corpus",
        "generate",
        "--output",
        corpus.toString(),
        "--overwrite",
        "--sequences",
        "300",
        "--min-length",
        "3",
        "--max-length",
        "40",
        "--num-classes",
        "40",
        "--seed",
        "11");
    Path out =
        submit(
            "per-sequence",
            "--input",
            corpus.toString(),
            "--output",
            WORK.resolve("per-sequence").toString(),
            "--average-across-batch",
            "false",
            "--report-worst",
            "25");
    JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
    checkPage(out, summary, "per-sequence-report.png");

    List<Object[]> expected = topN(out.resolve("per_sequence"), 25);
    List<WebElement> rows = browser.findAll("#table-worst tbody tr");
    assertEquals(25, rows.size());
    for (int i = 0; i < rows.size(); i++) {
      List<WebElement> cells = rows.get(i).findElements(org.openqa.selenium.By.tagName("td"));
      assertEquals(
          JSON.valueToTree(expected.get(i)[0]),
          JSON.readTree(cells.get(1).getAttribute("data-value")),
          "id of row " + (i + 1));
      assertEquals(
          (double) expected.get(i)[1],
          Double.parseDouble(cells.get(2).getAttribute("data-value")),
          "loss of row " + (i + 1) + " bit for bit");
      assertEquals(String.valueOf(expected.get(i)[0]), cells.get(1).getText());
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The same corpus sliced by length: the slices table and plot show summary.json's groups. */
  @Test
  void groupedReportShowsEveryGroupWithItsInterval() throws Exception {
    Path corpus = WORK.resolve("corpus-grouped");
    submit(
        "corpus-grouped",
        "generate",
        "--output",
        corpus.toString(),
        "--overwrite",
        "--sequences",
        "120",
        "--min-length",
        "3",
        "--max-length",
        "40",
        "--num-classes",
        "20",
        "--seed",
        "12");
    Path out =
        submit(
            "grouped",
            "--input",
            corpus.toString(),
            "--output",
            WORK.resolve("grouped").toString(),
            "--length-buckets",
            "10,20,30");
    JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
    checkPage(out, summary, "grouped-report.png");
    JsonNode groups = summary.get("group_results");
    assertEquals(4, groups.size(), summary.toString());
    for (String part : List.of("#chart-slices", "#table-slices")) {
      WebElement e = browser.find(part);
      assertTrue(e.getRect().getWidth() > 0 && e.getRect().getHeight() > 0, part + " has a size");
    }
    assertEquals(groups.size(), browser.findAll("#chart-slices circle.group").size());
    assertEquals(groups.size(), browser.findAll("#chart-slices line.interval").size());
    List<WebElement> rows = browser.findAll("#table-slices tbody tr");
    assertEquals(groups.size(), rows.size());
    for (int i = 0; i < rows.size(); i++) {
      List<WebElement> cells = rows.get(i).findElements(org.openqa.selenium.By.tagName("td"));
      assertEquals(
          groups.get(i).get("group"),
          JSON.readTree(cells.get(0).getAttribute("data-value")),
          "group " + i);
      assertEquals(
          groups.get(i).get("loss"),
          JSON.readTree(cells.get(1).getAttribute("data-value")),
          "group " + i);
      assertEquals(
          groups.get(i).get("confidence_interval"),
          JSON.readTree(cells.get(2).getAttribute("data-value")),
          "group " + i);
    }
    assertFalse(browser.findAll("[data-key='confidence_interval']").isEmpty());
  }

  /** Loads the page and checks what every report must satisfy; saves a screenshot. */
  private static void checkPage(Path out, JsonNode summary, String screenshot) throws Exception {
    Path page = out.resolve("report.html");
    assertTrue(Files.size(page) < 2_000_000, "report.html is " + Files.size(page) + " bytes");
    browser.consoleErrors();
    browser.requestedUrls(); // drop what earlier pages logged
    browser.open(page);
    assertEquals(List.of(), browser.consoleErrors(), "console errors");
    List<String> urls = browser.requestedUrls();
    assertTrue(
        urls.stream().allMatch(u -> u.equals(page.toUri().toString()) || u.startsWith("file:")),
        "only the page itself is requested: " + urls);
    assertEquals(
        0L,
        ((Number) browser.js("return performance.getEntriesByType('resource').length")).longValue(),
        "resources fetched");

    for (String chart :
        List.of(
            "#facts",
            "#chart-position",
            "#chart-histogram",
            "#table-worst",
            "#chart-calibration",
            "#table-calibration")) {
      WebElement e = browser.find(chart);
      assertTrue(e.isDisplayed(), chart + " is displayed");
      assertTrue(
          e.getRect().getWidth() > 0 && e.getRect().getHeight() > 0,
          chart + " has a size: " + e.getRect());
    }
    for (String mark :
        List.of(
            "#chart-position path.curve",
            "#chart-position rect.weight",
            "#chart-histogram rect.count",
            "#chart-calibration rect.accuracy")) {
      List<WebElement> shapes = browser.findAll(mark);
      assertFalse(shapes.isEmpty(), mark + " drawn");
      WebElement first = shapes.get(0);
      assertTrue(
          first.getRect().getWidth() > 0 || first.getRect().getHeight() > 0, mark + " has a size");
    }

    // every number shown is summary.json's: the value exactly, the text rounded to what it shows
    List<WebElement> facts = browser.findAll("[data-key]");
    assertTrue(facts.size() >= 30, facts.size() + " facts");
    for (WebElement fact : facts) {
      String key = fact.getAttribute("data-key");
      JsonNode expected = summary.get(key);
      assertTrue(summary.has(key), key + " is a summary.json key");
      assertEquals(expected, JSON.readTree(fact.getAttribute("data-value")), key);
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
    List<WebElement> bins = browser.findAll("#table-calibration tbody tr");
    assertEquals(summary.get("calibration_bins").size(), bins.size());
    for (int i = 0; i < bins.size(); i++) {
      List<WebElement> cells = bins.get(i).findElements(org.openqa.selenium.By.tagName("td"));
      JsonNode bin = summary.get("calibration_bins").get(i);
      assertEquals(
          bin.get("weight_sum"),
          JSON.readTree(cells.get(2).getAttribute("data-value")),
          "bin " + i);
      assertEquals(
          bin.get("confidence"),
          JSON.readTree(cells.get(3).getAttribute("data-value")),
          "bin " + i);
      assertEquals(
          bin.get("accuracy"), JSON.readTree(cells.get(4).getAttribute("data-value")), "bin " + i);
    }
    browser.screenshot(SCREENS.resolve(screenshot));
  }

  /**
   * {id, loss} of the n sequences with the highest loss and some weight, equal losses in id order.
   */
  private static List<Object[]> topN(Path dir, int n) throws Exception {
    List<Object[]> all = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file :
          files.filter(f -> f.getFileName().toString().endsWith(".parquet")).toList()) {
        try (ParquetReader<Group> reader =
            ParquetReader.builder(
                    new GroupReadSupport(), new org.apache.hadoop.fs.Path(file.toUri()))
                .withConf(new Configuration())
                .build()) {
          for (Group g = reader.read(); g != null; g = reader.read()) {
            if (g.getDouble("weight_sum", 0) == 0.0) {
              continue;
            }
            boolean longId =
                g.getType().getType("id").asPrimitiveType().getPrimitiveTypeName()
                    == PrimitiveType.PrimitiveTypeName.INT64;
            Object id = longId ? (Object) g.getLong("id", 0) : g.getString("id", 0);
            all.add(new Object[] {id, g.getDouble("loss", 0)});
          }
        }
      }
    }
    @SuppressWarnings({"unchecked", "rawtypes"})
    Comparator<Object[]> byId = (a, b) -> ((Comparable) a[0]).compareTo(b[0]);
    all.sort(Comparator.<Object[]>comparingDouble(a -> -(double) a[1]).thenComparing(byId));
    return all.subList(0, Math.min(n, all.size()));
  }
}
