package io.seqloss.eval;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqloss.config.InvalidRowPolicy;
import io.seqloss.config.Reduction;
import io.seqloss.generate.CorpusGenerator;
import io.seqloss.generate.SyntheticCorpusSpec;
import io.seqloss.input.Corpus;
import io.seqloss.input.CorpusReader;
import io.seqloss.input.InvalidInputException;
import io.seqloss.input.arrow.ArrowIpcFormat;
import io.seqloss.job.JobConfig;
import io.seqloss.job.SequenceLossJob;
import io.seqloss.output.RunSummary;
import io.seqloss.testing.Corpora;
import io.seqloss.testing.SparkTestBase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The columnar fast path against the row path: it is taken when the plan is a plain scan, and it
 * gives the same bits, the same invalid rows and the same error messages, whatever the
 * partitioning.
 */
@Tag("spark-4-line")
class ColumnarPathTest extends SparkTestBase {

  private Corpus open(Path corpus) {
    return new CorpusReader(session())
        .read(List.of(corpus.toString()), io.seqloss.config.ColumnNames.DEFAULT);
  }

  /** The same corpus, read through a shuffle: the plan is no longer a plain scan. */
  private static Corpus repartitioned(Corpus c, int partitions) {
    return new Corpus(
        c.rows().repartition(partitions),
        c.layout(),
        c.files(),
        c.format(),
        c.skipped(),
        c.footerRows());
  }

  private RunSummary run(Corpus corpus, Reduction reduction, String out, InvalidRowPolicy policy) {
    JobConfig config =
        JobConfig.builder()
            .inputPaths(List.of("unused"))
            .outputDir(tmp.resolve(out).toString())
            .reduction(reduction)
            .invalidRowPolicy(policy)
            .numClasses(numClasses)
            .format(corpus.format())
            .build();
    return new SequenceLossJob(session()).run(config, corpus);
  }

  private Integer numClasses;

  private List<Row> read(String out, String kind) {
    Dataset<Row> rows = session().read().parquet(tmp.resolve(out).resolve(kind).toString());
    return rows.orderBy(rows.columns()[0]).collectAsList();
  }

  private Path generate(String name, long rowsPerFile) {
    SyntheticCorpusSpec spec =
        new SyntheticCorpusSpec(
            240,
            1,
            12,
            50,
            0.3,
            11,
            SyntheticCorpusSpec.IdType.STRING,
            rowsPerFile,
            "snappy",
            1024 * 1024,
            1);
    String dir = tmp.resolve(name).toString();
    new CorpusGenerator(session()).generate(spec, dir, false);
    return Path.of(dir);
  }

  @Test
  void aPlainCorpusIsReadAsColumnarBatchesAndAShuffledOneRowByRow() {
    Corpus plain = open(Corpora.write(session(), tmp, Corpora.workedExample(), 1));
    assertTrue(CorpusEvaluation.plan(plain).isColumnar(), CorpusEvaluation.plan(plain).reason());
    CorpusEvaluation shuffled = CorpusEvaluation.plan(repartitioned(plain, 3));
    assertFalse(shuffled.isColumnar());
    assertTrue(
        shuffled.reason().contains("Exchange") || shuffled.reason().contains("AdaptiveSparkPlan"),
        shuffled.reason());
  }

  @Test
  void bothPathsAndAnyPartitioningGiveTheSameBits() {
    Corpus oneFile = open(generate("one", 240));
    Corpus sixFiles = open(generate("six", 40));
    Corpus shuffled = repartitioned(oneFile, 7);
    for (Reduction reduction :
        List.of(
            Reduction.of(true, true, false, false),
            Reduction.of(true, false, false, false),
            Reduction.of(false, true, false, false),
            Reduction.of(false, false, false, false),
            Reduction.of(false, false, true, true))) {
      RunSummary a = run(oneFile, reduction, "a", InvalidRowPolicy.FAIL);
      RunSummary b = run(sixFiles, reduction, "b", InvalidRowPolicy.FAIL);
      RunSummary c = run(shuffled, reduction, "c", InvalidRowPolicy.FAIL);
      for (RunSummary other : List.of(b, c)) {
        assertEquals(a.totals().lossSum(), other.totals().lossSum(), 0.0, reduction.toString());
        assertEquals(a.totals().weightSum(), other.totals().weightSum(), 0.0);
        assertEquals(a.result().loss(), other.result().loss());
        assertEquals(a.totals().tokens(), other.totals().tokens());
        assertEquals(a.totals().sequences(), other.totals().sequences());
      }
      for (String kind : a.output().outputs().keySet()) {
        if (a.output()
            .outputs()
            .get(kind)
            .endsWith("/")) { // the Parquet directories, not summary or report
          assertEquals(read("a", kind), read("b", kind), kind);
          assertEquals(read("a", kind), read("c", kind), kind);
        }
      }
    }
  }

  @Test
  void anArrowCorpusIsReadAsColumnarBatchesToo() {
    Path arrow = Corpora.writeArrow(tmp, Corpora.workedExample(), 2, ArrowIpcFormat.STREAM, 1);
    Corpus corpus = open(arrow);
    CorpusEvaluation plan = CorpusEvaluation.plan(corpus);
    assertTrue(plan.isColumnar(), plan.reason());
    RunSummary columnar =
        run(corpus, Reduction.of(true, false, false, false), "arrow-col", InvalidRowPolicy.FAIL);
    RunSummary rows =
        run(
            repartitioned(corpus, 3),
            Reduction.of(true, false, false, false),
            "arrow-row",
            InvalidRowPolicy.FAIL);
    assertEquals(0.3881192042, columnar.totals().lossSum() / columnar.totals().weightSum(), 1e-9);
    assertEquals(columnar.totals().lossSum(), rows.totals().lossSum(), 0.0);
    assertEquals(read("arrow-col", "per_sequence"), read("arrow-row", "per_sequence"));
  }

  @Test
  void everyAcceptedElementTypeGivesTheWorkedExampleOnBothPaths() {
    Path floats = Corpora.write(session(), tmp, Corpora.workedExample(), 1);
    Dataset<Row> raw = session().read().parquet(floats.toString());
    List<Column[]> variants =
        List.of(
            new Column[] {
              col("id"),
              col("logits").cast("array<array<double>>").as("logits"),
              col("targets").cast("array<bigint>").as("targets"),
              col("weights").cast("array<double>").as("weights")
            },
            new Column[] {
              col("id").substr(4, 1).cast("int").as("id"),
              col("logits"),
              col("targets").cast("array<smallint>").as("targets"),
              col("weights").cast("array<int>").as("weights")
            },
            new Column[] {
              col("id").substr(4, 1).cast("bigint").as("id"),
              col("logits"),
              col("targets").cast("array<tinyint>").as("targets"),
              col("weights").cast("array<bigint>").as("weights")
            },
            new Column[] {col("logits"), col("targets"), col("weights")});
    int n = 0;
    for (Column[] columns : variants) {
      Path dir = tmp.resolve("variant" + n++);
      raw.select(columns).coalesce(1).write().parquet(dir.toString());
      Corpus corpus = open(dir);
      assertTrue(CorpusEvaluation.plan(corpus).isColumnar());
      RunSummary columnar =
          run(corpus, Reduction.of(true, false, false, false), "col" + n, InvalidRowPolicy.FAIL);
      RunSummary rows =
          run(
              repartitioned(corpus, 2),
              Reduction.of(true, false, false, false),
              "row" + n,
              InvalidRowPolicy.FAIL);
      assertEquals(0.3881192042, columnar.totals().lossSum() / columnar.totals().weightSum(), 1e-9);
      assertEquals(columnar.totals().lossSum(), rows.totals().lossSum(), 0.0);
      assertEquals(read("col" + n, "per_sequence"), read("row" + n, "per_sequence"));
    }
  }

  private static List<Float> floats(Float... values) {
    return new ArrayList<>(Arrays.asList(values));
  }

  /** One valid row and one row for each way a row can be invalid; V = 2. */
  private Path invalidCorpus() {
    List<Row> rows = new ArrayList<>();
    List<Integer> two = List.of(0, 1);
    List<Float> ones = floats(1f, 1f);
    rows.add(RowFactory.create("good", List.of(floats(1f, 2f), floats(0f, 3f)), two, ones));
    rows.add(RowFactory.create("null-step", Arrays.asList(floats(1f, 2f), null), two, ones));
    rows.add(RowFactory.create("null-value", List.of(floats(1f, null), floats(0f, 3f)), two, ones));
    rows.add(RowFactory.create("nan", List.of(floats(1f, 2f), floats(Float.NaN, 3f)), two, ones));
    rows.add(
        RowFactory.create(
            "infinite", List.of(floats(Float.POSITIVE_INFINITY, 2f), floats(0f, 3f)), two, ones));
    rows.add(
        RowFactory.create(
            "bad-target", List.of(floats(1f, 2f), floats(0f, 3f)), List.of(0, 2), ones));
    rows.add(
        RowFactory.create(
            "short-targets", List.of(floats(1f, 2f), floats(0f, 3f)), List.of(0), ones));
    rows.add(RowFactory.create("wrong-v", List.of(floats(1f, 2f, 3f), floats(0f, 3f)), two, ones));
    rows.add(RowFactory.create("null-weights", List.of(floats(1f, 2f), floats(0f, 3f)), two, null));
    rows.add(
        RowFactory.create(
            "nan-weight", List.of(floats(1f, 2f), floats(0f, 3f)), two, floats(1f, Float.NaN)));
    rows.add(RowFactory.create(null, List.of(floats(1f, 2f), floats(0f, 3f)), two, ones));
    Path file = tmp.resolve("invalid").resolve("part-000.parquet");
    Corpora.writeOneFile(session(), rows, Corpora.schema(true, DataTypes.StringType, true), file);
    return file.getParent();
  }

  @Test
  void invalidRowsAreTheSameOnBothPaths() {
    numClasses = 2;
    Corpus corpus = open(invalidCorpus());
    assertTrue(CorpusEvaluation.plan(corpus).isColumnar());
    RunSummary columnar =
        run(corpus, Reduction.of(true, true, false, false), "col", InvalidRowPolicy.SKIP);
    RunSummary rows =
        run(
            repartitioned(corpus, 3),
            Reduction.of(true, true, false, false),
            "row",
            InvalidRowPolicy.SKIP);
    assertEquals(10, columnar.totals().invalidRows());
    assertEquals(1, columnar.totals().sequences());
    assertEquals(columnar.totals().lossSum(), rows.totals().lossSum(), 0.0);
    List<Row> listed = read("col", "invalid");
    assertEquals(listed, read("row", "invalid"));
    String reasons = listed.toString();
    for (String expected :
        List.of(
            "step 1 is null",
            "step 0, class 1 is null",
            "step 1, class 0 is NaN",
            "step 0, class 0 is Infinity",
            "has target 2",
            "has length 1 but logits has length 2",
            "has 3 logits",
            "column 'weights': is null",
            "has weight NaN",
            "column 'id': is null")) {
      assertTrue(reasons.contains(expected), expected + " missing from " + reasons);
    }
  }

  @Test
  void theFirstInvalidRowStopsTheColumnarRunWithItsFileRowAndId() {
    numClasses = 2;
    List<Row> rows =
        List.of(
            RowFactory.create("a", List.of(floats(1f, 2f)), List.of(0), floats(1f)),
            RowFactory.create("b", List.of(floats(1f, null)), List.of(0), floats(1f)));
    Path file = tmp.resolve("one-bad").resolve("part-000.parquet");
    Corpora.writeOneFile(session(), rows, Corpora.schema(true, DataTypes.StringType, true), file);
    Corpus corpus = open(file.getParent());
    Executable columnar =
        () -> run(corpus, Reduction.of(true, true, false, false), "x", InvalidRowPolicy.FAIL);
    Executable shuffled =
        () ->
            run(
                repartitioned(corpus, 2),
                Reduction.of(true, true, false, false),
                "y",
                InvalidRowPolicy.FAIL);
    String columnarMessage = message(columnar);
    assertTrue(
        columnarMessage.matches(
            ".*file file:.*part-000\\.parquet, row 1 \\(id b\\), column 'logits': "
                + "step 0, class 1 is null.*"),
        columnarMessage);
    assertEquals(columnarMessage, message(shuffled));
  }

  private static String message(Executable run) {
    try {
      run.execute();
    } catch (Throwable t) {
      for (Throwable c = t; c != null; c = c.getCause()) {
        String m = c.getMessage();
        if (m != null && m.contains(InvalidInputException.MARKER)) {
          String rest =
              m.substring(
                  m.indexOf(InvalidInputException.MARKER) + InvalidInputException.MARKER.length());
          return rest.contains("\n") ? rest.substring(0, rest.indexOf('\n')) : rest;
        }
      }
      throw new AssertionError("no invalid-input error in " + t, t);
    }
    throw new AssertionError("the run did not fail");
  }
}
