package io.seqloss.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqloss.testing.CliRun;
import io.seqloss.testing.Corpora;
import io.seqloss.testing.CorpusRow;
import io.seqloss.testing.OutOfMemoryLoss;
import io.seqloss.testing.ResultFiles;
import io.seqloss.testing.SlowLoss;
import io.seqloss.testing.SparkTestBase;
import io.seqloss.testing.SubmitProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs that end from outside, through submit.sh: a SIGTERM (Airflow's timeout) and Spark's own exit
 * after an OutOfMemoryError in a task. Each ends with the failure JSON and a documented exit code,
 * removes its staging directory and leaves the previous output as it was.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class TerminationIT extends SparkTestBase {
  private static final Duration STARTUP = Duration.ofMinutes(3);
  private Path corpus;
  private Path out;
  private Map<String, String> previous;

  @BeforeEach
  void corpusAndPreviousOutput() {
    // 40 rows of 50 tokens: 40 s of SlowLoss, far longer than the test waits.
    List<CorpusRow> rows = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      float[][] logits = new float[50][];
      int[] targets = new int[50];
      for (int t = 0; t < 50; t++) {
        logits[t] = new float[] {i % 3, t % 5, 1};
        targets[t] = (i + t) % 3;
      }
      rows.add(CorpusRow.of("s" + i, logits, targets, null));
    }
    corpus = Corpora.write(session(), tmp, rows, 4);
    out = tmp.resolve("out");
    CliRun first = CliRun.of(session(), "--input", corpus.toString(), "--output", out.toString());
    assertEquals(0, first.exitCode(), first.stderr());
    previous = ResultFiles.tree(out);
  }

  @Test
  void sigtermEndsTheRunWithExitCode143AndTheFailureJson() throws Exception {
    SubmitProcess run =
        SubmitProcess.start(tmp.resolve("logs"), "sigterm", withLoss(SlowLoss.class));
    try (run) {
      long deadline = System.nanoTime() + STARTUP.toNanos();
      while (!run.stderr().contains("reading the corpus as")) { // the evaluation job is starting
        assertTrue(run.isAlive() && System.nanoTime() < deadline, run::describe);
        Thread.sleep(200);
      }
      Thread.sleep(1000);
      run.terminate(Duration.ofSeconds(60)); // SIGTERM; then no more than Airflow's grace time
    }
    assertEquals(143, run.exitCode(), run::describe);
    JsonNode line = failureLine(run, 143);
    assertTrue(line.get("error").asText().contains("SIGTERM"), line::toString);
    assertEquals(previous, ResultFiles.tree(out), "the previous output, byte for byte");
    assertEquals(List.of(), ResultFiles.leftoversBeside(out), "the staging directory is removed");
  }

  /** In local mode Spark exits the JVM with status 52, which is not one of seqloss's exit codes. */
  @Test
  void outOfMemoryInATaskEndsWithExitCodeOneAndTheFailureJson() throws Exception {
    SubmitProcess run =
        SubmitProcess.run(tmp.resolve("logs"), "oom", STARTUP, withLoss(OutOfMemoryLoss.class));
    assertEquals(1, run.exitCode(), run::describe);
    JsonNode line = failureLine(run, 1);
    assertTrue(line.get("error").asText().contains("--driver-memory"), line::toString);
    assertEquals(previous, ResultFiles.tree(out), "the previous output, byte for byte");
    assertEquals(List.of(), ResultFiles.leftoversBeside(out), "the staging directory is removed");
  }

  private List<String> withLoss(Class<?> loss) {
    return List.of(
        "--driver-class-path",
        SubmitProcess.home().resolve("target/test-classes").toString(),
        "--input",
        corpus.toString(),
        "--output",
        out.toString(),
        "--loss",
        loss.getName());
  }

  private static JsonNode failureLine(SubmitProcess run, int exitCode) throws IOException {
    JsonNode line = new ObjectMapper().readTree(run.lastLine());
    assertEquals("failed", line.path("status").asText(), run.stdout());
    assertEquals(exitCode, line.path("exit_code").asInt(), run.stdout());
    assertTrue(
        run.stderr().contains("seqloss: error: " + line.path("error").asText()), run::describe);
    return line;
  }
}
