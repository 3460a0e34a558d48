package io.seqloss.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqloss.output.RunSummary;
import io.seqloss.testing.ByHand;
import io.seqloss.testing.Corpora;
import io.seqloss.testing.CorpusRow;
import io.seqloss.testing.SparkTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * loss_by_position/, the curve a run saves for compare and pandas, against sums by hand: one row
 * per step below 1,024, then bins of 16 steps (64 per doubling from 1,024), each with Σ w·loss / Σ
 * w over the tokens there, Σ w and the token count. A run with --no-report has none.
 */
class LossByPositionOutputTest extends SparkTestBase {
  private static final int V = 4;
  private static final int[] LENGTHS = {3, 1100, 7, 1, 1050, 12};

  private List<CorpusRow> corpus() {
    Random random = new Random(5);
    List<CorpusRow> rows = new ArrayList<>();
    for (int s = 0; s < LENGTHS.length; s++) {
      int length = LENGTHS[s];
      float[][] logits = new float[length][V];
      int[] targets = new int[length];
      float[] weights = new float[length];
      for (int t = 0; t < length; t++) {
        for (int v = 0; v < V; v++) {
          logits[t][v] = (float) random.nextGaussian();
        }
        targets[t] = random.nextInt(V);
        weights[t] = new float[] {0f, 1f, 0.5f, 2f}[random.nextInt(4)];
      }
      rows.add(CorpusRow.of("s" + s, logits, targets, weights));
    }
    return rows;
  }

  private RunSummary run(Path corpus, String out, boolean report) {
    return new SequenceLossJob(session())
        .run(
            JobConfig.builder()
                .inputPaths(List.of(corpus.toString()))
                .outputDir(tmp.resolve(out).toString())
                .report(report)
                .build());
  }

  @Test
  void curveRowsAreTheSumsByHand() {
    List<CorpusRow> rows = corpus();
    Path corpus = Corpora.write(session(), tmp, rows, 3);
    RunSummary summary = run(corpus, "with", true);
    assertEquals("loss_by_position/", summary.output().outputs().get("loss_by_position"));
    List<Row> curve =
        session()
            .read()
            .parquet(tmp.resolve("with/loss_by_position").toString())
            .orderBy("first_step")
            .collectAsList();
    // steps 0..1023 one by one, then 1024..1039, ..., up to the bin of step 1099 (1088..1103)
    assertEquals(1024 + 5, curve.size());
    for (Row r : curve) {
      long first = r.getLong(r.fieldIndex("first_step"));
      long last = r.getLong(r.fieldIndex("last_step"));
      assertEquals(first < 1024 ? first : first + 15, last, "bin " + first);
      double x = 0;
      double w = 0;
      long tokens = 0;
      for (CorpusRow row : rows) {
        for (int t = (int) first; t <= last && t < row.targets().length; t++) {
          double[] z = new double[V];
          for (int v = 0; v < V; v++) {
            z[v] = row.logits()[t][v];
          }
          double loss = ByHand.logSumExp(z) - z[row.targets()[t]];
          x += row.weights()[t] * loss;
          w += row.weights()[t];
          tokens++;
        }
      }
      assertEquals(tokens, r.getLong(r.fieldIndex("tokens")), "tokens of bin " + first);
      assertEquals(w, r.getDouble(r.fieldIndex("denominator_sum")), "weight of bin " + first);
      if (w == 0) {
        assertTrue(r.isNullAt(r.fieldIndex("loss")), "no loss without weight, bin " + first);
      } else {
        double loss = r.getDouble(r.fieldIndex("loss"));
        assertEquals(x / w, loss, 1e-6 * Math.abs(x / w), "loss of bin " + first);
        if (tokens < 2) {
          assertNull(r.get(r.fieldIndex("ci_low")), "a single token has no band, bin " + first);
        } else {
          assertTrue(
              r.getDouble(r.fieldIndex("ci_low")) <= loss
                  && loss <= r.getDouble(r.fieldIndex("ci_high")),
              "band around bin " + first);
        }
      }
    }
  }

  @Test
  void noReportWritesNoCurve() {
    Path corpus = Corpora.write(session(), tmp, corpus(), 2);
    RunSummary summary = run(corpus, "plain", false);
    assertFalse(Files.exists(tmp.resolve("plain/loss_by_position")));
    assertFalse(summary.output().outputs().containsKey("loss_by_position"));
  }
}
