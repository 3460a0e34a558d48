package io.seqloss.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqloss.output.RunSummary;
import io.seqloss.output.SummaryJson;
import io.seqloss.testing.ByHand;
import io.seqloss.testing.Markdown;
import io.seqloss.testing.SentimentSample;
import io.seqloss.testing.SparkTestBase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * The real entry point: ./submit.sh in local mode (no SPARK_HOME), as a user runs it, with each
 * output kind written and read back, and the exit codes of bad input and bad usage.
 */
class SubmitScriptIT extends SparkTestBase {
  private static final Path HOME =
      Path.of(System.getProperty("seqloss.home", ".")).toAbsolutePath();
  private static final String SAMPLE =
      HOME.resolve("examples/sentiment/sentiment.parquet").toString();

  record Result(int exitCode, String stdout, String stderr) {
    String lastLine() {
      String[] lines = stdout.strip().split("\n");
      return lines[lines.length - 1];
    }
  }

  static Result submit(String... args) throws IOException, InterruptedException {
    return submitWithSparkHome(null, args);
  }

  static Result submitWithSparkHome(Path sparkHome, String... args)
      throws IOException, InterruptedException {
    java.util.Map<String, String> env = new java.util.HashMap<>();
    env.put("SPARK_HOME", sparkHome == null ? null : sparkHome.toString());
    return submitWithEnv(env, args);
  }

  /**
   * ./submit.sh without SPARK_HOME, then the given environment changes (a null value removes the
   * variable).
   */
  static Result submitWithEnv(java.util.Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(HOME.resolve("submit.sh").toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(HOME.toFile());
    builder.environment().remove("SPARK_HOME");
    env.forEach(
        (name, value) -> {
          if (value == null) {
            builder.environment().remove(name);
          } else {
            builder.environment().put(name, value);
          }
        });
    Path stdout = Files.createTempFile("submit", ".out");
    Path stderr = Files.createTempFile("submit", ".err");
    Process process =
        builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("submit.sh did not finish in 5 minutes");
    }
    return new Result(
        process.exitValue(),
        Files.readString(stdout, StandardCharsets.UTF_8),
        Files.readString(stderr, StandardCharsets.UTF_8));
  }

  @Test
  void noArgumentsEvaluatesTheBundledSample() throws Exception {
    Result r = submit();
    assertEquals(0, r.exitCode(), r.stderr());
    RunSummary summary = SummaryJson.fromJson(r.lastLine());
    assertEquals(SentimentSample.expectedLoss(), summary.result().loss(), 1e-12);
    assertTrue(r.stderr().contains("seqloss: loss = "), r.stderr());
    Markdown.Block shown =
        Markdown.blocks(HOME.resolve("README.md")).stream()
            .filter(b -> b.lang().equals("text"))
            .findFirst()
            .orElseThrow();
    assertEquals(
        List.of(),
        Markdown.linesNotIn(shown.text(), r.stderr() + r.stdout()),
        "README.md's sample output ("
            + shown.where()
            + ") is not what ./submit.sh prints:\n"
            + r.stderr()
            + r.stdout());
  }

  @Test
  void scalarSummaryIsWrittenToo() throws Exception {
    Path out = tmp.resolve("scalar");
    Result r = submit("--input", SAMPLE, "--output", out.toString());
    assertEquals(0, r.exitCode(), r.stderr());
    RunSummary onDisk = SummaryJson.fromJson(Files.readString(out.resolve("summary.json")));
    assertEquals(SummaryJson.fromJson(r.lastLine()), onDisk);
  }

  @Test
  void perSequenceOutput() throws Exception {
    Path out = tmp.resolve("per-seq");
    Result r =
        submit("--input", SAMPLE, "--output", out.toString(), "--average-across-batch=false");
    assertEquals(0, r.exitCode(), r.stderr());
    List<Row> rows =
        session()
            .read()
            .parquet(out.resolve("per_sequence").toString())
            .orderBy("id")
            .collectAsList();
    assertEquals(SentimentSample.BATCH, rows.size());
    for (int b = 0; b < SentimentSample.BATCH; b++) {
      assertEquals("review-" + b, rows.get(b).getAs("id"));
      assertEquals(
          SentimentSample.expectedSequenceLoss(b), (double) rows.get(b).getAs("loss"), 1e-12);
      assertEquals(10L, (long) rows.get(b).getAs("tokens"));
    }
  }

  @Test
  void perTimestepOutput() throws Exception {
    Path out = tmp.resolve("per-step");
    Result r =
        submit(
            "--input", SAMPLE, "--output", out.toString(), "--average-across-timesteps", "false");
    assertEquals(0, r.exitCode(), r.stderr());
    List<Row> rows =
        session()
            .read()
            .parquet(out.resolve("per_timestep").toString())
            .orderBy("timestep")
            .collectAsList();
    assertEquals(SentimentSample.STEPS, rows.size());
    for (int t = 0; t < SentimentSample.STEPS; t++) {
      assertEquals(t, (int) rows.get(t).getAs("timestep"));
      assertEquals(
          SentimentSample.expectedTimestepLoss(t), (double) rows.get(t).getAs("loss"), 1e-12);
    }
  }

  @Test
  void perTokenOutput() throws Exception {
    Path out = tmp.resolve("per-token");
    Result r =
        submit(
            "--input",
            SAMPLE,
            "--output",
            out.toString(),
            "--average-across-timesteps=false",
            "--average-across-batch=false");
    assertEquals(0, r.exitCode(), r.stderr());
    List<Row> rows =
        session().read().parquet(out.resolve("per_token").toString()).orderBy("id").collectAsList();
    for (int b = 0; b < SentimentSample.BATCH; b++) {
      List<Double> losses = rows.get(b).getList(1);
      for (int t = 0; t < SentimentSample.STEPS; t++) {
        assertEquals(
            SentimentSample.crossEntropy(b, t) * SentimentSample.MASK[b][t], losses.get(t), 1e-12);
      }
    }
  }

  @Test
  void generatedArrowCorpusIsEvaluatedLikeItsParquetTwin() throws Exception {
    List<String> spec =
        List.of(
            "--sequences",
            "40",
            "--rows-per-file",
            "15",
            "--num-classes",
            "50",
            "--min-length",
            "3",
            "--max-length",
            "12",
            "--padding-share",
            "0.25",
            "--seed",
            "21");
    Path arrow = tmp.resolve("arrow corpus");
    Path parquet = tmp.resolve("parquet-corpus");
    Result madeArrow =
        submit(
            concat(
                List.of(
                    "generate",
                    "--format",
                    "arrow",
                    "--arrow-ipc",
                    "file",
                    "--output",
                    arrow.toString()),
                spec));
    assertEquals(0, madeArrow.exitCode(), madeArrow.stderr());
    assertTrue(madeArrow.lastLine().contains("\"format\":\"arrow\""), madeArrow.lastLine());
    assertTrue(Files.exists(arrow.resolve("_SUCCESS")));
    Result madeParquet = submit(concat(List.of("generate", "--output", parquet.toString()), spec));
    assertEquals(0, madeParquet.exitCode(), madeParquet.stderr());

    Result fromArrow =
        submit("--input", arrow.toString(), "--output", tmp.resolve("out-arrow").toString());
    assertEquals(0, fromArrow.exitCode(), fromArrow.stderr());
    Result fromParquet =
        submit("--input", parquet.toString(), "--output", tmp.resolve("out-parquet").toString());
    assertEquals(0, fromParquet.exitCode(), fromParquet.stderr());
    RunSummary a = SummaryJson.fromJson(fromArrow.lastLine());
    RunSummary p = SummaryJson.fromJson(fromParquet.lastLine());
    assertEquals(40, a.totals().sequences());
    assertEquals(
        p.totals().lossSum(),
        a.totals().lossSum()); // bit for bit: the same rows, read from another format
    assertEquals(p.totals().weightSum(), a.totals().weightSum());
    assertEquals(p.result().loss(), a.result().loss());
  }

  /**
   * Rows of a vocabulary (V = 300: the vectorised exp, the max found in the copy, the sized read
   * buffers) through submit.sh: the loss of a hand computation, and the benchmark's baselines, run
   * the same way, agree with it.
   */
  @Test
  void wideRowsMatchAHandComputationAndTheBenchmarkBaselines() throws Exception {
    Path corpus = tmp.resolve("wide");
    Result made =
        submit(
            "generate",
            "--output",
            corpus.toString(),
            "--sequences",
            "6",
            "--rows-per-file",
            "3",
            "--num-classes",
            "300",
            "--min-length",
            "4",
            "--max-length",
            "9",
            "--padding-share",
            "0.25",
            "--seed",
            "5",
            "--compression",
            "uncompressed");
    assertEquals(0, made.exitCode(), made.stderr());
    double lossSum = 0;
    double weightSum = 0;
    for (Row row : session().read().parquet(corpus.toString()).collectAsList()) {
      List<scala.collection.Seq<Float>> logits =
          row.getList(row.fieldIndex("logits")); // inner arrays: Seqs
      List<Integer> targets = row.getList(row.fieldIndex("targets"));
      List<Float> weights = row.getList(row.fieldIndex("weights"));
      for (int t = 0; t < logits.size(); t++) {
        double[] step =
            scala.collection.JavaConverters.seqAsJavaList(logits.get(t)).stream()
                .mapToDouble(Float::doubleValue)
                .toArray();
        lossSum += weights.get(t) * (ByHand.logSumExp(step) - step[targets.get(t)]);
        weightSum += weights.get(t);
      }
    }

    Result run =
        submit("--input", corpus.toString(), "--output", tmp.resolve("wide-out").toString());
    assertEquals(0, run.exitCode(), run.stderr());
    RunSummary summary = SummaryJson.fromJson(run.lastLine());
    assertEquals(300, summary.lossSpec().numClasses());
    assertEquals(weightSum, summary.totals().weightSum(), 1e-9);
    assertEquals(lossSum / weightSum, summary.result().loss(), 1e-12 * (lossSum / weightSum));

    for (String kind : List.of("scan", "scan-tuned", "scan-inputs", "scan-loss", "sql")) {
      Result baseline =
          submit(
              "--class",
              "io.seqloss.bench.BaselineCommand",
              "--jars",
              System.getProperty("seqloss.benchJar"),
              "--kind",
              kind,
              "--input",
              corpus.toString());
      assertEquals(0, baseline.exitCode(), kind + ": " + baseline.stderr());
      com.fasterxml.jackson.databind.JsonNode line =
          new com.fasterxml.jackson.databind.ObjectMapper().readTree(baseline.lastLine());
      assertEquals(weightSum, line.get("weight_sum").asDouble(), 1e-9, kind);
      if (kind.equals("sql") || kind.equals("scan-loss")) {
        assertEquals(
            summary.result().loss(),
            line.get("loss").asDouble(),
            1e-9 * summary.result().loss(),
            kind);
      }
    }
  }

  private static String[] concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all.toArray(String[]::new);
  }

  @Test
  void exitCodesOfBadInputAndBadUsage() throws Exception {
    Result missing =
        submit(
            "--input", tmp.resolve("nowhere").toString(), "--output", tmp.resolve("x").toString());
    assertEquals(3, missing.exitCode(), missing.stderr());
    assertTrue(missing.stderr().contains("does not exist"), missing.stderr());
    Result usage =
        submit("--input", SAMPLE, "--output", tmp.resolve("y").toString(), "--sum-over-batch=true");
    assertEquals(2, usage.exitCode(), usage.stderr());
    assertTrue(
        usage.stderr().contains("--average-across-batch and --sum-over-batch"), usage.stderr());
  }

  /**
   * Nothing of Spark's before --help's text; a usage error is one line and where to look, then the
   * JSON.
   */
  @Test
  void helpAndUsageErrorsAreQuiet() throws Exception {
    Result help = submit("--help");
    assertEquals(0, help.exitCode(), help.stderr());
    assertTrue(help.stdout().startsWith("Usage: seqloss "), help.stdout());
    assertEquals("", help.stderr());

    Result usage =
        submit(
            "--input",
            SAMPLE,
            "--output",
            tmp.resolve("u").toString(),
            "--average-across-batch=flase");
    assertEquals(2, usage.exitCode(), usage.stderr());
    assertEquals(
        List.of(
            "seqloss: error: Invalid value for option '--average-across-batch': 'flase' is not a boolean",
            "Try './submit.sh --help' for more information."),
        usage.stderr().lines().toList());
    assertTrue(
        usage.lastLine().startsWith("{\"status\":\"failed\",\"exit_code\":2,"), usage.stdout());
  }

  @Test
  void sparkOptionsPassThroughAndDryRunShowsTheCommand() throws Exception {
    Result dry =
        submit(
            "--dry-run",
            "--master",
            "local[1]",
            "--conf",
            "spark.sql.shuffle.partitions=3",
            "--driver-memory",
            "1500m",
            "--input",
            "my corpus",
            "--output",
            tmp.resolve("z").toString());
    assertEquals(0, dry.exitCode(), dry.stderr());
    String command = dry.stdout();
    assertTrue(command.contains("org.apache.spark.deploy.SparkSubmit"), command);
    assertTrue(command.contains("--master local\\[1\\]"), command);
    assertTrue(command.contains("--conf spark.sql.shuffle.partitions=3"), command);
    assertTrue(command.contains("-Xmx1500m"), command);
    assertTrue(command.contains("--input my\\ corpus"), command);

    Path out = tmp.resolve("one-core");
    Result real =
        submit(
            "--master",
            "local[1]",
            "--conf",
            "spark.sql.shuffle.partitions=3",
            "--input",
            SAMPLE,
            "--output",
            out.toString());
    assertEquals(0, real.exitCode(), real.stderr());
    assertEquals(
        SentimentSample.expectedLoss(),
        SummaryJson.fromJson(real.lastLine()).result().loss(),
        1e-12);
  }

  @Test
  void withSparkHomeItCallsSparkSubmitWithEveryArgumentQuoted() throws Exception {
    Path sparkHome = tmp.resolve("spark home");
    Result dry =
        submitWithSparkHome(
            sparkHome,
            "--dry-run",
            "--master",
            "yarn",
            "--deploy-mode",
            "cluster",
            "--jars",
            "a.jar,b.jar",
            "--input",
            "hdfs:///eval/2026-11-26",
            "--output",
            "hdfs:///out/x y");
    assertEquals(0, dry.exitCode(), dry.stderr());
    String command = dry.stdout();
    assertTrue(
        command.startsWith(sparkHome.resolve("bin/spark-submit").toString().replace(" ", "\\ ")),
        command);
    assertTrue(command.contains("--class io.seqloss.cli.Main"), command);
    assertTrue(
        command.contains("--master yarn --deploy-mode cluster --jars a.jar\\,b.jar"), command);
    assertTrue(command.contains("--files " + HOME.resolve("conf/seqloss.properties")), command);
    assertTrue(command.contains("--config seqloss.properties"), command);
    assertTrue(command.contains("--output hdfs:///out/x\\ y"), command);
  }
}
