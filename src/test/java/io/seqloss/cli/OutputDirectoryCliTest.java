package io.seqloss.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqloss.testing.CliRun;
import io.seqloss.testing.Corpora;
import io.seqloss.testing.ResultFiles;
import io.seqloss.testing.SparkTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 11's output cases through the command line: each refusal is exit 2 with the failure JSON,
 * decided before any data is read, and deletes nothing.
 */
class OutputDirectoryCliTest extends SparkTestBase {
  private Path corpus;

  @BeforeEach
  void writeCorpus() {
    corpus = Corpora.write(session(), tmp, Corpora.workedExample(), 2);
  }

  private CliRun run(String... args) {
    return CliRun.of(session(), args);
  }

  private static void assertUsage(CliRun run, String... fragments) {
    assertEquals(ExitCodes.USAGE, run.exitCode(), run.stderr());
    assertTrue(run.lastStdoutLine().contains("\"exit_code\":2"), run.stdout());
    for (String f : fragments) {
      assertTrue(run.stderr().contains(f), () -> "missing '" + f + "' in: " + run.stderr());
    }
  }

  @Test
  void aRunWhoseInputLiesInsideItsOutputIsRefusedAndTheInputKept() throws Exception {
    Path o1c = tmp.resolve("o1c");
    assertEquals(0, run("--input", corpus.toString(), "--output", o1c.toString()).exitCode());
    copy(corpus, o1c.resolve("corpus"));
    Map<String, String> before = ResultFiles.tree(o1c);

    assertUsage(
        run("--input", o1c.resolve("corpus").toString(), "--output", o1c.toString()),
        "--output " + o1c + " contains --input " + o1c.resolve("corpus"));
    assertEquals(before, ResultFiles.tree(o1c), "the output, with the input inside it, untouched");
    // Read from elsewhere, the same output is still not replaced: corpus/ is not a seqloss
    // output's.
    assertUsage(run("--input", corpus.toString(), "--output", o1c.toString()), "holds corpus");
    assertEquals(before, ResultFiles.tree(o1c));
  }

  @Test
  void anInputDirectoryWithAHandMadeSummaryIsNotReplacedByItsOwnRun() throws Exception {
    Path sj = tmp.resolve("sj");
    copy(corpus, sj);
    Files.writeString(sj.resolve("summary.json"), "{}");
    Map<String, String> before = ResultFiles.tree(sj);
    assertUsage(
        run("--input", sj.toString(), "--output", sj.toString(), "--on-invalid=skip"),
        "is --input");
    Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
    assertUsage(
        run("--input", corpus.toString(), "--output", sj.toString()), "not a seqloss output");
    assertEquals(before, ResultFiles.tree(sj));
    try (Stream<Path> beside = Files.list(tmp)) {
      assertTrue(
          beside.noneMatch(p -> p.getFileName().toString().contains(".seqloss-")),
          "nothing left beside");
    }
    assertTrue(Files.isDirectory(elsewhere));
  }

  @Test
  void anUnwritableOutputIsAUsageErrorDecidedBeforeAnyDataIsRead() throws Exception {
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    String out = file.resolve("out").toString();
    assertUsage(
        run("--input", corpus.toString(), "--output", out), "--output " + out, file.toString());
    // An input that does not exist would be exit 3 once read: the output is refused first.
    assertUsage(
        run("--input", tmp.resolve("nowhere").toString(), "--output", out), "--output " + out);
  }

  private static void copy(Path from, Path to) throws Exception {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
  }
}
