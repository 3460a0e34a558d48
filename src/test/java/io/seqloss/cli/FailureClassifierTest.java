package io.seqloss.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;

/** Exit codes and messages of failures that reach the top level. */
class FailureClassifierTest {

  @Test
  void outOfMemoryIsARetryableFailureThatSuggestsMoreDriverMemory() {
    FailureClassifier.Classified onDriver =
        FailureClassifier.classify(
            new SparkException("Job aborted", new OutOfMemoryError("Java heap space")));
    assertEquals(ExitCodes.FAILURE, onDriver.exitCode());
    assertTrue(onDriver.message().contains("Java heap space"), onDriver.message());
    assertTrue(onDriver.message().contains("--driver-memory"), onDriver.message());

    // A task's error reaches the driver as text only.
    FailureClassifier.Classified inTask =
        FailureClassifier.classify(
            new SparkException(
                "Job aborted due to stage failure: Task 0 in stage 2.0 failed 4 times, most recent failure: "
                    + "java.lang.OutOfMemoryError: Java heap space"));
    assertEquals(ExitCodes.FAILURE, inTask.exitCode());
    assertTrue(inTask.message().contains("--executor-memory"), inTask.message());
  }
}
