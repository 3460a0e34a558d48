package io.seqloss.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqloss.output.RunSummary;
import io.seqloss.testing.SentimentSample;
import io.seqloss.testing.SparkTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The bundled sample corpus (seed example 1) holds what it says and evaluates to the hand value.
 */
class SentimentSampleTest extends SparkTestBase {
  static final Path BUNDLED = Path.of("examples/sentiment/sentiment.parquet");

  /** Rebuilds the bundled file: mvn test -Dtest=SentimentSampleTest -Dseqloss.writeSample=true */
  @Test
  @EnabledIfSystemProperty(named = "seqloss.writeSample", matches = "true")
  void writeBundledSample() {
    SentimentSample.write(session(), BUNDLED.toAbsolutePath());
  }

  @Test
  void bundledFileHoldsTheSample() {
    assertTrue(Files.isRegularFile(BUNDLED), BUNDLED + " is missing");
    assertDataFrameEquals(
        session().createDataFrame(SentimentSample.rows(), SentimentSample.schema()),
        session()
            .read()
            .schema(SentimentSample.schema())
            .parquet(BUNDLED.toString())
            .orderBy("id"));
  }

  @Test
  void scalarLossMatchesHandComputation() {
    JobConfig config =
        JobConfig.builder()
            .inputPaths(List.of(BUNDLED.toString()))
            .outputDir(tmp.resolve("out").toString())
            .build();
    RunSummary s = new SequenceLossJob(session()).run(config);
    assertEquals(SentimentSample.expectedLoss(), s.result().loss(), 1e-12);
    assertEquals(5, s.totals().sequences());
    assertEquals(50, s.totals().tokens());
    assertEquals(24.0, s.totals().weightSum(), 0.0);
    assertEquals(2, s.lossSpec().numClasses());
  }
}
