package io.seqloss.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqloss.output.OutputDirectory;
import io.seqloss.testing.Corpora;
import io.seqloss.testing.CorpusRow;
import io.seqloss.testing.ResultFiles;
import io.seqloss.testing.SparkTestBase;
import io.seqloss.testing.SubmitProcess;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Reruns into the same --output through submit.sh (local mode): a successful run replaces the
 * previous output as a whole; a failed one leaves it exactly as it was and removes its own staging
 * directory. (Drivers killed mid-run are in StandaloneClusterIT.)
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class RerunIT extends SparkTestBase {
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);
  private static final Path SAMPLE =
      SubmitProcess.home().resolve("examples/sentiment/sentiment.parquet");

  private Path out;

  @BeforeEach
  void outputDir() {
    out = tmp.resolve("out");
  }

  @Test
  void successfulRerunReplacesTheWholeOutput() {
    assertSucceeds(run("first", SAMPLE, "--average-across-batch", "false"));
    assertTrue(Files.isDirectory(out.resolve("per_sequence")));

    assertSucceeds(run("second", SAMPLE));
    // (.crc files are the checksums Hadoop's local file system writes beside each file)
    assertEquals(
        Set.of("summary.json", "report.html", "loss_by_position", "_SEQLOSS"),
        ResultFiles.tree(out).keySet().stream()
            .filter(f -> !f.endsWith(".crc"))
            .map(f -> f.split("/")[0])
            .collect(Collectors.toSet()),
        "the scalar run's output alone: nothing of the per-sequence run is left");
    assertEquals(
        List.of(), ResultFiles.leftoversBeside(out), "no staging or previous output beside it");
  }

  @Test
  void rerunFailingOnAnInvalidRowLeavesThePreviousOutputAsItWas() {
    assertSucceeds(run("first", SAMPLE, "--average-across-batch", "false"));
    Map<String, String> before = ResultFiles.tree(out);

    // Fails in the evaluation, after the staging directory was made and partly written.
    List<CorpusRow> rows = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      rows.add(
          CorpusRow.of(
              "s" + i, new float[][] {{1, 2}}, new int[] {i == 37 ? 5 : 0}, new float[] {1}));
    }
    Path invalid = Corpora.write(session(), tmp.resolve("invalid"), rows, 4);
    SubmitProcess failed = run("invalid-row", invalid, "--average-across-batch", "false");
    assertEquals(3, failed.exitCode(), failed::describe);

    assertEquals(before, ResultFiles.tree(out), "the previous output, byte for byte");
    assertEquals(
        List.of(),
        ResultFiles.leftoversBeside(out),
        "the failed run removed its staging directory");
  }

  @Test
  void rerunOnATruncatedFileFailsNamingItAndLeavesThePreviousOutput() throws IOException {
    assertSucceeds(run("first", SAMPLE));
    Map<String, String> before = ResultFiles.tree(out);

    Path corpus = Files.createDirectories(tmp.resolve("with-truncated"));
    Files.copy(SAMPLE, corpus.resolve("a.parquet"));
    Path truncated = corpus.resolve("b.parquet");
    Files.copy(SAMPLE, truncated);
    try (RandomAccessFile file = new RandomAccessFile(truncated.toFile(), "rw")) {
      file.setLength(file.length() - 100);
    }
    SubmitProcess failed = run("truncated", corpus);
    assertEquals(3, failed.exitCode(), failed::describe);
    assertTrue(
        failed.lastLine().contains("b.parquet") && failed.lastLine().contains("\"exit_code\":3"),
        failed.lastLine());
    assertEquals(before, ResultFiles.tree(out));

    SubmitProcess skipped = run("truncated-skip", corpus, "--on-invalid", "skip");
    assertSucceeds(skipped);
    assertTrue(ResultFiles.summary(out).get("skipped_files").toString().contains("b.parquet"));
  }

  /**
   * Issue 11 case 3 (and 7) with real processes: run A is held between the two renames of its
   * commit by the test hook, its output moved aside; run B is refused by A's lock. A is then killed
   * in that window; run C restores the previous output, takes over the dead run's lock at once, and
   * commits.
   */
  @Test
  void aRunCommittingHoldsTheLockAgainstASecondAndAKilledOnesLockAndPreviousOutputAreRecovered()
      throws Exception {
    assertSucceeds(run("first", SAMPLE));
    Path lock = out.resolveSibling(".out.seqloss-lock");
    try (SubmitProcess a =
        SubmitProcess.start(
            tmp.resolve("logs"),
            "a-held-in-commit",
            List.of(
                "--driver-java-options",
                "-D" + OutputDirectory.COMMIT_DELAY_PROPERTY + "=600000",
                "--input",
                SAMPLE.toString(),
                "--output",
                out.toString(),
                "--average-across-batch",
                "false"))) {
      awaitLog(a, "waiting 600000 ms between the two renames of the commit");
      assertTrue(
          !Files.exists(out)
              && ResultFiles.leftoversBeside(out).stream()
                  .anyMatch(n -> n.startsWith(".out.seqloss-previous-")),
          "A is between its renames: " + ResultFiles.leftoversBeside(out));
      Matcher holder = Pattern.compile("run (\\S+) holds the lock").matcher(a.stderr());
      assertTrue(holder.find(), a::describe);

      SubmitProcess b = run("b-refused", SAMPLE);
      assertEquals(2, b.exitCode(), b::describe);
      for (String fragment :
          List.of(
              "is locked by run " + holder.group(1), "lock file file:" + lock, "last heartbeat")) {
        assertTrue(
            b.lastLine().contains(fragment), "missing '" + fragment + "' in " + b.lastLine());
      }
      assertTrue(a.isAlive(), "B was refused while A held the lock");
      a.kill();
    }
    assertTrue(Files.exists(lock), "a killed run cannot remove its lock");

    SubmitProcess c = run("c-after-the-kill", SAMPLE, "--average-across-timesteps", "false");
    assertSucceeds(c);
    assertTrue(c.stderr().contains("its process no longer exists on this host"), c::describe);
    assertTrue(
        c.stderr().contains("a run was killed between the two renames of its commit"), c::describe);
    assertEquals("[T]", ResultFiles.summary(out).get("result_shape").asText());
    assertFalse(Files.exists(lock));
    List<String> beside = ResultFiles.leftoversBeside(out);
    assertTrue(
        beside.size() == 1 && beside.get(0).startsWith(".out.seqloss-staging-"),
        "only the killed run's staging directory, kept until it is 7 days old: " + beside);
  }

  /**
   * Issue 11 case 1 through submit.sh: an input inside the output is refused, before it is read.
   */
  @Test
  void aRunWhoseInputLiesInsideItsOutputIsRefusedAndDeletesNothing() throws IOException {
    assertSucceeds(run("first", SAMPLE));
    Path inside = Files.createDirectories(out.resolve("corpus"));
    Files.copy(SAMPLE, inside.resolve("part-0.parquet"));
    Map<String, String> before = ResultFiles.tree(out);
    SubmitProcess refused = run("input-inside-output", inside);
    assertEquals(2, refused.exitCode(), refused::describe);
    assertTrue(refused.lastLine().contains("contains --input " + inside), refused.lastLine());
    assertEquals(before, ResultFiles.tree(out));
    assertEquals(List.of(), ResultFiles.leftoversBeside(out));
  }

  private static void awaitLog(SubmitProcess p, String line) throws InterruptedException {
    long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
    while (!p.stderr().contains(line)) {
      assertTrue(
          p.isAlive() && System.nanoTime() < deadline,
          () -> "never logged '" + line + "': " + p.describe());
      Thread.sleep(200);
    }
  }

  private SubmitProcess run(String name, Path input, String... options) {
    List<String> args =
        new ArrayList<>(List.of("--input", input.toString(), "--output", out.toString()));
    args.addAll(List.of(options));
    return SubmitProcess.run(tmp.resolve("logs"), name, RUN_TIMEOUT, args);
  }

  private static void assertSucceeds(SubmitProcess run) {
    assertEquals(0, run.exitCode(), run::describe);
  }
}
