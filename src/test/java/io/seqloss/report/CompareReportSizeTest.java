package io.seqloss.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqloss.compare.CompareConfig;
import io.seqloss.compare.ComparisonResult;
import io.seqloss.output.RunSummary;
import io.seqloss.stats.LossByPosition.PositionPoint;
import io.seqloss.stats.PositionBins;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A comparison's report.html holds no per-sequence data, so its size is bounded whatever the number
 * of sequences: at every limit at once (both curves with all 2,368 bins that sequences of 2^31
 * steps fill, 40 plotted groups, 60 histogram bars, the most largest increases --report-worst
 * allows, long string ids) it stays under 2 MB.
 */
class CompareReportSizeTest {
  private static final int BINS = 2368;

  private static List<PositionPoint> curve(double offset) {
    List<PositionPoint> points = new ArrayList<>();
    for (int b = 0; b < BINS; b++) {
      double loss = 2 + offset + Math.sin(b / 50.0) * 0.3;
      points.add(
          new PositionPoint(
              PositionBins.firstStep(b),
              PositionBins.lastStep(b),
              loss,
              loss - 0.011,
              loss + 0.011,
              1e6 - b,
              1_000_000L - b));
    }
    return points;
  }

  @Test
  void aPageAtEveryLimitStaysUnderTwoMegabytes() {
    List<ComparisonResult.Bin> bins = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      bins.add(new ComparisonResult.Bin(-0.5 + i / 64.0, -0.5 + (i + 1) / 64.0, 1000L + i));
    }
    List<ComparisonResult.Increase> increases = new ArrayList<>();
    for (int i = 0; i < CompareConfig.MAX_WORST; i++) {
      increases.add(
          new ComparisonResult.Increase(
              "gs://bucket/corpus/shard-00042.parquet#" + (1_000_000_000L + i),
              0.9876543210123 - i * 1e-4,
              2.123456789012345,
              3.02111111111111,
              123456.0));
    }
    List<ComparisonCharts.GroupDelta> groups = new ArrayList<>();
    for (int g = 0; g < 40; g++) {
      groups.add(
          new ComparisonCharts.GroupDelta(
              Map.of("domain", "domain-" + g),
              25_000,
              -0.01 * g,
              -0.01 * g - 0.003,
              -0.01 * g + 0.003,
              1e-5));
    }
    RunSummary.ReductionFlags flags = new RunSummary.ReductionFlags(true, true, false, false);
    ComparisonResult r =
        new ComparisonResult(
            "succeeded",
            -0.0123,
            2.5,
            2.4877,
            0.0004,
            0.95,
            List.of(-0.0131, -0.0115),
            1e-9,
            "two-sided",
            new ComparisonResult.Bootstrap(1000, 7, List.of(-0.0132, -0.0114), 0.0004, 0),
            0.61,
            610_000,
            10,
            389_990,
            1_000_000,
            12,
            3,
            "weight_sum",
            2.5e7,
            6.25e7,
            6.21e7,
            "sparse_softmax_cross_entropy",
            flags,
            flags,
            List.of("domain"),
            100_000L,
            new ComparisonResult.DeltaHistogram(1 / 64.0, bins, 120, 130, 4, 999_996),
            increases,
            "gs://bucket/runs/a",
            "gs://bucket/runs/b",
            "gs://bucket/runs/a-vs-b",
            Map.of("comparison", "comparison.json", "report", "report.html"),
            61.2,
            "0.1.0",
            "3.5.9");
    String html = CompareReportPage.render(r, new ComparisonCharts(curve(0), curve(-0.05), groups));
    int bytes = html.getBytes(StandardCharsets.UTF_8).length;
    System.out.printf("comparison report at every limit: %,d bytes%n", bytes);
    assertTrue(bytes < 2_000_000, bytes + " bytes");
    // everything is there: both curves with their bands, every bar, group and increase
    assertEquals(1, count(html, "class=\"curve-a\""));
    assertEquals(1, count(html, "class=\"curve-b\""));
    assertEquals(60, count(html, "class=\"count\""));
    assertEquals(40, count(html, "class=\"group\""));
    assertEquals(
        CompareConfig.MAX_WORST, count(html, "gs://bucket/corpus/shard-00042.parquet#") / 2);
  }

  private static int count(String html, String what) {
    Matcher m = Pattern.compile(Pattern.quote(what)).matcher(html);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}
