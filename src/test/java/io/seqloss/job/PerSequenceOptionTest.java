package io.seqloss.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqloss.config.Reduction;
import io.seqloss.output.RunSummary;
import io.seqloss.testing.Corpora;
import io.seqloss.testing.SparkTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * {@code --per-sequence} beside every reduction, and per_sequence/'s exact columns, on the worked
 * example of docs/semantics.md. By hand: row 0 has weights [1, 1, 0] and cross-entropies
 * [0.4076059644, 1.0986122887, ...], so loss_sum = 1.5062182531 and 2 non-zero weights; row 1 has
 * weights [1, 2] and [0.4076059644, 0.0133859017], so loss_sum = 0.4343777678, weight_sum 3, 2
 * non-zero weights.
 */
class PerSequenceOptionTest extends SparkTestBase {
  private static final double EPS = 1e-9;

  private RunSummary run(Reduction reduction, boolean perSequence, String out) {
    Path corpus = Corpora.write(session(), tmp.resolve("in"), Corpora.workedExample(), 1);
    JobConfig config =
        JobConfig.builder()
            .inputPaths(List.of(corpus.toString()))
            .outputDir(tmp.resolve(out).toString())
            .reduction(reduction)
            .perSequence(perSequence)
            .build();
    return new SequenceLossJob(session()).run(config);
  }

  private List<Row> read(String out, String kind) {
    return session()
        .read()
        .parquet(tmp.resolve(out).resolve(kind).toString())
        .orderBy("id")
        .collectAsList();
  }

  private static void assertWorkedExampleRows(List<Row> rows, double loss0, double loss1) {
    assertEquals(2, rows.size());
    Row r0 = rows.get(0);
    Row r1 = rows.get(1);
    assertEquals("row0", r0.getString(0));
    assertEquals(loss0, r0.getDouble(1), EPS);
    assertEquals(loss1, r1.getDouble(1), EPS);
    assertEquals(2.0, r0.getDouble(2), 0.0);
    assertEquals(3.0, r1.getDouble(2), 0.0);
    assertEquals(1.5062182531, r0.getDouble(r0.fieldIndex("loss_sum")), EPS);
    assertEquals(0.4343777678, r1.getDouble(r1.fieldIndex("loss_sum")), EPS);
    assertEquals(2L, r0.getLong(r0.fieldIndex("nonzero_weights")));
    assertEquals(2L, r1.getLong(r1.fieldIndex("nonzero_weights")));
  }

  @Test
  void aScalarRunWritesPerSequenceBesideItsLossAndTheSumsAddUpToTheSummary() {
    RunSummary s = run(Reduction.tensorflowDefault(), true, "scalar");
    // the per-sequence loss divides by the run's denominator: the weight sum under the average
    // flags
    assertWorkedExampleRows(read("scalar", "per_sequence"), 1.5062182531 / 2, 0.4343777678 / 3);
    assertEquals(0.3881192042, s.result().loss(), EPS);
    assertEquals("per_sequence/", s.output().outputs().get("per_sequence"));
    // the summary's loss_sum is the exact sum of the column, rounded once: here two doubles
    List<Row> rows = read("scalar", "per_sequence");
    assertEquals(rows.get(0).getDouble(6) + rows.get(1).getDouble(6), s.totals().lossSum(), 0.0);
  }

  @Test
  void sumOverFlagsDivideByTheNonZeroCount() {
    run(Reduction.of(false, false, true, true), true, "count");
    assertWorkedExampleRows(read("count", "per_sequence"), 1.5062182531 / 2, 0.4343777678 / 2);
  }

  @Test
  void perTimestepAndPerTokenRunsWriteBothTables() {
    run(Reduction.of(false, true, false, false), true, "steps");
    assertTrue(Files.isDirectory(tmp.resolve("steps").resolve("per_timestep")));
    assertWorkedExampleRows(read("steps", "per_sequence"), 1.5062182531 / 2, 0.4343777678 / 3);
    RunSummary tokens = run(Reduction.of(false, false, false, false), true, "tokens");
    assertEquals(2, read("tokens", "per_token").size());
    assertWorkedExampleRows(read("tokens", "per_sequence"), 1.5062182531 / 2, 0.4343777678 / 3);
    assertEquals(
        List.of("per_token", "per_sequence"),
        tokens.output().outputs().keySet().stream().filter(k -> k.startsWith("per_")).toList());
  }

  @Test
  void thePerSequenceReductionIsUnchangedByTheOption() {
    run(Reduction.of(true, false, false, false), false, "plain");
    run(Reduction.of(true, false, false, false), true, "flagged");
    assertEquals(read("plain", "per_sequence"), read("flagged", "per_sequence"));
    assertWorkedExampleRows(read("plain", "per_sequence"), 0.7531091266, 0.1447925893);
  }

  @Test
  void withoutTheOptionAScalarRunWritesNoPerSequenceTable() {
    run(Reduction.tensorflowDefault(), false, "scalar");
    assertFalse(Files.exists(tmp.resolve("scalar").resolve("per_sequence")));
  }
}
