package io.seqloss.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqloss.output.RunSummary;
import io.seqloss.stats.CalibrationBins;
import io.seqloss.testing.Corpora;
import io.seqloss.testing.CorpusRow;
import io.seqloss.testing.SparkTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * ECE and the reliability bins of summary.json against an independent computation: the softmax by
 * Math.exp, the top class by a scan, the bin by the probability, per token with its weight.
 */
class CalibrationJobTest extends SparkTestBase {
  private static final int V = 6;

  private List<CorpusRow> corpus() {
    Random random = new Random(21);
    List<CorpusRow> rows = new ArrayList<>();
    for (int s = 0; s < 40; s++) {
      int length = 1 + random.nextInt(9);
      float[][] logits = new float[length][V];
      int[] targets = new int[length];
      float[] weights = new float[length];
      for (int t = 0; t < length; t++) {
        for (int v = 0; v < V; v++) {
          logits[t][v] = (float) (random.nextGaussian() * (1 + s % 4));
        }
        targets[t] = random.nextInt(V);
        weights[t] = random.nextInt(4) * 0.5f; // some tokens without weight
      }
      rows.add(CorpusRow.of("s" + s, logits, targets, weights));
    }
    return rows;
  }

  /** {ECE, then per bin: Σw, Σw·p, Σw·correct} computed token by token from the floats. */
  private static double[][] byHand(List<CorpusRow> rows) {
    double[][] bins = new double[15][3];
    double total = 0;
    for (CorpusRow r : rows) {
      for (int t = 0; t < r.targets().length; t++) {
        double w = r.weights()[t];
        if (w == 0) {
          continue;
        }
        int best = 0;
        double z = 0;
        for (int v = 0; v < V; v++) {
          if (r.logits()[t][v] > r.logits()[t][best]) {
            best = v;
          }
        }
        for (int v = 0; v < V; v++) {
          z += Math.exp((double) r.logits()[t][v] - r.logits()[t][best]);
        }
        double p = 1 / z;
        int bin = Math.min(14, (int) Math.floor(p * 15));
        bins[bin][0] += w;
        bins[bin][1] += w * p;
        bins[bin][2] += best == r.targets()[t] ? w : 0;
        total += w;
      }
    }
    double gaps = 0;
    for (double[] b : bins) {
      gaps += Math.abs(b[2] - b[1]);
    }
    double[][] result = new double[16][];
    result[0] = new double[] {gaps / total};
    System.arraycopy(bins, 0, result, 1, 15);
    return result;
  }

  private RunSummary run(Path corpus, String loss, String out, boolean report) {
    return new SequenceLossJob(session())
        .run(
            JobConfig.builder()
                .inputPaths(List.of(corpus.toString()))
                .outputDir(tmp.resolve(out).toString())
                .lossName(loss)
                .report(report)
                .build());
  }

  @Test
  void eceAndBinsMatchAnIndependentComputation() {
    List<CorpusRow> rows = corpus();
    Path corpus = Corpora.write(session(), tmp, rows, 3);
    double[][] expected = byHand(rows);
    RunSummary summary = run(corpus, "sparse_softmax_cross_entropy", "ce", true);
    assertNotNull(summary.calibration().ece());
    assertEquals(expected[0][0], summary.calibration().ece(), 1e-12);
    assertTrue(
        summary.calibration().ece() > 0.01,
        "a visible miscalibration: " + summary.calibration().ece());
    List<CalibrationBins.Bin> bins = summary.calibration().calibrationBins();
    assertEquals(15, bins.size());
    int used = 0;
    for (int b = 0; b < 15; b++) {
      assertEquals(expected[b + 1][0], bins.get(b).weightSum(), 1e-12, "weight of bin " + b);
      if (expected[b + 1][0] > 0) {
        used++;
        assertEquals(
            expected[b + 1][1] / expected[b + 1][0], bins.get(b).confidence(), 1e-12, "bin " + b);
        assertEquals(
            expected[b + 1][2] / expected[b + 1][0], bins.get(b).accuracy(), 1e-12, "bin " + b);
      }
    }
    assertTrue(used >= 5, used + " bins in use");
    // Brier takes the top probability from its own log-sum-exp pass: the same calibration
    RunSummary brier = run(corpus, "brier", "brier", true);
    assertEquals(expected[0][0], brier.calibration().ece(), 1e-12);
  }

  @Test
  void noReportLeavesTheReportOutButKeepsTheCalibration() throws Exception {
    List<CorpusRow> rows = corpus();
    Path corpus = Corpora.write(session(), tmp, rows, 2);
    RunSummary summary = run(corpus, "sparse_softmax_cross_entropy", "plain", false);
    assertFalse(Files.exists(tmp.resolve("plain/report.html")));
    assertFalse(summary.output().outputs().containsKey("report"));
    assertEquals(byHand(rows)[0][0], summary.calibration().ece(), 1e-12);
    RunSummary withReport = run(corpus, "sparse_softmax_cross_entropy", "with", true);
    assertTrue(Files.size(tmp.resolve("with/report.html")) > 10_000);
    assertEquals("report.html", withReport.output().outputs().get("report"));
  }
}
