package io.seqloss.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqloss.reduce.TimestepTotals;
import io.seqloss.testing.ByHand;
import io.seqloss.testing.OutOfMemoryOnResultRead;
import io.seqloss.testing.ResultFiles;
import io.seqloss.testing.SparkTestBase;
import io.seqloss.testing.SubmitProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 11 case 2 through submit.sh: a per-timestep result of a million steps fits a 1 GB driver
 * (it died with exit 52 at 200,000), and an OutOfMemoryError in a driver thread ends the run with
 * exit 1 and the failure JSON (it used to leave the run waiting forever for the result that thread
 * was reading).
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class DriverMemoryIT extends SparkTestBase {
  private static final String SAMPLE =
      SubmitProcess.home().resolve("examples/sentiment/sentiment.parquet").toString();
  private static final int T = 1_000_000;

  @Test
  void anOutOfMemoryErrorInTheDriversResultGetterEndsTheRunWithTheFailureJson() throws Exception {
    Path out = tmp.resolve("out");
    // From the start of the JVM, on a busy machine; it used to wait forever.
    SubmitProcess run =
        SubmitProcess.run(
            tmp.resolve("logs"),
            "oom",
            Duration.ofSeconds(150),
            List.of(
                "--driver-class-path",
                SubmitProcess.home().resolve("target/test-classes").toString(),
                "--conf",
                "spark.serializer=" + OutOfMemoryOnResultRead.class.getName(),
                "--input",
                SAMPLE,
                "--output",
                out.toString(),
                "--average-across-timesteps=false"));

    assertEquals(1, run.exitCode(), run::describe);
    JsonNode line = new ObjectMapper().readTree(run.lastLine());
    assertEquals("failed", line.path("status").asText(), run.stdout());
    assertEquals(1, line.path("exit_code").asInt(), run.stdout());
    String error = line.path("error").asText();
    assertTrue(
        error.contains(
            "java.lang.OutOfMemoryError: Java heap space in the driver's thread task-result-getter"),
        error);
    assertTrue(error.contains("rerun with a larger --driver-memory"), error);
    assertTrue(run.stderr().contains("seqloss: error: " + error), run::describe);
    assertFalse(Files.exists(out), "nothing is committed");
    assertEquals(List.of(), ResultFiles.leftoversBeside(out), "the staging directory is removed");
  }

  @Test
  void aMillionTimestepsFitInAOneGigabyteDriver() throws Exception {
    Path corpus = tmp.resolve("long");
    SubmitProcess generated =
        SubmitProcess.run(
            tmp.resolve("logs"),
            "generate",
            Duration.ofMinutes(5),
            List.of(
                "--driver-memory",
                "2g",
                "generate",
                "--output",
                corpus.toString(),
                "--sequences",
                "1",
                "--min-length",
                String.valueOf(T),
                "--max-length",
                String.valueOf(T),
                "--num-classes",
                "2"));
    assertEquals(0, generated.exitCode(), generated::describe);

    Path out = tmp.resolve("out");
    SubmitProcess run =
        SubmitProcess.run(
            tmp.resolve("logs"),
            "long",
            Duration.ofMinutes(6),
            List.of(
                "--driver-memory",
                "1g",
                "--input",
                corpus.toString(),
                "--output",
                out.toString(),
                "--average-across-timesteps=false"));
    assertEquals(0, run.exitCode(), run::describe);
    JsonNode summary = new ObjectMapper().readTree(run.lastLine());
    assertEquals("[" + T + "]", summary.path("result_dims").toString());

    Dataset<Row> steps = session().read().parquet(out.resolve("per_timestep").toString());
    assertEquals(1, steps.inputFiles().length, "one file, as for any per-timestep result");
    Row counts =
        steps
            .selectExpr(
                "count(*)", "min(timestep)", "max(timestep)", "min(sequences)", "max(sequences)")
            .first();
    assertEquals(
        List.of((long) T, 0, T - 1, 1L, 1L),
        List.of(counts.get(0), counts.get(1), counts.get(2), counts.get(3), counts.get(4)));
    // The report's curve, saved for compare, fits too: steps 0..1023 one row each, then 64 rows
    // per doubling; step 999,999 = 2^19 + 58·2^13 + r is in row 58 of the 10th doubling (from
    // 2^10):
    // 1024 + 9·64 + 58 + 1 = 1,659 rows holding the million tokens.
    Row curve =
        session()
            .read()
            .parquet(out.resolve("loss_by_position").toString())
            .selectExpr("count(*)", "sum(tokens)", "max(last_step)")
            .first();
    assertEquals(1659L, curve.getLong(0));
    assertEquals((long) T, curve.getLong(1));
    assertEquals((1L << 19) + 59L * (1L << 13) - 1, curve.getLong(2));
    // Steps on both sides of what a task keeps sums for, checked by hand against the corpus.
    int r = TimestepTotals.RESIDENT_STEPS;
    for (int t : new int[] {0, 1, r - 1, r, r + 1, T / 2, T - 1}) {
      Row token =
          session()
              .read()
              .parquet(corpus.toString())
              .selectExpr(
                  "element_at(logits, " + (t + 1) + ")",
                  "element_at(targets, " + (t + 1) + ")",
                  "element_at(weights, " + (t + 1) + ")")
              .first();
      List<Float> logits = token.getList(0);
      double[] l = {logits.get(0), logits.get(1)};
      double w = ((Number) token.get(2)).doubleValue();
      double ce = ByHand.logSumExp(l) - l[((Number) token.get(1)).intValue()];
      Row step = steps.where("timestep = " + t).first();
      assertEquals(w == 0 ? 0.0 : ce, step.getDouble(step.fieldIndex("loss")), 1e-12, "step " + t);
      assertEquals(w, step.getDouble(step.fieldIndex("weight_sum")), 0.0, "step " + t);
    }
  }
}
