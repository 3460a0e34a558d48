package io.seqloss.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqloss.testing.SparkTestBase;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.SparkContext;
import org.junit.jupiter.api.Test;

/**
 * A job beside the driver: it runs a real Spark job with its own description, hands its failure to
 * the main thread as thrown, and a run that gives up first still waits for it.
 */
class JobBesideTheDriverTest extends SparkTestBase {

  @Test
  void runsASparkJobUnderItsOwnDescription() {
    SparkContext sc = session().sparkContext();
    sc.setJobDescription("main thread's job");
    try (JobBesideTheDriver<String> job =
        JobBesideTheDriver.start(
            sc,
            "seqloss: beside",
            () ->
                sc.getLocalProperty("spark.job.description")
                    + " / "
                    + session().range(1000).count())) {
      assertEquals("seqloss: beside / 1000", job.join());
      assertEquals("main thread's job", sc.getLocalProperty("spark.job.description"));
    } finally {
      sc.setJobDescription(null);
    }
  }

  @Test
  void aFailureIsThrownByJoinAsItWasThrown() {
    IllegalStateException thrown = new IllegalStateException("the keys are unreadable");
    try (JobBesideTheDriver<Object> job =
        JobBesideTheDriver.start(
            session().sparkContext(),
            "failing",
            () -> {
              throw thrown;
            })) {
      assertSame(thrown, assertThrows(IllegalStateException.class, job::join));
    }
  }

  @Test
  void closeWaitsForTheJobEvenWhenTheRunGaveUp() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    AtomicBoolean finished = new AtomicBoolean();
    JobBesideTheDriver<Object> job =
        JobBesideTheDriver.start(
            session().sparkContext(),
            "slow",
            () -> {
              started.countDown();
              try {
                Thread.sleep(300);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              finished.set(true);
              throw new IllegalStateException("reported only by join");
            });
    started.await();
    job.close(); // what a failing run does on its way out: no exception, but the job has ended
    assertTrue(finished.get());
  }

  @Test
  void aJobWithNothingToRunGivesItsValueAndClosesAtOnce() {
    try (JobBesideTheDriver<String> job = JobBesideTheDriver.done("no groups")) {
      assertEquals("no groups", job.join());
    }
  }
}
