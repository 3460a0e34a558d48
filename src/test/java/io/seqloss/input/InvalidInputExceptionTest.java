package io.seqloss.input;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class InvalidInputExceptionTest {

  @Test
  void theMessageIsFoundInsideSparksReportsUpToTheEndOfItsLine() {
    String message =
        "file f.parquet, row 3 (id x), column 'targets': step 1 has target 9; expected a class id in [0, 4)";
    String trace =
        "org.apache.spark.SparkException: Task failed while writing rows to file:/out\n"
            + "\tat org.apache.spark.sql.errors...\n"
            + "Caused by: io.seqloss.input.InvalidInputException: "
            + new InvalidInputException(message).getMessage()
            + "\n\tat io.seqloss.eval.PartitionEvaluator...";
    assertEquals(Optional.of(message), InvalidInputException.findIn(trace));
    assertEquals(
        Optional.of(message),
        InvalidInputException.findIn(new InvalidInputException(message).getMessage()));
    assertEquals(
        Optional.empty(), InvalidInputException.findIn("java.io.IOException: connection reset"));
    assertEquals(Optional.empty(), InvalidInputException.findIn(null));
    assertEquals(message, new InvalidInputException(message).describe());
  }
}
