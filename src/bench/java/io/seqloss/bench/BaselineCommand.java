package io.seqloss.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqloss.config.InputFormat;
import io.seqloss.input.DataFiles;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * One query the benchmark compares seqloss with, run by {@link BenchmarkRunner} through {@code
 * ./submit.sh --class io.seqloss.bench.BaselineCommand --jars BENCH_JAR --kind
 * scan|scan-tuned|scan-inputs|scan-loss|sql|udf --input PATH...}: the bench jar's own main, so that
 * the application jar carries no benchmark code.
 */
@Command(
    name = "baseline",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Runs one of the benchmark's reference queries over a generated corpus (float logits, int targets, "
          + "float weights) and prints one JSON line: loss, loss_sum, weight_sum, steps, elapsed_seconds.",
      "scan: the scan floor (no loss): the Parquet or Arrow columnar scan seqloss reads; scan-tuned: the "
          + "same with seqloss's Parquet read buffers; scan-inputs: seqloss's own scan, ids, row index "
          + "and footers included; scan-loss: that and the token loss in plain double; sql: Spark SQL higher-order functions; udf: a row UDF."
    })
public final class BaselineCommand implements Callable<Integer> {

  @Option(
      names = "--kind",
      required = true,
      paramLabel = "scan|scan-tuned|scan-inputs|scan-loss|sql|udf",
      description = "Which query.")
  String kind;

  @Option(
      names = "--input",
      required = true,
      arity = "1..*",
      paramLabel = "PATH",
      description = "The corpus.")
  List<String> inputs;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description =
          "Input format (${COMPLETION-CANDIDATES}); default: detected from the file names, as for the "
              + "evaluation.")
  InputFormat format;

  private final Supplier<SparkSession> spark;
  private final PrintWriter out;

  BaselineCommand(Supplier<SparkSession> spark, PrintWriter out) {
    this.spark = spark;
    this.out = out;
  }

  /** spark-submit's {@code --class}: the session takes its master from spark-submit. */
  public static void main(String[] args) {
    SparkSession[] started = new SparkSession[1];
    Supplier<SparkSession> spark =
        () -> {
          if (started[0] == null) {
            started[0] = SparkSession.builder().appName("seqloss-baseline").getOrCreate();
          }
          return started[0];
        };
    int code =
        new CommandLine(new BaselineCommand(spark, new PrintWriter(System.out, true)))
            .setCaseInsensitiveEnumValuesAllowed(true)
            .execute(args);
    if (started[0] != null) {
      started[0].stop();
    }
    System.exit(code);
  }

  @Override
  public Integer call() throws JsonProcessingException {
    SparkSession session = spark.get();
    InputFormat read =
        format != null
            ? format
            : InputFormat.detect(
                DataFiles.list(inputs, session.sparkContext().hadoopConfiguration(), name -> true)
                    .files());
    BaselineResult r = BaselineQueries.run(session, kind, read, inputs);
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("status", "succeeded");
    line.put("kind", r.kind());
    line.put("format", read.toString());
    line.put("loss", Double.isNaN(r.lossSum()) ? null : r.loss());
    line.put("loss_sum", Double.isNaN(r.lossSum()) ? null : r.lossSum());
    line.put("weight_sum", r.weightSum());
    line.put("steps", r.steps());
    line.put("elapsed_seconds", r.elapsedSeconds());
    out.println(new ObjectMapper().writeValueAsString(line));
    out.flush();
    return 0;
  }
}
