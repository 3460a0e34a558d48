package io.seqloss.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.seqloss.config.Reduction;
import io.seqloss.input.Corpus;
import io.seqloss.input.CorpusReader;
import io.seqloss.output.RunSummary;
import io.seqloss.testing.Corpora;
import io.seqloss.testing.RandomCorpus;
import io.seqloss.testing.SparkTestBase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The answer must not depend on how Spark splits or orders the corpus: 1, 3 and 17 partitions, and
 * the files given in reverse order, give bit-identical numbers for every result kind.
 */
class PartitionIndependenceTest extends SparkTestBase {
  private Path corpus;
  private List<String> files;

  @BeforeEach
  void writeCorpus() throws IOException {
    corpus = Corpora.write(session(), tmp, RandomCorpus.rows(7, 170, 12, 7, false), 17);
    try (Stream<Path> listing = Files.list(corpus)) {
      files =
          listing
              .filter(p -> p.toString().endsWith(".parquet"))
              .map(Path::toString)
              .sorted()
              .collect(Collectors.toList());
    }
    assertEquals(17, files.size());
  }

  private RunSummary run(
      Reduction reduction, List<String> inputs, UnaryOperator<Dataset<Row>> split, String out) {
    JobConfig config =
        JobConfig.builder()
            .inputPaths(inputs)
            .outputDir(tmp.resolve(out).toString())
            .reduction(reduction)
            .build();
    Corpus read = new CorpusReader(session()).read(inputs, config.columns());
    Corpus resplit = new Corpus(split.apply(read.rows()), read.layout(), read.files());
    return new SequenceLossJob(session()).run(config, resplit);
  }

  /** Every double of a result directory, as exact bits, in a canonical order. */
  private List<String> resultBits(String out, String kind, String key) {
    return session()
        .read()
        .parquet(tmp.resolve(out).resolve(kind).toString())
        .orderBy(key)
        .collectAsList()
        .stream()
        .map(Row::toString)
        .collect(Collectors.toList());
  }

  @Test
  void scalarIsBitIdentical() {
    List<RunSummary> runs = new ArrayList<>();
    Reduction r = Reduction.tensorflowDefault();
    runs.add(run(r, List.of(corpus.toString()), d -> d, "whole"));
    runs.add(run(r, List.of(corpus.toString()), d -> d.coalesce(1), "p1"));
    runs.add(run(r, List.of(corpus.toString()), d -> d.repartition(3), "p3"));
    runs.add(run(r, List.of(corpus.toString()), d -> d.repartition(17), "p17"));
    List<String> reversed = new ArrayList<>(files);
    Collections.reverse(reversed);
    runs.add(run(r, reversed, d -> d, "reversed"));
    runs.add(run(r, reversed, d -> d.repartition(17), "reversed17"));
    for (RunSummary s : runs) {
      assertEquals(
          Double.doubleToLongBits(runs.get(0).result().loss()),
          Double.doubleToLongBits(s.result().loss()));
      assertEquals(
          Double.doubleToLongBits(runs.get(0).totals().lossSum()),
          Double.doubleToLongBits(s.totals().lossSum()));
      assertEquals(
          Double.doubleToLongBits(runs.get(0).totals().weightSum()),
          Double.doubleToLongBits(s.totals().weightSum()));
      assertEquals(runs.get(0).totals().tokens(), s.totals().tokens());
      assertEquals(170, s.totals().sequences());
    }
  }

  @Test
  void perTimestepIsBitIdentical() {
    Reduction r = Reduction.of(false, true, false, false);
    run(r, List.of(corpus.toString()), d -> d.coalesce(1), "p1");
    run(r, List.of(corpus.toString()), d -> d.repartition(3), "p3");
    run(r, List.of(corpus.toString()), d -> d.repartition(17), "p17");
    List<String> expected = resultBits("p1", "per_timestep", "timestep");
    assertEquals(12, expected.size());
    assertEquals(expected, resultBits("p3", "per_timestep", "timestep"));
    assertEquals(expected, resultBits("p17", "per_timestep", "timestep"));
  }

  @Test
  void perSequenceAndPerTokenAreIdenticalWithDerivedIds() {
    for (Reduction r :
        List.of(
            Reduction.of(true, false, false, false), Reduction.of(false, false, false, false))) {
      String kind = r.shape() == Reduction.Shape.PER_SEQUENCE ? "per_sequence" : "per_token";
      run(r, List.of(corpus.toString()), d -> d.coalesce(1), kind + "1");
      List<String> reversed = new ArrayList<>(files);
      Collections.reverse(reversed);
      run(r, reversed, d -> d.repartition(17), kind + "17");
      List<String> expected = resultBits(kind + "1", kind, "id");
      assertEquals(170, expected.size());
      assertEquals(expected, resultBits(kind + "17", kind, "id"));
    }
  }
}
