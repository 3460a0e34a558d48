package io.seqloss.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqloss.config.Reduction;
import io.seqloss.output.RunSummary;
import io.seqloss.testing.Corpora;
import io.seqloss.testing.SparkTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * The worked example of docs/semantics.md, every reduction, to 1e-9: the numbers asserted here are
 * the ones the page computes by hand, and the page must show each of them.
 */
class WorkedExampleTest extends SparkTestBase {
  private static final double EPS = 1e-9;

  private RunSummary run(Reduction reduction, String out) {
    Path corpus = Corpora.write(session(), tmp, Corpora.workedExample(), 1);
    JobConfig config =
        JobConfig.builder()
            .inputPaths(List.of(corpus.toString()))
            .outputDir(tmp.resolve(out).toString())
            .reduction(reduction)
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

  @Test
  void aCorpusUnderAPathWithSpacesAndPercentSignsIsReadAndProbed() {
    Path corpus =
        Corpora.write(session(), tmp.resolve("eval corpus 100%"), Corpora.workedExample(), 2);
    JobConfig config =
        JobConfig.builder()
            .inputPaths(List.of(corpus.toString()))
            .outputDir(tmp.resolve("out dir").toString())
            .reduction(Reduction.of(true, true, false, false))
            .build();
    RunSummary s = new SequenceLossJob(session()).run(config);
    assertEquals(0.3881192042, s.result().loss(), EPS);
    assertEquals(2, s.input().inputFiles());
  }

  @Test
  void scalarAverage() {
    RunSummary s = run(Reduction.of(true, true, false, false), "out");
    assertEquals(0.3881192042, s.result().loss(), EPS);
    assertEquals(1.9405960210, s.totals().lossSum(), EPS);
    assertEquals(5.0, s.totals().weightSum(), 0.0);
    assertEquals(4, s.totals().nonzeroWeights());
    assertEquals(2, s.totals().sequences());
    assertEquals(5, s.totals().tokens());
    assertEquals(Math.exp(0.3881192042), s.result().perplexity(), 1e-9);
    assertEquals("[]", s.result().resultShape());
  }

  @Test
  void bothSumOver() {
    RunSummary s = run(Reduction.of(false, false, true, true), "out");
    assertEquals(0.4851490052, s.result().loss(), EPS);
  }

  @Test
  void perSequence() {
    RunSummary s = run(Reduction.of(true, false, false, false), "out");
    assertNull(s.result().loss());
    List<Row> rows = read("out", "per_sequence", "id");
    assertEquals(2, rows.size());
    assertEquals("row0", rows.get(0).getString(0));
    assertEquals(0.7531091266, rows.get(0).getDouble(1), EPS);
    assertEquals(0.1447925893, rows.get(1).getDouble(1), EPS);
    assertEquals(2.0, rows.get(0).getDouble(2), 0.0);
    assertEquals(3L, rows.get(0).getLong(3));
    assertEquals(3.0, rows.get(1).getDouble(2), 0.0);
    assertEquals(List.of(2L), s.result().resultDims());
  }

  @Test
  void perSequenceSumOverTimesteps() {
    run(Reduction.of(false, false, true, false), "out");
    List<Row> rows = read("out", "per_sequence", "id");
    assertEquals(0.7531091266, rows.get(0).getDouble(1), EPS);
    assertEquals(0.2171888839, rows.get(1).getDouble(1), EPS);
  }

  @Test
  void perTimestep() {
    RunSummary s = run(Reduction.of(false, true, false, false), "out");
    List<Row> rows = read("out", "per_timestep", "timestep");
    assertEquals(3, rows.size());
    assertEquals(0.4076059644, rows.get(0).getDouble(1), EPS);
    assertEquals(0.3751280307, rows.get(1).getDouble(1), EPS);
    assertEquals(0.0, rows.get(2).getDouble(1), 0.0);
    assertEquals(1, s.totals().zeroDenominator());
    assertEquals("timesteps", s.totals().zeroDenominatorOf());
    assertEquals(List.of(3L), s.result().resultDims());
  }

  @Test
  void perTimestepSumOverBatch() {
    run(Reduction.of(false, false, false, true), "out");
    List<Row> rows = read("out", "per_timestep", "timestep");
    assertEquals(0.4076059644, rows.get(0).getDouble(1), EPS);
    assertEquals(0.5626920461, rows.get(1).getDouble(1), EPS);
    assertEquals(0.0, rows.get(2).getDouble(1), 0.0);
  }

  @Test
  void perToken() {
    RunSummary s = run(Reduction.of(false, false, false, false), "out");
    List<Row> rows = read("out", "per_token", "id");
    assertArrayEquals(
        new double[] {0.4076059644, 1.0986122887, 0},
        rows.get(0).getList(1).stream().mapToDouble(d -> (Double) d).toArray(),
        EPS);
    assertArrayEquals(
        new double[] {0.4076059644, 0.0267718034},
        rows.get(1).getList(1).stream().mapToDouble(d -> (Double) d).toArray(),
        EPS);
    assertEquals(List.of(2L, 3L), s.result().resultDims());
  }

  @Test
  void meanOfSequenceMeansIsNotTheCorpusLoss() {
    RunSummary scalar = run(Reduction.of(true, true, false, false), "scalar");
    run(Reduction.of(true, false, false, false), "perseq");
    double meanOfMeans =
        read("perseq", "per_sequence", "id").stream()
            .mapToDouble(r -> r.getDouble(1))
            .average()
            .orElseThrow();
    assertEquals(0.4489508579, meanOfMeans, EPS);
    assertEquals(0.3881192042, scalar.result().loss(), EPS);
  }

  /**
   * Every 10-decimal number this class asserts appears on docs/semantics.md, so the two cannot
   * drift.
   */
  @Test
  void everyNumberAssertedHereIsOnThePage() throws Exception {
    String page = Files.readString(Path.of("docs/semantics.md"));
    Matcher numbers =
        Pattern.compile("\\d\\.\\d{10}")
            .matcher(
                Files.readString(Path.of("src/test/java/io/seqloss/job/WorkedExampleTest.java")));
    int found = 0;
    while (numbers.find()) {
      found++;
      assertTrue(
          page.contains(numbers.group()), "docs/semantics.md does not show " + numbers.group());
    }
    assertTrue(found >= 12, "found " + found + " numbers");
  }
}
