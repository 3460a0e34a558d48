package io.seqloss.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqloss.bench.BaselineQueries;
import io.seqloss.bench.BaselineResult;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code seqloss baseline --kind scan|sql|udf --input PATH...}: one query the benchmark compares with. */
@Command(
    name = "baseline",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Runs one of the benchmark's reference queries over a generated corpus (float logits, int targets, "
            + "float weights) and prints one JSON line: loss, loss_sum, weight_sum, steps, elapsed_seconds.",
        "scan: the Parquet scan floor (no loss); sql: Spark SQL higher-order functions; udf: a row UDF."})
final class BaselineCommand implements Callable<Integer> {

  @Option(names = "--kind", required = true, paramLabel = "scan|sql|udf", description = "Which query.")
  String kind;

  @Option(names = "--input", required = true, arity = "1..*", paramLabel = "PATH", description = "The corpus.")
  List<String> inputs;

  private final Supplier<SparkSession> spark;
  private final PrintWriter out;

  BaselineCommand(Supplier<SparkSession> spark, PrintWriter out) {
    this.spark = spark;
    this.out = out;
  }

  @Override
  public Integer call() throws JsonProcessingException {
    BaselineResult r = BaselineQueries.run(spark.get(), kind, inputs.toArray(String[]::new));
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("status", "succeeded");
    line.put("kind", r.kind());
    line.put("loss", Double.isNaN(r.lossSum()) ? null : r.loss());
    line.put("loss_sum", Double.isNaN(r.lossSum()) ? null : r.lossSum());
    line.put("weight_sum", r.weightSum());
    line.put("steps", r.steps());
    line.put("elapsed_seconds", r.elapsedSeconds());
    out.println(new ObjectMapper().writeValueAsString(line));
    out.flush();
    return ExitCodes.SUCCESS;
  }
}
