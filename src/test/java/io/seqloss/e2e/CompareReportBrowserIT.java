package io.seqloss.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqloss.report.ReportBrowser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.example.data.Group;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * compare's report.html in a real browser: two checkpoints of one generated corpus (the same seed,
 * so the same ids, targets and weights; B's targets boosted more), each evaluated through submit.sh
 * with --per-sequence and --group-by, then compared. The page must load from its file URL with no
 * console error and no request, draw every chart with a size, show comparison.json's numbers and
 * per_group_delta/'s groups, and list as largest increases those of an independent top-N over both
 * runs' per_sequence/. A screenshot goes to target/report-screens/compare-report.png.
 */
class CompareReportBrowserIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path HOME = io.seqloss.testing.SubmitProcess.home();
  private static final Path WORK = HOME.resolve("target/compare-report-it");
  private static final Path SCREENS = HOME.resolve("target/report-screens");
  private static final ReportRuns RUNS = new ReportRuns(WORK);
  private static final int WORST = 15;
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

  private static String checkpoint(String name, String boost) {
    Path corpus = WORK.resolve("corpus-" + name);
    submit(
        "corpus-" + name,
        "generate",
        "--output",
        corpus.toString(),
        "--overwrite",
        "--sequences",
        "400",
        "--min-length",
        "3",
        "--max-length",
        "30",
        "--num-classes",
        "12",
        "--seed",
        "5",
        "--target-boost",
        boost,
        "--group-column",
        "domain",
        "--groups",
        "5");
    return submit(
            "eval-" + name,
            "--input",
            corpus.toString(),
            "--output",
            WORK.resolve("eval-" + name).toString(),
            "--per-sequence",
            "--group-by",
            "domain")
        .toString();
  }

  @Test
  void comparisonReportShowsComparisonJsonWithoutNetworkOrErrors() throws Exception {
    String a = checkpoint("a", "1.0");
    String b = checkpoint("b", "1.2");
    Path out =
        submit(
            "a-vs-b",
            "compare",
            "--baseline",
            a,
            "--candidate",
            b,
            "--output",
            WORK.resolve("a-vs-b").toString(),
            "--bootstrap",
            "50",
            "--report-worst",
            String.valueOf(WORST));
    JsonNode r = JSON.readTree(out.resolve("comparison.json").toFile());
    assertEquals("report.html", r.path("outputs").path("report").asText(), r.toString());
    browser.openOffline(out.resolve("report.html"));
    for (String part :
        List.of(
            "#facts",
            "#chart-groups",
            "#table-groups",
            "#chart-position",
            "#chart-differences",
            "#table-increases")) {
      browser.assertSized(part);
    }
    for (String mark :
        List.of(
            "#chart-groups circle.group",
            "#chart-groups line.interval",
            "#chart-groups line.zero",
            "#chart-position path.curve-a",
            "#chart-position path.curve-b",
            "#chart-position path.band-a",
            "#chart-position path.band-b",
            "#chart-differences rect.count",
            "#chart-differences line.zero")) {
      browser.assertDrawn(mark);
    }
    int facts = browser.assertFactsEqual(r);
    assertTrue(facts >= 25, facts + " facts");
    for (String key :
        List.of(
            "delta",
            "confidence_interval",
            "p_value",
            "bootstrap",
            "candidate_better_share",
            "paired_sequences",
            "baseline_only",
            "baseline",
            "candidate",
            "loss_function",
            "baseline_reduction")) {
      assertFalse(browser.findAll("[data-key='" + key + "']").isEmpty(), key + " is on the page");
    }

    // the histogram's bars are comparison.json's bins
    assertEquals(
        r.get("delta_histogram").get("bins").size(),
        browser.findAll("#chart-differences rect.count").size());

    // every group of per_group_delta/, in key order, with its delta bit for bit
    Map<String, Double> groupDelta = new HashMap<>();
    for (Group g : ReportRuns.rows(out.resolve("per_group_delta"))) {
      groupDelta.put(g.getString("domain", 0), g.getDouble("delta", 0));
    }
    assertEquals(5, r.get("groups").asLong());
    List<WebElement> groupRows = browser.findAll("#table-groups tbody tr");
    assertEquals(5, groupRows.size());
    assertEquals(5, browser.findAll("#chart-groups circle.group").size());
    List<String> names = new ArrayList<>(groupDelta.keySet());
    names.sort(Comparator.naturalOrder());
    for (int i = 0; i < 5; i++) {
      List<WebElement> cells = groupRows.get(i).findElements(By.tagName("td"));
      assertEquals(
          JSON.createObjectNode().put("domain", names.get(i)),
          JSON.readTree(cells.get(0).getAttribute("data-value")),
          "group " + i);
      assertEquals(
          (double) groupDelta.get(names.get(i)),
          Double.parseDouble(cells.get(1).getAttribute("data-value")),
          "delta of " + names.get(i));
    }

    // the largest increases: an independent top-N over both runs' per_sequence/
    List<Object[]> expected = largestIncreases(Path.of(a), Path.of(b), WORST);
    List<WebElement> rows = browser.findAll("#table-increases tbody tr");
    assertEquals(WORST, rows.size());
    for (int i = 0; i < WORST; i++) {
      List<WebElement> cells = rows.get(i).findElements(By.tagName("td"));
      assertEquals(
          JSON.valueToTree(expected.get(i)[0]),
          JSON.readTree(cells.get(1).getAttribute("data-value")),
          "id of row " + (i + 1));
      assertEquals(
          (double) expected.get(i)[1],
          Double.parseDouble(cells.get(2).getAttribute("data-value")),
          "difference of row " + (i + 1) + " bit for bit");
      assertEquals(
          JSON.valueToTree(expected.get(i)[0]), r.get("largest_increases").get(i).get("id"));
    }
    browser.screenshot(SCREENS.resolve("compare-report.png"));
    System.out.printf("compare report: %,d bytes%n", Files.size(out.resolve("report.html")));
  }

  /** {id, L_B − L_A} of the n paired sequences whose loss rose most, equal ones in id order. */
  private static List<Object[]> largestIncreases(Path a, Path b, int n) throws Exception {
    Map<Object, Double> baseline = new HashMap<>();
    for (Group g : ReportRuns.rows(a.resolve("per_sequence"))) {
      baseline.put(ReportRuns.id(g), g.getDouble("loss", 0));
    }
    List<Object[]> all = new ArrayList<>();
    for (Group g : ReportRuns.rows(b.resolve("per_sequence"))) {
      Double la = baseline.get(ReportRuns.id(g));
      double d = la == null ? Double.NaN : g.getDouble("loss", 0) - la;
      if (!Double.isNaN(d)) {
        all.add(new Object[] {ReportRuns.id(g), d});
      }
    }
    @SuppressWarnings({"unchecked", "rawtypes"})
    Comparator<Object[]> byId = (x, y) -> ((Comparable) x[0]).compareTo(y[0]);
    all.sort(Comparator.<Object[]>comparingDouble(x -> -(double) x[1]).thenComparing(byId));
    return all.subList(0, Math.min(n, all.size()));
  }
}
