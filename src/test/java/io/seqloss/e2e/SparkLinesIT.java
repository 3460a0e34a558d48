package io.seqloss.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqloss.output.RunSummary;
import io.seqloss.output.SummaryJson;
import io.seqloss.testing.SentimentSample;
import io.seqloss.testing.SparkTestBase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * submit.sh's choice of jar by Spark line, and the same bits on every line. Failsafe runs this on
 * each line (SEQLOSS_SPARK_LINE names the one under test); the numbers asserted are the same on
 * both.
 */
class SparkLinesIT extends SparkTestBase {
  private static final Path HOME =
      Path.of(System.getProperty("seqloss.home", ".")).toAbsolutePath();
  private static final String SAMPLE =
      HOME.resolve("examples/sentiment/sentiment.parquet").toString();

  /**
   * Per-sequence losses of the bundled sample, bit for bit (review-0..4); each is its hand
   * computation ±1e-12.
   */
  private static final double[] SAMPLE_SEQUENCE_LOSSES = {
    0x1.0af5898c59f23p0,
    0x1.0af318a2a8c06p0,
    0x1.183d8e2f87944p0,
    0x1.0fbde3732b7fbp0,
    0x1.54668d1632a61p0
  };

  private static SubmitScriptIT.Result submit(Map<String, String> env, String... args)
      throws Exception {
    return SubmitScriptIT.submitWithEnv(env, args);
  }

  /**
   * A directory that looks like a Spark installation to submit.sh: jars named as Spark names them.
   */
  private Path fakeSparkHome(String name, String coreJar) throws IOException {
    Path jars = Files.createDirectories(tmp.resolve(name).resolve("jars"));
    Files.createFile(jars.resolve(coreJar));
    Files.createFile(jars.resolve(coreJar.replace("spark-core", "spark-sql")));
    return tmp.resolve(name);
  }

  private static Map<String, String> sparkHome(Path home) {
    Map<String, String> env = new java.util.HashMap<>();
    env.put("SPARK_HOME", home.toString());
    env.put("SEQLOSS_SPARK_LINE", null);
    return env;
  }

  @Test
  void sparkHomeChoosesTheJarBuiltForItsSparkAndScala() throws Exception {
    SubmitScriptIT.Result on35 =
        submit(
            sparkHome(fakeSparkHome("spark-3.5.9", "spark-core_2.12-3.5.9.jar")),
            "--dry-run",
            "--input",
            SAMPLE,
            "--output",
            tmp.resolve("a").toString());
    assertEquals(0, on35.exitCode(), on35.stderr());
    assertTrue(on35.stdout().contains("/bin/spark-submit"), on35.stdout());
    assertTrue(on35.stdout().contains("/target/seqloss-spark-3.5_2.12-"), on35.stdout());

    SubmitScriptIT.Result on42 =
        submit(
            sparkHome(fakeSparkHome("spark-4.2.0", "spark-core_2.13-4.2.0.jar")),
            "--dry-run",
            "--input",
            SAMPLE,
            "--output",
            tmp.resolve("b").toString());
    assertEquals(0, on42.exitCode(), on42.stderr());
    assertTrue(on42.stdout().contains("/target/seqloss-spark-4.2_2.13-"), on42.stdout());
  }

  @Test
  void aSparkNoJarIsBuiltForIsRefusedNamingBothVersions() throws Exception {
    for (String core :
        List.of(
            "spark-core_2.13-4.0.1.jar",
            "spark-core_2.13-3.5.9.jar",
            "spark-core_2.12-3.4.4.jar")) {
      SubmitScriptIT.Result r =
          submit(
              sparkHome(fakeSparkHome(core, core)),
              "--dry-run",
              "--input",
              SAMPLE,
              "--output",
              "x");
      String found =
          core.replaceAll("spark-core_([0-9.]+)-([0-9.]+)\\.jar", "Spark $2 with Scala $1");
      assertEquals(2, r.exitCode(), core + ": " + r.stderr());
      assertTrue(r.stderr().contains(found), r.stderr());
      assertTrue(
          r.stderr()
              .contains("seqloss is built for Spark 3.5 (Scala 2.12) and Spark 4.2 (Scala 2.13)"),
          r.stderr());
      assertEquals("", r.stdout(), "nothing is run");
    }
  }

  @Test
  void aLineThatContradictsSparkHomeOrIsUnknownIsAUsageError() throws Exception {
    Map<String, String> env = sparkHome(fakeSparkHome("spark-4.2.0", "spark-core_2.13-4.2.0.jar"));
    env.put("SEQLOSS_SPARK_LINE", "3.5");
    SubmitScriptIT.Result contradiction =
        submit(env, "--dry-run", "--input", SAMPLE, "--output", "x");
    assertEquals(2, contradiction.exitCode(), contradiction.stderr());
    assertTrue(
        contradiction.stderr().contains("SEQLOSS_SPARK_LINE is 3.5 but SPARK_HOME"),
        contradiction.stderr());
    assertTrue(contradiction.stderr().contains("is Spark 4.2.0"), contradiction.stderr());

    SubmitScriptIT.Result unknown =
        submit(Map.of(), "--dry-run", "--spark-line", "4.0", "--input", SAMPLE, "--output", "x");
    assertEquals(2, unknown.exitCode(), unknown.stderr());
    assertTrue(
        unknown
            .stderr()
            .contains(
                "is '4.0'; expected one of: Spark 3.5 (Scala 2.12) and Spark 4.2 (Scala 2.13)"),
        unknown.stderr());
  }

  @Test
  void withoutSparkHomeTheDefaultLineRunsUnlessAnotherIsPicked() throws Exception {
    Map<String, String> noLine = new java.util.HashMap<>();
    noLine.put("SEQLOSS_SPARK_LINE", null);
    SubmitScriptIT.Result byDefault =
        submit(noLine, "--dry-run", "--input", SAMPLE, "--output", "x");
    assertEquals(0, byDefault.exitCode(), byDefault.stderr());
    assertTrue(
        byDefault.stdout().contains("org.apache.spark.deploy.SparkSubmit"), byDefault.stdout());
    assertTrue(byDefault.stdout().contains("/target/seqloss-spark-3.5_2.12-"), byDefault.stdout());

    SubmitScriptIT.Result picked =
        submit(noLine, "--dry-run", "--spark-line", "4.2", "--input", SAMPLE, "--output", "x");
    assertEquals(0, picked.exitCode(), picked.stderr());
    assertTrue(picked.stdout().contains("/target/seqloss-spark-4.2_2.13-"), picked.stdout());
    SubmitScriptIT.Result byVariable =
        submit(
            Map.of("SEQLOSS_SPARK_LINE", "4.2"), "--dry-run", "--input", SAMPLE, "--output", "x");
    assertTrue(
        byVariable.stdout().contains("/target/seqloss-spark-4.2_2.13-"), byVariable.stdout());
    if (Files.exists(
        HOME.resolve("target/spark-classpath-4.2.txt"))) { // once built: that Spark's own jars
      assertTrue(picked.stdout().contains("spark-core_2.13-4.2.0.jar"), picked.stdout());
      assertTrue(!picked.stdout().contains("spark-core_2.12"), picked.stdout());
    }
  }

  /**
   * The line under test gives the same bits as every other: the sample's summary numbers and
   * per-sequence losses, and a generated V = 300 corpus's sums, hard-coded (the same on Spark 3.5
   * and 4.2; each agrees with its hand computation, see SubmitScriptIT).
   */
  @Test
  void theSameBitsOnEverySparkLine() throws Exception {
    SubmitScriptIT.Result scalar =
        submit(Map.of(), "--input", SAMPLE, "--output", tmp.resolve("scalar").toString());
    assertEquals(0, scalar.exitCode(), scalar.stderr());
    RunSummary s = SummaryJson.fromJson(scalar.lastLine());
    assertEquals(1.1129468347113176, s.result().loss());
    assertEquals(26.71072403307162, s.totals().lossSum());
    assertEquals(24.0, s.totals().weightSum());
    assertEquals(SentimentSample.expectedLoss(), s.result().loss(), 1e-12);

    Path perSequence = tmp.resolve("per-seq");
    SubmitScriptIT.Result bySequence =
        submit(
            Map.of(),
            "--input",
            SAMPLE,
            "--output",
            perSequence.toString(),
            "--average-across-batch=false");
    assertEquals(0, bySequence.exitCode(), bySequence.stderr());
    List<Row> rows =
        session()
            .read()
            .parquet(perSequence.resolve("per_sequence").toString())
            .orderBy("id")
            .collectAsList();
    for (int b = 0; b < SentimentSample.BATCH; b++) {
      assertEquals(SAMPLE_SEQUENCE_LOSSES[b], (double) rows.get(b).getAs("loss"), "review-" + b);
      assertEquals(SentimentSample.expectedSequenceLoss(b), SAMPLE_SEQUENCE_LOSSES[b], 1e-12);
    }

    Path wide = tmp.resolve("wide");
    SubmitScriptIT.Result made =
        submit(
            Map.of(),
            "generate",
            "--output",
            wide.toString(),
            "--sequences",
            "12",
            "--rows-per-file",
            "5",
            "--num-classes",
            "300",
            "--min-length",
            "3",
            "--max-length",
            "9",
            "--padding-share",
            "0.25",
            "--seed",
            "14");
    assertEquals(0, made.exitCode(), made.stderr());
    SubmitScriptIT.Result run =
        submit(
            Map.of(), "--input", wide.toString(), "--output", tmp.resolve("wide-out").toString());
    assertEquals(0, run.exitCode(), run.stderr());
    RunSummary w = SummaryJson.fromJson(run.lastLine());
    assertEquals(287.516721631953, w.totals().lossSum());
    assertEquals(52.0, w.totals().weightSum());
    assertEquals(5.529167723691403, w.result().loss());
    assertEquals(14.0, w.totals().correctSum());
    assertEquals(69L, w.totals().tokens());
  }
}
