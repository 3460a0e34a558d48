package io.seqloss.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqloss.config.ConfigException;
import io.seqloss.config.Reduction;
import io.seqloss.input.InvalidInputException;
import io.seqloss.loss.LossSettings;
import io.seqloss.output.RunSummary;
import io.seqloss.testing.Corpora;
import io.seqloss.testing.CorpusRow;
import io.seqloss.testing.SparkTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * --ignore-index, --class-weights, label smoothing, brier and the accuracy metrics on the worked
 * example of docs/semantics.md, every number by hand. Per-token cross-entropy there: row 0
 * [0.4076059644, 1.0986122887, 0.1698460196], row 1 [0.4076059644, 0.0133859017].
 */
class TokenWeightsAndMetricsJobTest extends SparkTestBase {
  private static final double EPS = 1e-9;
  private static final double CE00 = 0.4076059644;
  private static final double CE01 = 1.0986122887;
  private static final double CE10 = 0.4076059644;
  private static final double CE11 = 0.0133859017;

  private RunSummary run(
      List<CorpusRow> rows, String out, UnaryOperator<JobConfig.Builder> options) {
    Path corpus = Corpora.write(session(), tmp.resolve("in-" + out), rows, 1);
    JobConfig config =
        options
            .apply(
                JobConfig.builder()
                    .inputPaths(List.of(corpus.toString()))
                    .outputDir(tmp.resolve(out).toString()))
            .build();
    return new SequenceLossJob(session()).run(config);
  }

  private List<Row> read(String out, String kind, String orderBy) {
    return session()
        .read()
        .parquet(tmp.resolve(out).resolve(kind).toString())
        .orderBy(orderBy)
        .collectAsList();
  }

  /** The worked example with row 0's second target replaced. */
  private static List<CorpusRow> withTarget01(int target) {
    return List.of(
        CorpusRow.of(
            "row0",
            new float[][] {{2, 1, 0}, {0, 0, 0}, {1, 3, 0}},
            new int[] {0, target, 1},
            new float[] {1, 1, 0}),
        Corpora.workedExample().get(1));
  }

  private Path classWeights(String text) throws Exception {
    Path file = tmp.resolve("class-weights.txt");
    Files.writeString(file, text);
    return file;
  }

  @Test
  void ignoreIndexCountsAsWeightZeroEvenOutsideTheClasses() {
    RunSummary s = run(withTarget01(-100), "out", b -> b.ignoreIndex(-100L));
    // x = [CE00, 0, 0] + [CE10, 2 CE11]; w = [1, 0, 0] + [1, 2]
    assertEquals((CE00 + CE10 + 2 * CE11) / 4, s.result().loss(), EPS);
    assertEquals(4.0, s.totals().weightSum(), 0.0);
    assertEquals(3, s.totals().nonzeroWeights());
    assertEquals(-100L, s.lossSpec().ignoreIndex());
    // without the option, -100 is an invalid target (raised in a task, so it reaches us wrapped by
    // Spark)
    Exception e = assertThrows(Exception.class, () -> run(withTarget01(-100), "bad", b -> b));
    assertTrue(e.getMessage().contains(InvalidInputException.MARKER), e.getMessage());
    assertTrue(
        e.getMessage().contains("has target -100; expected a class id in [0, 3)"), e.getMessage());
  }

  @Test
  void ignoreIndexInsideTheClasses() {
    // ignoring class 0 drops row 0 step 0 and row 1 step 1: x = [0, CE01, 0] + [CE10, 0]
    RunSummary s = run(Corpora.workedExample(), "out", b -> b.ignoreIndex(0L));
    assertEquals((CE01 + CE10) / 2, s.result().loss(), EPS);
  }

  @Test
  void classWeightsMultiplyEachTokensWeight() throws Exception {
    Path file = classWeights("# weight of class 0, 1, 2\n1\n2, 0.5\n");
    RunSummary s = run(Corpora.workedExample(), "out", b -> b.classWeightsFile(file.toString()));
    // w = [1·1, 1·2, 0·2] + [1·0.5, 2·1]; PyTorch's weighted mean Σ w_y ce / Σ w_y with these
    // weights
    double x = CE00 + 2 * CE01 + 0.5 * CE10 + 2 * CE11;
    assertEquals(x / 5.5, s.result().loss(), EPS);
    assertEquals(5.5, s.totals().weightSum(), 0.0);
    assertEquals(file.toString(), s.lossSpec().classWeights());
  }

  @Test
  void classWeightFileProblemsAreUsageErrors() throws Exception {
    Path shortFile = classWeights("1 2\n");
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> run(Corpora.workedExample(), "a", b -> b.classWeightsFile(shortFile.toString())));
    assertTrue(
        e.getMessage().contains("has 2 weights; expected one per class, V=3"), e.getMessage());
    Path negative = classWeights("1\n-2\n1\n");
    e =
        assertThrows(
            ConfigException.class,
            () -> run(Corpora.workedExample(), "b", b -> b.classWeightsFile(negative.toString())));
    assertTrue(
        e.getMessage().contains("line 2: class 1 has weight -2; expected a finite number >= 0"),
        e.getMessage());
    e =
        assertThrows(
            ConfigException.class,
            () ->
                run(
                    Corpora.workedExample(),
                    "c",
                    b -> b.classWeightsFile(tmp.resolve("missing").toString())));
    assertTrue(e.getMessage().contains("cannot read it"), e.getMessage());
  }

  @Test
  void labelSmoothingWithClassWeightsPerTokenIsPyTorchsNoneReduction() throws Exception {
    Path file = classWeights("1 2 0.5");
    double[] w = {1, 2, 0.5};
    run(
        Corpora.workedExample(),
        "out",
        b ->
            b.loss(LossSettings.labelSmoothed(0.1))
                .classWeightsFile(file.toString())
                .reduction(Reduction.of(false, false, false, false)));
    List<Row> rows = read("out", "per_token", "id");
    // PyTorch, reduction='none': (1-ε) w_y (lse - l_y) + ε/V Σ_c w_c (lse - l_c), times the token
    // weight
    double[][][] logits = {{{2, 1, 0}, {0, 0, 0}, {1, 3, 0}}, {{0, 1, 2}, {5, 0, 0}}};
    int[][] targets = {{0, 1, 1}, {2, 0}};
    double[][] weights = {{1, 1, 0}, {1, 2}};
    for (int b = 0; b < 2; b++) {
      double[] expected = new double[targets[b].length];
      for (int t = 0; t < expected.length; t++) {
        double[] l = logits[b][t];
        double lse = Math.log(Math.exp(l[0]) + Math.exp(l[1]) + Math.exp(l[2]));
        int y = targets[b][t];
        double smooth = 0;
        for (int c = 0; c < 3; c++) {
          smooth += w[c] * (lse - l[c]);
        }
        expected[t] = weights[b][t] * (0.9 * w[y] * (lse - l[y]) + 0.1 / 3 * smooth);
      }
      assertArrayEquals(
          expected, rows.get(b).getList(1).stream().mapToDouble(d -> (Double) d).toArray(), 1e-12);
    }
  }

  @Test
  void brierScalar() {
    RunSummary s = run(Corpora.workedExample(), "out", b -> b.lossName("brier"));
    double[][] tokens = {{2, 1, 0}, {0, 0, 0}, {0, 1, 2}, {5, 0, 0}};
    int[] targets = {0, 1, 2, 0};
    double[] weights = {1, 1, 1, 2};
    double x = 0;
    for (int i = 0; i < 4; i++) {
      double[] l = tokens[i];
      double z = Math.exp(l[0]) + Math.exp(l[1]) + Math.exp(l[2]);
      double sq = 0;
      for (int c = 0; c < 3; c++) {
        double d = Math.exp(l[c]) / z - (c == targets[i] ? 1 : 0);
        sq += d * d;
      }
      x += weights[i] * sq;
    }
    assertEquals(x / 5, s.result().loss(), 1e-12);
    assertNull(s.result().perplexity());
    assertNull(s.result().bitsPerToken());
    assertEquals("brier", s.lossSpec().lossFunction());
  }

  /*
   * Accuracy on the worked example: row 0 step 0 [2,1,0]→0 right; step 1 [0,0,0]→1 a three-way tie:
   * credit 1/3 for the top class, 2/3 for the top 2; step 2 weight 0; row 1 both steps right.
   */
  @Test
  void accuracyAndTopKScalar() {
    RunSummary s = run(Corpora.workedExample(), "out", b -> b.topK(2));
    assertEquals((1 + 1.0 / 3 + 1 + 2) / 5, s.result().accuracy(), EPS);
    assertEquals((1 + 2.0 / 3 + 1 + 2) / 5, s.result().topKAccuracy(), EPS);
    assertEquals(2, s.result().topK());
    assertEquals(1 + 1.0 / 3 + 1 + 2, s.totals().correctSum(), EPS);
    assertEquals(Math.exp(0.3881192042), s.result().perplexity(), EPS);
    assertEquals(0.3881192042 / Math.log(2), s.result().bitsPerToken(), EPS);
    // default k = 5 > V: every weighted token is in the top k
    RunSummary defaults = run(Corpora.workedExample(), "default", b -> b);
    assertEquals(5, defaults.result().topK());
    assertEquals(1.0, defaults.result().topKAccuracy(), 0.0);
  }

  @Test
  void accuracyColumnsPerSequence() {
    run(
        Corpora.workedExample(),
        "out",
        b -> b.topK(2).reduction(Reduction.of(true, false, false, false)));
    List<Row> rows = read("out", "per_sequence", "id");
    assertEquals(
        List.of(
            "id",
            "loss",
            "weight_sum",
            "tokens",
            "accuracy",
            "top_k_accuracy",
            "loss_sum",
            "nonzero_weights"),
        List.of(rows.get(0).schema().fieldNames()));
    assertEquals((1 + 1.0 / 3) / 2, rows.get(0).getDouble(4), EPS);
    assertEquals((1 + 2.0 / 3) / 2, rows.get(0).getDouble(5), EPS);
    assertEquals(1.0, rows.get(1).getDouble(4), EPS);
    // sum_over_timesteps divides by the count of non-zero weights, as for the loss
    run(
        Corpora.workedExample(),
        "count",
        b -> b.topK(2).reduction(Reduction.of(false, false, true, false)));
    assertEquals(3.0 / 2, read("count", "per_sequence", "id").get(1).getDouble(4), EPS);
  }

  @Test
  void accuracyColumnsPerTimestep() {
    run(
        Corpora.workedExample(),
        "out",
        b -> b.topK(2).reduction(Reduction.of(false, true, false, false)));
    List<Row> rows = read("out", "per_timestep", "timestep");
    assertEquals(
        List.of(
            "timestep",
            "loss",
            "weight_sum",
            "nonzero_weights",
            "sequences",
            "accuracy",
            "top_k_accuracy"),
        List.of(rows.get(0).schema().fieldNames()));
    assertEquals(1.0, rows.get(0).getDouble(5), EPS);
    assertEquals((1.0 / 3 + 2) / 3, rows.get(1).getDouble(5), EPS);
    assertEquals((2.0 / 3 + 2) / 3, rows.get(1).getDouble(6), EPS);
    assertEquals(0.0, rows.get(2).getDouble(5), 0.0); // weight sum 0
  }
}
