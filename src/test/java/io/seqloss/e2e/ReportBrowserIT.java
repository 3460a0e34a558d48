package io.seqloss.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqloss.report.ReportBrowser;
import io.seqloss.testing.SubmitProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.parquet.example.data.Group;
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
  private static final ReportRuns RUNS = new ReportRuns(WORK);
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
    return RUNS.submit(name, args);
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
    browser.openOffline(out.resolve("report.html"));
    for (String chart :
        List.of(
            "#facts",
            "#chart-position",
            "#chart-histogram",
            "#table-worst",
            "#chart-calibration",
            "#table-calibration")) {
      browser.assertSized(chart);
    }
    for (String mark :
        List.of(
            "#chart-position path.curve",
            "#chart-position rect.weight",
            "#chart-histogram rect.count",
            "#chart-calibration rect.accuracy")) {
      browser.assertDrawn(mark);
    }

    // every number shown is summary.json's: the value exactly, the text rounded to what it shows
    int facts = browser.assertFactsEqual(summary);
    assertTrue(facts >= 30, facts + " facts");
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
    for (Group g : ReportRuns.rows(dir)) {
      if (g.getDouble("weight_sum", 0) != 0.0) {
        all.add(new Object[] {ReportRuns.id(g), g.getDouble("loss", 0)});
      }
    }
    @SuppressWarnings({"unchecked", "rawtypes"})
    Comparator<Object[]> byId = (a, b) -> ((Comparable) a[0]).compareTo(b[0]);
    all.sort(Comparator.<Object[]>comparingDouble(a -> -(double) a[1]).thenComparing(byId));
    return all.subList(0, Math.min(n, all.size()));
  }
}
