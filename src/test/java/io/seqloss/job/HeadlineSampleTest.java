package io.seqloss.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqloss.loss.CandidateSampler;
import io.seqloss.loss.LossSettings;
import io.seqloss.output.RunSummary;
import io.seqloss.testing.HeadlineSample;
import io.seqloss.testing.SparkTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The bundled headline corpus (seed example 2) holds what it says; full and sampled losses over it.
 */
class HeadlineSampleTest extends SparkTestBase {
  static final Path BUNDLED = Path.of("examples/headline/headlines.parquet");

  /** Rebuilds the bundled file: mvn test -Dtest=HeadlineSampleTest -Dseqloss.writeSample=true */
  @Test
  @EnabledIfSystemProperty(named = "seqloss.writeSample", matches = "true")
  void writeBundledSample() {
    HeadlineSample.write(session(), BUNDLED.toAbsolutePath());
  }

  @Test
  void bundledFileHoldsTheSample() throws Exception {
    assertTrue(Files.isRegularFile(BUNDLED), BUNDLED + " is missing");
    assertTrue(
        Files.size(BUNDLED) < 200_000, "the bundled file stays small: " + Files.size(BUNDLED));
    assertDataFrameEquals(
        session().createDataFrame(HeadlineSample.rows(), HeadlineSample.schema()),
        session().read().schema(HeadlineSample.schema()).parquet(BUNDLED.toString()).orderBy("id"));
  }

  private RunSummary run(LossSettings loss, String out) {
    JobConfig config =
        JobConfig.builder()
            .inputPaths(List.of(BUNDLED.toString()))
            .outputDir(tmp.resolve(out).toString())
            .loss(loss)
            .build();
    return new SequenceLossJob(session()).run(config);
  }

  @Test
  void fullAndSampledLosses() {
    RunSummary full = run(LossSettings.crossEntropy(), "full");
    assertEquals(HeadlineSample.expectedCrossEntropy(), full.result().loss(), 1e-9);
    assertEquals(3, full.totals().sequences());
    assertEquals(18, full.totals().tokens());
    assertEquals(10000, full.lossSpec().numClasses());
    // 12 of 18 steps have the target on top; on the other 6 its neighbour is, and rare targets fall
    // behind the most frequent words too
    assertEquals(12.0 / 18, full.result().accuracy(), 1e-12);
    assertEquals(HeadlineSample.expectedTopKAccuracy(1), full.result().accuracy(), 1e-12);
    assertEquals(HeadlineSample.expectedTopKAccuracy(5), full.result().topKAccuracy(), 1e-12);

    RunSummary sampled =
        run(LossSettings.sampledSoftmax(64, CandidateSampler.LOG_UNIFORM, 0), "sampled");
    assertTrue(
        sampled.result().loss() > 0 && Double.isFinite(sampled.result().loss()),
        "sampled loss " + sampled.result().loss());
    assertEquals(
        sampled.result().loss(),
        run(LossSettings.sampledSoftmax(64, CandidateSampler.LOG_UNIFORM, 0), "again")
            .result()
            .loss(),
        0.0);
    assertEquals(
        full.result().accuracy(),
        sampled.result().accuracy(),
        0.0,
        "the metrics do not depend on the loss");
  }
}
