package io.seqloss.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.seqloss.config.Reduction;
import io.seqloss.input.Corpus;
import io.seqloss.input.CorpusReader;
import io.seqloss.output.RunSummary;
import io.seqloss.reduce.TimestepTotals;
import io.seqloss.testing.ByHand;
import io.seqloss.testing.Corpora;
import io.seqloss.testing.CorpusRow;
import io.seqloss.testing.SparkTestBase;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Per-timestep results of sequences longer than the steps a task keeps sums for: their later steps
 * leave the task one token at a time, and are aggregated by timestep with the other shares. Every
 * step must still be its exact sum by hand, in one file in timestep order, with the same bits for
 * any partitioning.
 */
class LongSequencesPerTimestepTest extends SparkTestBase {
  private static final int V = 3;
  private static final int R = TimestepTotals.RESIDENT_STEPS;
  private static final int[] LENGTHS = {R + 900, R, R + 1, 40, R + 2000, 0, R + 3};
  private static final int T = R + 2000;

  private List<CorpusRow> rows;
  private Path corpus;

  @BeforeEach
  void writeCorpus() {
    Random random = new Random(2024);
    rows = new ArrayList<>();
    for (int b = 0; b < LENGTHS.length; b++) {
      int length = LENGTHS[b];
      float[][] logits = new float[length][V];
      int[] targets = new int[length];
      float[] weights = new float[length];
      for (int t = 0; t < length; t++) {
        for (int v = 0; v < V; v++) {
          logits[t][v] = (float) (random.nextGaussian() * 2);
        }
        targets[t] = random.nextInt(V);
        weights[t] = new float[] {0f, 1f, 0.5f, 2.5f}[random.nextInt(4)];
      }
      rows.add(CorpusRow.of("seq-" + b, logits, targets, weights));
    }
    corpus = Corpora.write(session(), tmp, rows, LENGTHS.length);
  }

  private RunSummary run(UnaryOperator<Dataset<Row>> split, String out) {
    JobConfig config =
        JobConfig.builder()
            .inputPaths(List.of(corpus.toString()))
            .outputDir(tmp.resolve(out).toString())
            .reduction(Reduction.of(false, true, false, false))
            .build();
    Corpus read = new CorpusReader(session()).read(config.inputPaths(), config.columns());
    return new SequenceLossJob(session())
        .run(config, new Corpus(split.apply(read.rows()), read.layout(), read.files()));
  }

  /** The rows as written: one file, read in its own order. */
  private List<Row> written(String out) {
    Dataset<Row> result =
        session().read().parquet(tmp.resolve(out).resolve("per_timestep").toString());
    assertEquals(1, result.inputFiles().length);
    return result.collectAsList();
  }

  @Test
  void everyStepIsItsExactSumForAnyPartitioning() {
    RunSummary summary = run(d -> d.coalesce(1), "p1");
    assertEquals(List.of((long) T), summary.result().resultDims());
    List<Row> p1 = written("p1");
    assertEquals(T, p1.size());
    for (int t = 0; t < T; t++) {
      Row row = p1.get(t);
      assertEquals(t, (int) row.getAs("timestep"), "rows in timestep order");
      BigDecimal lossSum = BigDecimal.ZERO;
      BigDecimal weightSum = BigDecimal.ZERO;
      long nonzero = 0;
      long sequences = 0;
      for (CorpusRow r : rows) {
        if (t >= r.targets().length) {
          continue;
        }
        double[] logits = new double[V];
        for (int v = 0; v < V; v++) {
          logits[v] = r.logits()[t][v];
        }
        double ce = ByHand.logSumExp(logits) - logits[r.targets()[t]];
        double w = r.weights()[t];
        lossSum = lossSum.add(new BigDecimal(ce * w));
        weightSum = weightSum.add(new BigDecimal(w));
        nonzero += w != 0 ? 1 : 0;
        sequences++;
      }
      double expectedWeight = weightSum.doubleValue();
      double expectedLoss = expectedWeight == 0 ? 0.0 : lossSum.doubleValue() / expectedWeight;
      assertEquals(
          expectedLoss, (double) row.getAs("loss"), 1e-12 * Math.max(1, expectedLoss), "step " + t);
      assertEquals(expectedWeight, (double) row.getAs("weight_sum"), 0.0, "step " + t);
      assertEquals(nonzero, (long) row.getAs("nonzero_weights"), "step " + t);
      assertEquals(sequences, (long) row.getAs("sequences"), "step " + t);
    }

    run(d -> d.repartition(4), "p4");
    run(d -> d.repartition(LENGTHS.length), "p7");
    // Double.toString tells every two doubles apart: same strings, same bits
    List<String> expected = p1.stream().map(Row::toString).toList();
    assertEquals(expected, written("p4").stream().map(Row::toString).toList());
    assertEquals(expected, written("p7").stream().map(Row::toString).toList());
  }
}
