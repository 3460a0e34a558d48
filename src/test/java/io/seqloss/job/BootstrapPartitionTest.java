package io.seqloss.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * --bootstrap: the percentile interval and the bootstrap standard error are bit-identical for 1, 3
 * and 17 partitions, reversed file order and a rerun; and the bootstrap agrees with the delta
 * method.
 */
class BootstrapPartitionTest extends SparkTestBase {

  private RunSummary run(List<String> inputs, UnaryOperator<Dataset<Row>> split, String out) {
    JobConfig config =
        JobConfig.builder()
            .inputPaths(inputs)
            .outputDir(tmp.resolve(out).toString())
            .bootstrap(200, 42)
            .build();
    Corpus read = new CorpusReader(session()).read(inputs, config.columns());
    return new SequenceLossJob(session())
        .run(config, new Corpus(split.apply(read.rows()), read.layout(), read.files()));
  }

  @Test
  void bootstrapIsBitIdenticalForAnyPartitioningAndOnARerun() throws IOException {
    Path corpus = Corpora.write(session(), tmp, RandomCorpus.rows(7, 170, 12, 7, false), 17);
    List<String> files;
    try (Stream<Path> listing = Files.list(corpus)) {
      files =
          new ArrayList<>(
              listing.map(Path::toString).filter(p -> p.endsWith(".parquet")).sorted().toList());
    }
    List<RunSummary> runs = new ArrayList<>();
    runs.add(run(List.of(corpus.toString()), d -> d.coalesce(1), "p1"));
    runs.add(run(List.of(corpus.toString()), d -> d.repartition(3), "p3"));
    runs.add(run(List.of(corpus.toString()), d -> d.repartition(17), "p17"));
    runs.add(run(List.of(corpus.toString()), d -> d.repartition(17), "rerun"));
    Collections.reverse(files);
    runs.add(run(files, d -> d, "reversed"));
    RunSummary.Bootstrap first = runs.get(0).uncertainty().bootstrap();
    assertEquals(200, first.replicates());
    assertEquals(42, first.seed());
    for (RunSummary s : runs) {
      RunSummary.Bootstrap b = s.uncertainty().bootstrap();
      assertEquals(bits(first.interval()), bits(b.interval()));
      assertEquals(
          Double.doubleToLongBits(first.standardError()),
          Double.doubleToLongBits(b.standardError()));
      assertEquals(
          Double.doubleToLongBits(runs.get(0).uncertainty().standardError()),
          Double.doubleToLongBits(s.uncertainty().standardError()));
    }
    // two estimates of the same standard error: 200 replicates give the bootstrap's about ±10 %
    double delta = runs.get(0).uncertainty().standardError();
    assertTrue(
        Math.abs(first.standardError() / delta - 1) < 0.3, first.standardError() + " vs " + delta);
    double loss = runs.get(0).result().loss();
    assertTrue(
        first.interval().get(0) < loss && loss < first.interval().get(1),
        first.interval() + " vs " + loss);
  }

  private static List<Long> bits(List<Double> values) {
    return values.stream().map(Double::doubleToLongBits).toList();
  }
}
