package io.seqloss.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DataErrorFastFailTest {

  @Test
  void localModeRunsATaskOnceUnlessItsMasterSaysOtherwise() {
    assertEquals(1, DataErrorFastFail.maxTaskFailures("local", 4));
    assertEquals(1, DataErrorFastFail.maxTaskFailures("local[2]", 4));
    assertEquals(1, DataErrorFastFail.maxTaskFailures("local[*]", 4));
    assertEquals(3, DataErrorFastFail.maxTaskFailures("local[2,3]", 4));
    assertEquals(4, DataErrorFastFail.maxTaskFailures("local[*, 4]", 1));
  }

  @Test
  void clustersRetryAsConfigured() {
    assertEquals(4, DataErrorFastFail.maxTaskFailures("spark://127.0.0.1:7077", 4));
    assertEquals(8, DataErrorFastFail.maxTaskFailures("yarn", 8));
    assertEquals(4, DataErrorFastFail.maxTaskFailures("local-cluster[2,1,1024]", 4));
  }
}
