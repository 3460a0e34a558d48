package io.seqloss.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqloss.config.ColumnNames;
import io.seqloss.config.InvalidRowPolicy;
import io.seqloss.config.Reduction;
import io.seqloss.input.Corpus;
import io.seqloss.input.CorpusReader;
import io.seqloss.input.InvalidInputException;
import io.seqloss.output.RunSummary;
import io.seqloss.testing.Corpora;
import io.seqloss.testing.CorpusRow;
import io.seqloss.testing.SparkTestBase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every row is accounted for exactly once, in every mode: rows read = valid + invalid, tokens
 * counted = the tokens of the valid rows, on a corpus with a known number of each kind of bad row
 * spread over several files.
 */
class RowAccountingTest extends SparkTestBase {
  private static final int V = 3;
  private static final int VALID = 12;

  /** The bad rows by the column they are blamed on. */
  private static final Map<String, Long> INVALID_BY_COLUMN =
      Map.of("logits", 5L, "targets", 4L, "weights", 2L);

  private static final int INVALID = 11;

  private final List<CorpusRow> rows = new ArrayList<>();
  private long validTokens;
  private double validWeightSum;
  private Path corpus;

  @BeforeEach
  void writeCorpus() {
    for (int i = 0; i < VALID; i++) {
      int length = i % 5 + 1;
      float[][] logits = new float[length][];
      int[] targets = new int[length];
      float[] weights = new float[length];
      for (int t = 0; t < length; t++) {
        logits[t] = new float[] {i, t, 1};
        targets[t] = (i + t) % V;
        weights[t] = (i + t) % 3;
        validWeightSum += weights[t];
      }
      validTokens += length;
      rows.add(CorpusRow.of("valid-" + i, logits, targets, weights));
    }
    float[][] two = {{1, 2, 3}, {4, 5, 6}};
    rows.add(CorpusRow.of("null-logits-1", null, new int[] {0}, new float[] {1}));
    rows.add(CorpusRow.of("null-logits-2", null, new int[] {0, 1}, new float[] {1, 1}));
    rows.add(
        CorpusRow.of(
            "nan-logit-1", new float[][] {{1, Float.NaN, 3}}, new int[] {0}, new float[] {1}));
    rows.add(
        CorpusRow.of(
            "nan-logit-2",
            new float[][] {{1, 2, 3}, {Float.NaN, 0, 0}},
            new int[] {0, 1},
            new float[] {1, 1}));
    rows.add(CorpusRow.of("wrong-v", new float[][] {{1, 2}}, new int[] {0}, new float[] {1}));
    rows.add(CorpusRow.of("short-targets-1", two, new int[] {0}, new float[] {1, 1}));
    rows.add(CorpusRow.of("short-targets-2", two, new int[] {}, new float[] {1, 1}));
    rows.add(CorpusRow.of("long-targets", two, new int[] {0, 1, 2}, new float[] {1, 1}));
    rows.add(CorpusRow.of("target-out-of-range", two, new int[] {0, V}, new float[] {1, 1}));
    rows.add(CorpusRow.of("null-weights", two, new int[] {0, 1}, null));
    rows.add(
        CorpusRow.of(
            "infinite-weight", two, new int[] {0, 1}, new float[] {1, Float.POSITIVE_INFINITY}));
    Collections.shuffle(rows, new Random(5)); // bad rows in every file, at varied positions
    corpus = Corpora.write(session(), tmp, rows, 3);
  }

  private JobConfig.Builder config(InvalidRowPolicy policy, Reduction reduction, String out) {
    return JobConfig.builder()
        .inputPaths(List.of(corpus.toString()))
        .outputDir(tmp.resolve(out).toString())
        .numClasses(V)
        .invalidRowPolicy(policy)
        .reduction(reduction);
  }

  @Test
  void everyRowIsValidOrInvalidOnceInEveryReduction() {
    assertEquals(VALID + INVALID, rows.size());
    List<Reduction> reductions =
        List.of(
            Reduction.of(true, true, false, false),
            Reduction.of(true, false, false, false),
            Reduction.of(false, true, false, false),
            Reduction.of(false, false, false, false));
    for (Reduction reduction : reductions) {
      String out = "out-" + reduction.shape();
      RunSummary s =
          new SequenceLossJob(session()).run(config(InvalidRowPolicy.SKIP, reduction, out).build());
      String shape = reduction.shape().toString();
      assertEquals(VALID + INVALID, s.totals().inputRows(), shape + ": rows read");
      assertEquals(VALID, s.totals().sequences(), shape + ": valid rows");
      assertEquals(INVALID, s.totals().invalidRows(), shape + ": invalid rows");
      assertEquals(
          s.totals().inputRows(), s.totals().sequences() + s.totals().invalidRows(), shape);
      assertEquals(validTokens, s.totals().tokens(), shape + ": tokens of the valid rows only");
      assertEquals(
          validWeightSum, s.totals().weightSum(), 0.0, shape + ": weights of the valid rows only");
      assertTrue(s.input().allInputRowsCounted());

      Map<String, Long> invalidByColumn =
          read(out, "invalid").stream()
              .collect(
                  Collectors.groupingBy(
                      r -> r.getString(r.fieldIndex("column")), Collectors.counting()));
      assertEquals(
          INVALID_BY_COLUMN, invalidByColumn, shape + ": invalid/ lists each bad row once");
    }
    assertEquals(VALID, read("out-PER_SEQUENCE", "per_sequence").size());
    List<Row> perToken = read("out-PER_TOKEN", "per_token");
    assertEquals(VALID, perToken.size());
    assertEquals(validTokens, perToken.stream().mapToLong(r -> r.getList(1).size()).sum());
    assertEquals(
        VALID,
        read("out-PER_TIMESTEP", "per_timestep").stream()
            .filter(r -> r.getInt(0) == 0)
            .findFirst()
            .orElseThrow()
            .getLong(4),
        "sequences reaching step 0");
  }

  @Test
  void failModeStopsAtABadRowAndWritesNothing() {
    JobConfig config = config(InvalidRowPolicy.FAIL, Reduction.tensorflowDefault(), "out").build();
    // Raised in a task, it reaches the driver wrapped by Spark; the CLI maps it to exit code 3.
    Exception e = assertThrows(Exception.class, () -> new SequenceLossJob(session()).run(config));
    assertTrue(e.getMessage().contains(InvalidInputException.MARKER), e.getMessage());
    assertFalse(tmp.resolve("out").toFile().exists());
  }

  @Test
  void aRowCountThatDisagreesWithTheFootersFailsTheRun() {
    Corpus read =
        new CorpusReader(session())
            .read(List.of(corpus.toString()), null, ColumnNames.DEFAULT, InvalidRowPolicy.SKIP);
    assertEquals(OptionalLong.of(VALID + INVALID), read.footerRows());
    // As if a row had been dropped on the way (a file that changed during the run, a reader
    // skipping data).
    Corpus oneRowLost =
        new Corpus(
            read.rows().limit(VALID + INVALID - 1),
            read.layout(),
            read.files(),
            read.format(),
            read.skipped(),
            read.footerRows());
    JobConfig config = config(InvalidRowPolicy.SKIP, Reduction.tensorflowDefault(), "out").build();
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> new SequenceLossJob(session()).run(config, oneRowLost));
    assertTrue(e.getMessage().contains("declare " + (VALID + INVALID) + " rows"), e.getMessage());
    assertFalse(
        tmp.resolve("out").toFile().exists(), "no output from a run whose rows do not add up");
  }

  @Test
  void anArrowCorpusIsAccountedAgainstItsRecordBatchHeaders() {
    Path arrow =
        Corpora.writeArrow(
            tmp.resolve("arrow"), rows, 3, io.seqloss.input.arrow.ArrowIpcFormat.STREAM, 4);
    Corpus read =
        new CorpusReader(session())
            .read(List.of(arrow.toString()), null, ColumnNames.DEFAULT, InvalidRowPolicy.SKIP);
    assertEquals(OptionalLong.empty(), read.footerRows(), "Arrow files have no footers to count");
    io.seqloss.eval.CorpusEvaluation evaluation = io.seqloss.eval.CorpusEvaluation.plan(read);
    assertTrue(evaluation.isColumnar(), evaluation.reason());
    JobConfig config =
        JobConfig.builder()
            .inputPaths(List.of(arrow.toString()))
            .outputDir(tmp.resolve("arrow-out").toString())
            .numClasses(V)
            .invalidRowPolicy(InvalidRowPolicy.SKIP)
            .reduction(Reduction.tensorflowDefault())
            .build();
    RunSummary summary = new SequenceLossJob(session()).run(config);
    assertEquals(VALID, summary.totals().sequences());

    evaluation
        .evaluate(
            new io.seqloss.eval.PartitionEvaluator(
                specOf(read), io.seqloss.eval.PartitionEvaluator.Emit.RESULTS, null))
        .count();
    assertEquals(OptionalLong.of(VALID + INVALID), evaluation.declaredRows());
    io.seqloss.reduce.CorpusTotals oneShort = new io.seqloss.reduce.CorpusTotals();
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> RowAccounting.check(read, evaluation.declaredRows(), oneShort));
    assertTrue(
        e.getMessage().contains("declare " + (VALID + INVALID) + " rows (record batch headers)"),
        e.getMessage());
  }

  private static io.seqloss.eval.EvaluationSpec specOf(Corpus corpus) {
    return new io.seqloss.eval.EvaluationSpec(
        corpus.layout(),
        ColumnNames.DEFAULT,
        V,
        "the test",
        new io.seqloss.eval.ScoringSpec(io.seqloss.loss.LossSettings.crossEntropy(), null, null, 5),
        Reduction.tensorflowDefault(),
        InvalidRowPolicy.SKIP);
  }

  private List<Row> read(String out, String kind) {
    return session().read().parquet(tmp.resolve(out).resolve(kind).toString()).collectAsList();
  }
}
