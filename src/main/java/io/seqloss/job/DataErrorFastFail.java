package io.seqloss.job;

import io.seqloss.input.InvalidInputException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.ExceptionFailure;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Ends a job at the first task that fails on invalid input, instead of letting Spark retry it.
 *
 * <p>Spark retries a failed task up to {@code spark.task.maxFailures} times (4 on a cluster), which
 * helps with a lost executor or a flaky read but not with a row that breaks the input contract:
 * every attempt re-reads its split up to the same row and fails the same way, and the run reports
 * the error only after the last one. This listener sees the first task failure whose error is
 * seqloss's {@link InvalidInputException} (directly or as a cause, by its marker in Spark's report)
 * and cancels that stage; the run then fails with that error (exit code 3). Other failures are
 * retried as usual.
 */
final class DataErrorFastFail extends SparkListener {
  private static final Logger LOG = LogManager.getLogger(DataErrorFastFail.class);

  private static final Pattern LOCAL_WITH_RETRIES =
      Pattern.compile("local\\[[^,\\]]+,\\s*(\\d+)\\s*]");

  private final SparkContext spark;

  /**
   * False where Spark does not retry a failed task anyway (local mode): there is nothing to stop.
   */
  private final boolean retried;

  private String firstError;

  DataErrorFastFail(SparkContext spark) {
    this.spark = spark;
    this.retried =
        maxTaskFailures(spark.master(), spark.conf().getInt("spark.task.maxFailures", 4)) > 1;
  }

  /**
   * How many times Spark runs a task before the job fails: in local mode once ({@code local[N]}) or
   * F times ({@code local[N,F]}); elsewhere {@code spark.task.maxFailures}.
   */
  static int maxTaskFailures(String master, int configured) {
    if (master.equals("local") || master.startsWith("local[")) {
      Matcher m = LOCAL_WITH_RETRIES.matcher(master);
      return m.matches() ? Integer.parseInt(m.group(1)) : 1;
    }
    return configured;
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd event) {
    if (!retried || !(event.reason() instanceof ExceptionFailure failure)) {
      return;
    }
    Optional<String> error =
        InvalidInputException.findIn(failure.description())
            .or(() -> InvalidInputException.findIn(failure.fullStackTrace()));
    if (error.isEmpty() || !recordFirst(error.get())) {
      return;
    }
    LOG.info(
        "task {} of stage {} failed on invalid input; the stage is cancelled rather than retried",
        event.taskInfo().id(),
        event.stageId());
    spark.cancelStage(event.stageId(), "seqloss: invalid input (not retried): " + error.get());
  }

  private synchronized boolean recordFirst(String error) {
    if (firstError != null) {
      return false;
    }
    firstError = error;
    return true;
  }

  /**
   * The first invalid-input error a task failed with, as the run should report it; empty if none.
   */
  synchronized Optional<InvalidInputException> dataError(Throwable jobFailure) {
    return Optional.ofNullable(firstError)
        .map(message -> new InvalidInputException(message, jobFailure));
  }
}
