package io.seqloss.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqloss.testing.ExecutorLogs;
import io.seqloss.testing.ResultFiles;
import io.seqloss.testing.SparkTestBase;
import io.seqloss.testing.StandaloneCluster;
import io.seqloss.testing.SubmitProcess;
import io.seqloss.testing.SyntheticCorpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.commons.io.FileUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * seqloss on a real Spark standalone cluster: a master and two workers on 127.0.0.1, each its own
 * JVM, started by cluster/standalone.sh, the job submitted through submit.sh like a user does. The
 * results must be bit-identical to local mode's, also when an executor or a whole worker dies
 * mid-job; a driver killed mid-run must leave the previous output untouched. The corpus has 80
 * files, and the cluster runs read one file per task, so that a fault lands while many tasks are
 * still to run.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class StandaloneClusterIT extends SparkTestBase {
  private static final int WORKERS = 2;
  private static final SyntheticCorpus CORPUS = new SyntheticCorpus(50, 10, 8, 40, 500);
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(6);

  /** A task index no job but the evaluation reaches (the footer job has at most 8 tasks here). */
  private static final int EVALUATION_TASK_INDEX = 10;

  /** The reductions whose results are compared, by the result directory they write. */
  private static final Map<String, List<String>> REDUCTIONS =
      Map.of(
          "scalar", List.of(),
          "per_sequence", List.of("--average-across-batch", "false"),
          "per_timestep", List.of("--average-across-timesteps", "false"));

  private static Path work;
  private static Path corpus;
  private static StandaloneCluster cluster;
  private static final Map<String, Path> LOCAL_RESULTS = new HashMap<>();
  private final List<SubmitProcess> started = new ArrayList<>();

  @BeforeAll
  static void startCluster() throws IOException {
    work = SubmitProcess.home().resolve("target/it-cluster");
    FileUtils.deleteDirectory(work.toFile());
    cluster = StandaloneCluster.start(work.resolve("cluster"), WORKERS);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @BeforeEach
  void corpusAndQuietCluster() {
    if (corpus == null) {
      corpus = CORPUS.write(session(), work.resolve("corpus"));
    }
    cluster.awaitNoExecutors(WORKERS, Duration.ofMinutes(1));
  }

  @org.junit.jupiter.api.AfterEach
  void killLeftoverDrivers() {
    started.forEach(SubmitProcess::close);
  }

  @Test
  @Order(1)
  void clusterResultsAreBitIdenticalToLocalMode() {
    for (String reduction : List.of("scalar", "per_sequence", "per_timestep")) {
      Path local = localResult(reduction);
      SubmitProcess run =
          track(
              SubmitProcess.run(
                  work.resolve("logs"),
                  "cluster-" + reduction,
                  RUN_TIMEOUT,
                  clusterArgs(reduction, work.resolve("cluster-" + reduction))));
      assertEquals(0, run.exitCode(), run::describe);
      assertSameResult(local, work.resolve("cluster-" + reduction), reduction);
    }
  }

  /**
   * An executor SIGKILLed in the middle of an evaluation task: Spark retries the task elsewhere.
   * Should the kill land in the instant between two tasks (then no task is lost), the replacement
   * executor is killed in turn, at most three times.
   */
  @Test
  @Order(2)
  void executorKilledMidTaskIsRetriedAndChangesNothing() {
    ClusterRun run = startOnCluster("executor-killed", "per_sequence");
    boolean taskLost = false;
    for (int kills = 0; !taskLost; kills++) {
      assertTrue(kills < 3, "three kills fell between tasks");
      awaitEvaluationTaskRunningOn(1, run);
      List<ProcessHandle> executors = cluster.executors(1);
      assertEquals(1, executors.size(), "worker 1 should run one executor for the job");
      ProcessHandle executor = executors.get(0);
      Path log = cluster.executorLog(1, executor);
      executor.destroyForcibly();
      executor.onExit().join();
      // A dead executor's log grows no more: a task it started and did not finish died with it.
      taskLost = run.executorLogs().runsEvaluationTask(log.toString());
    }
    assertSucceedsLikeLocalMode(run, "per_sequence");
    assertTrue(
        run.executorLogs().retriedEvaluationTasks() > 0, "the lost task should have been retried");
    assertTrue(
        run.driverLog().contains("Lost executor"),
        "the driver should have lost the executor: " + run.process().describe());
  }

  @Test
  @Order(3)
  void driverKilledMidRerunLeavesThePreviousOutputUntouched() throws IOException {
    Path out = work.resolve("driver-killed-rerun");
    FileUtils.copyDirectory(localResult("scalar").toFile(), out.toFile());
    Map<String, String> before = ResultFiles.tree(out);

    killDriverMidRun("driver-killed-rerun");

    assertEquals(before, ResultFiles.tree(out), "the previous output must be exactly as it was");
    assertFalse(
        ResultFiles.leftoversBeside(out).isEmpty(),
        "the killed run should have been writing to its hidden staging directory");
  }

  @Test
  @Order(4)
  void driverKilledInItsFirstRunLeavesNoSummary() {
    Path out = work.resolve("driver-killed-first");
    killDriverMidRun("driver-killed-first");
    assertFalse(
        Files.exists(out.resolve("summary.json")), "a killed first run must leave no summary.json");
    assertFalse(Files.exists(out), "nor any output directory");
  }

  /**
   * A row that breaks the input contract fails the same way on every attempt, so the run stops at
   * the first failed task instead of retrying it up to spark.task.maxFailures (4) times. Here every
   * row is invalid (V = numClasses - 1 is asserted); the tasks that had already started when the
   * first failure cancelled the stage may have been relaunched once, no more.
   */
  @Test
  @Order(5)
  void invalidInputFailsAtOnceInsteadOfBeingRetried() {
    Path out = work.resolve("invalid-input");
    Set<Path> earlierLogs = new HashSet<>(cluster.executorLogs());
    List<String> args =
        new ArrayList<>(
            List.of(
                "--conf",
                "spark.task.maxFailures=4",
                "--num-classes",
                String.valueOf(CORPUS.numClasses() - 1)));
    args.addAll(clusterArgs("scalar", out));
    SubmitProcess process =
        track(SubmitProcess.run(work.resolve("logs"), "invalid-input", RUN_TIMEOUT, args));
    assertEquals(3, process.exitCode(), process::describe);
    assertTrue(
        process.lastLine().contains("logits") && process.lastLine().contains("expected V="),
        process::describe);
    assertTrue(
        process
            .stderr()
            .contains("failed on invalid input; the stage is cancelled rather than retried"),
        process::describe);
    int highestAttempt = new ClusterRun(process, out, earlierLogs).executorLogs().highestAttempt();
    assertTrue(
        highestAttempt >= 0 && highestAttempt <= 1,
        "task attempts up to ."
            + highestAttempt
            + "; Spark alone would have run each failing task 4 times (attempts .0 to .3)");
    assertFalse(Files.exists(out), "a failed first run leaves no output directory");
  }

  /** Last: the cluster has one worker left afterwards. */
  @Test
  @Order(6)
  void workerLostForGoodJobFinishesOnTheOther() {
    ClusterRun run = startOnCluster("worker-lost", "per_timestep");
    awaitEvaluationTaskRunningOn(2, run);
    cluster.killWorker(2);
    long doneOnWorker1 = run.executorLogs().finishedEvaluationTasks("/worker-1/");

    assertSucceedsLikeLocalMode(run, "per_timestep");
    assertTrue(
        run.executorLogs().finishedEvaluationTasks("/worker-1/") > doneOnWorker1,
        "the evaluation should have gone on on worker 1");
    assertTrue(
        run.driverLog().contains("Lost executor"),
        "the driver should have lost worker 2's executor: " + run.process().describe());
    StandaloneCluster.await(
        Duration.ofSeconds(30),
        "the master to remove worker 2",
        () -> cluster.log("master").contains("Removing worker"));
  }

  private void assertSucceedsLikeLocalMode(ClusterRun run, String reduction) {
    run.process().await(RUN_TIMEOUT);
    assertEquals(0, run.process().exitCode(), run.process()::describe);
    assertSameResult(localResult(reduction), run.out(), reduction);
  }

  /**
   * Starts a per-sequence run into work/NAME and SIGKILLs its driver while the tasks write their
   * output.
   */
  private void killDriverMidRun(String name) {
    ClusterRun run = startOnCluster(name, "per_sequence");
    awaitEvaluationProgress(run);
    run.process().kill();
    assertFalse(run.process().isAlive());
    // The executors exit once their driver is gone; wait, so that nothing writes any more.
    cluster.awaitNoExecutors(WORKERS, Duration.ofMinutes(1));
  }

  /**
   * A job submitted to the cluster, and the executor logs that were there before it: not its own.
   */
  private record ClusterRun(SubmitProcess process, Path out, Set<Path> earlierLogs) {
    String driverLog() {
      return process.stderr();
    }

    /** What the executors started for this run did. */
    ExecutorLogs executorLogs() {
      return new ExecutorLogs(
          cluster.executorLogs().stream().filter(p -> !earlierLogs.contains(p)).toList(),
          EVALUATION_TASK_INDEX);
    }
  }

  /** Submits a run whose output is work/NAME. */
  private ClusterRun startOnCluster(String name, String reduction) {
    Path out = work.resolve(name);
    Set<Path> earlierLogs = new HashSet<>(cluster.executorLogs());
    SubmitProcess process =
        track(SubmitProcess.start(work.resolve("logs"), name, clusterArgs(reduction, out)));
    return new ClusterRun(process, out, earlierLogs);
  }

  private List<String> clusterArgs(String reduction, Path out) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--master",
                cluster.url(),
                "--conf",
                "spark.executor.memory=512m",
                // one task per file (the files are far smaller than this), so a job has 80 tasks
                "--conf",
                "spark.sql.files.maxPartitionBytes=1m",
                "--input",
                corpus.toString(),
                "--output",
                out.toString()));
    args.addAll(REDUCTIONS.get(reduction));
    return args;
  }

  /**
   * The local-mode result of a reduction (Spark's default partitioning: a few large tasks), made
   * once.
   */
  private Path localResult(String reduction) {
    return LOCAL_RESULTS.computeIfAbsent(
        reduction,
        r -> {
          Path out = work.resolve("local-" + r);
          List<String> args =
              new ArrayList<>(
                  List.of(
                      "--master",
                      "local[2]",
                      "--input",
                      corpus.toString(),
                      "--output",
                      out.toString()));
          args.addAll(REDUCTIONS.get(r));
          SubmitProcess run =
              track(SubmitProcess.run(work.resolve("logs"), "local-" + r, RUN_TIMEOUT, args));
          assertEquals(0, run.exitCode(), run::describe);
          return out;
        });
  }

  private void assertSameResult(Path expected, Path actual, String reduction) {
    assertEquals(
        ResultFiles.summaryOfResult(expected),
        ResultFiles.summaryOfResult(actual),
        reduction + ": summary.json");
    assertEquals(
        CORPUS.rows(),
        ResultFiles.summary(actual).get("input_rows").asLong(),
        "every row read once");
    if (!reduction.equals("scalar")) {
      List<String> rows = ResultFiles.rowsBitExact(session(), actual.resolve(reduction));
      assertEquals(
          ResultFiles.rowsBitExact(session(), expected.resolve(reduction)),
          rows,
          reduction + " rows");
    }
  }

  /** Waits until the evaluation has finished a few tasks, with many still to run. */
  private void awaitEvaluationProgress(ClusterRun run) {
    awaitRunning(
        run,
        "the evaluation to be under way",
        () -> run.executorLogs().finishedEvaluationTasks() >= 4);
  }

  /**
   * Waits until the evaluation is under way and worker i's executor is in the middle of one of its
   * tasks, so that a fault there loses a running task.
   */
  private void awaitEvaluationTaskRunningOn(int worker, ClusterRun run) {
    awaitRunning(
        run,
        "an evaluation task on worker " + worker,
        () -> {
          ExecutorLogs logs = run.executorLogs();
          return logs.finishedEvaluationTasks() >= 4
              && logs.runsEvaluationTask("/worker-" + worker + "/");
        });
  }

  private static void awaitRunning(ClusterRun run, String what, BooleanSupplier condition) {
    StandaloneCluster.await(
        RUN_TIMEOUT,
        what,
        () -> {
          if (!run.process().isAlive()) {
            throw new AssertionError(
                "the run ended before the fault could be injected: " + run.process().describe());
          }
          return condition.getAsBoolean();
        });
  }

  private SubmitProcess track(SubmitProcess p) {
    started.add(p);
    return p;
  }
}
