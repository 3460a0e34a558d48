package io.seqloss.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqloss.output.RunSummary;
import io.seqloss.output.SummaryJson;
import io.seqloss.testing.CliRun;
import io.seqloss.testing.Corpora;
import io.seqloss.testing.FullDiskFileSystem;
import io.seqloss.testing.ResultFiles;
import io.seqloss.testing.SchemedLocalFileSystem;
import io.seqloss.testing.SparkTestBase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The command line: options, the config file, usage errors (exit 2) and output replacement. */
class CommandLineTest extends SparkTestBase {
  private String corpus;
  private String out;

  @BeforeEach
  void writeCorpus() {
    corpus = Corpora.write(session(), tmp, Corpora.workedExample(), 1).toString();
    out = tmp.resolve("out").toString();
  }

  private CliRun run(String... args) {
    return CliRun.of(session(), args);
  }

  private static void assertUsage(CliRun run, String fragment) {
    assertEquals(ExitCodes.USAGE, run.exitCode(), run.stderr());
    assertTrue(
        run.stderr().contains(fragment), () -> "missing '" + fragment + "' in: " + run.stderr());
  }

  /** The README's promise: every failure ends stdout with this line, and says so on stderr. */
  private static void assertFailureJson(CliRun run, int exitCode, String fragment) {
    assertEquals(exitCode, run.exitCode(), run.stderr());
    JsonNode line;
    try {
      line = new ObjectMapper().readTree(run.lastStdoutLine());
    } catch (IOException e) {
      throw new AssertionError("the last stdout line is not JSON: " + run.stdout(), e);
    }
    assertEquals("failed", line.path("status").asText(), run.stdout());
    assertEquals(exitCode, line.path("exit_code").asInt(), run.stdout());
    assertTrue(
        line.path("error").asText().contains(fragment),
        () -> "missing '" + fragment + "' in: " + line);
    assertTrue(
        run.stderr().contains("seqloss: error: " + line.path("error").asText()), run.stderr());
  }

  @Test
  void helpListsOptionsAndExitCodes() {
    CliRun help = run("--help");
    assertEquals(0, help.exitCode());
    assertTrue(help.stdout().contains("--average-across-timesteps=<bool>"), help.stdout());
    assertTrue(help.stdout().contains("--on-invalid=POLICY"), help.stdout());
    assertTrue(help.stdout().contains("3   invalid input data"), help.stdout());
  }

  @Test
  void summaryIsTheLastStdoutLine() {
    CliRun run = run("--input", corpus, "--output", out);
    assertEquals(0, run.exitCode(), run.stderr());
    RunSummary summary = SummaryJson.fromJson(run.lastStdoutLine());
    assertEquals(0.3881192042, summary.result().loss(), 1e-9);
    assertTrue(run.stderr().contains("seqloss: loss = 0.3881192042"), run.stderr());
  }

  @Test
  void usageErrors() {
    assertUsage(run("--input", corpus, "--output", out, "--bogus"), "Unknown option: '--bogus'");
    assertUsage(run("--input", corpus), "--output is required");
    assertUsage(
        run("--input", corpus, "--output", out, "--sum-over-timesteps=true"),
        "--average-across-timesteps and --sum-over-timesteps are both true");
    assertUsage(
        run(
            "--input",
            corpus,
            "--output",
            out,
            "--average-across-batch=false",
            "--sum-over-batch=true",
            "--average-across-timesteps=true"),
        "silently ignores");
    assertUsage(
        run("--input", corpus, "--output", out, "--on-invalid=maybe"),
        "Invalid value for option '--on-invalid': expected one of [FAIL, SKIP] (case-insensitive) but was 'maybe'");
    assertUsage(run("--input", corpus, "--output", out, "--loss", "hinge"), "not a built-in loss");
    assertUsage(
        run("--input", corpus, "--output", out, "--loss", "com.example.Missing"),
        "class not found");
    assertUsage(
        run("--input", corpus, "--output", out, "--loss", "java.lang.String"),
        "does not implement io.seqloss.loss.TokenLoss");
    assertUsage(
        run("--input", corpus, "--output", out, "--num-classes", "0"),
        "--num-classes must be at least 1");
    assertUsage(run("--input", corpus, "--output", out, "--average-across-batch=maybe"), "maybe");
  }

  @Test
  void parseErrorsEndWithTheFailureJson() {
    assertFailureJson(
        run("--input", corpus, "--output", out, "--average-across-batch=flase"),
        ExitCodes.USAGE,
        "'flase' is not a boolean");
    assertFailureJson(
        run("--input", corpus, "--output", out, "--bogus"),
        ExitCodes.USAGE,
        "Unknown option: '--bogus'");
    assertFailureJson(
        run("generate", "--sequences", "3"),
        ExitCodes.USAGE,
        "Missing required option: '--output=DIR'");
  }

  /** As git and kubectl: the error and where to look, not the 90 lines of --help. */
  @Test
  void usageErrorsPointToHelpInsteadOfPrintingIt() {
    CliRun typo = run("--input", corpus, "--output", out, "--average-across-batch=flase");
    assertEquals(
        List.of(
            "seqloss: error: Invalid value for option '--average-across-batch': 'flase' is not a boolean",
            "Try './submit.sh --help' for more information."),
        typo.stderr().lines().toList());
    CliRun misspelt = run("--input", corpus, "--output", out, "--average-accross-batch=false");
    assertEquals(
        List.of(
            "seqloss: error: Unknown option: '--average-accross-batch=false'",
            "Possible solutions: --average-across-timesteps, --average-across-batch",
            "Try './submit.sh --help' for more information."),
        misspelt.stderr().lines().toList());
    CliRun generate = run("generate", "--sequences", "3");
    assertEquals(
        List.of(
            "seqloss: error: Missing required option: '--output=DIR'",
            "Try './submit.sh generate --help' for more information."),
        generate.stderr().lines().toList());
  }

  /**
   * --format, --sampler and --on-invalid are enums: --help lists their values, any case is
   * accepted.
   */
  @Test
  void enumOptionsListTheirValuesAndAcceptAnyCase() {
    String help = run("--help").stdout().replaceAll("\\s+", " ");
    assertTrue(help.contains("--format=FORMAT Input format (parquet, arrow);"), help);
    assertTrue(
        help.contains("the candidate sampler (log_uniform, uniform; default: log_uniform)"), help);
    assertTrue(
        help.contains("--on-invalid=POLICY What to do with invalid rows (fail, skip)."), help);
    assertTrue(
        run("generate", "--help")
            .stdout()
            .replaceAll("\\s+", " ")
            .contains("File format (parquet, arrow):"));

    CliRun upper =
        run(
            "--input",
            corpus,
            "--output",
            out,
            "--format",
            "PARQUET",
            "--on-invalid",
            "Skip",
            "--loss",
            "sampled_softmax",
            "--num-sampled",
            "2",
            "--sampler",
            "UNIFORM");
    assertEquals(0, upper.exitCode(), upper.stderr());
    RunSummary summary = SummaryJson.fromJson(upper.lastStdoutLine());
    assertEquals(
        "uniform", summary.lossSpec().lossOptions().get("sampler"), upper.lastStdoutLine());
  }

  @Test
  void aBadValueInTheConfigFileNamesTheFile() throws IOException {
    Path config = tmp.resolve("job.properties");
    Files.writeString(config, "average-across-batch=maybe\n");
    assertFailureJson(
        run("--config", config.toString(), "--input", corpus, "--output", out),
        ExitCodes.USAGE,
        "--config "
            + config
            + ": Invalid value for option '--average-across-batch': 'maybe' is not a boolean");
    // The same bad value on the command line is the command line's: no file named.
    CliRun flag =
        run(
            "--config",
            config.toString(),
            "--input",
            corpus,
            "--output",
            out,
            "--average-across-batch",
            "perhaps");
    assertFailureJson(
        flag, ExitCodes.USAGE, "Invalid value for option '--average-across-batch': 'perhaps'");
    assertFalse(flag.lastStdoutLine().contains(config.toString()), flag.lastStdoutLine());
  }

  /**
   * An Error, not an Exception: Hadoop's local file system raises FSError when the disk is full.
   */
  @Test
  void anErrorThrownInsideTheRunEndsWithTheFailureJsonAndExitCodeOne() {
    try (var fullDisk =
        SchemedLocalFileSystem.register(
            session().sparkContext().hadoopConfiguration(),
            FullDiskFileSystem.SCHEME,
            FullDiskFileSystem.class)) {
      Path target = tmp.resolve("full");
      CliRun run = run("--input", corpus, "--output", FullDiskFileSystem.SCHEME + "://" + target);
      assertFailureJson(run, ExitCodes.FAILURE, "FSError");
      assertTrue(run.lastStdoutLine().contains("No space left on device"), run.lastStdoutLine());
      assertFalse(Files.exists(target));
      assertEquals(
          List.of(), ResultFiles.leftoversBeside(target), "the staging directory is removed");
    }
  }

  @Test
  void configFileSuppliesDefaultsAndFlagsOverrideIt() throws IOException {
    Path config = tmp.resolve("job.properties");
    Files.writeString(config, "average-across-batch=false\non-invalid=skip\n");
    CliRun fromFile = run("--config", config.toString(), "--input", corpus, "--output", out);
    assertEquals(0, fromFile.exitCode(), fromFile.stderr());
    RunSummary perSequence = SummaryJson.fromJson(fromFile.lastStdoutLine());
    assertNull(perSequence.result().loss());
    assertEquals("[B]", perSequence.result().resultShape());

    CliRun overridden =
        run(
            "--config",
            config.toString(),
            "--input",
            corpus,
            "--output",
            out,
            "--average-across-batch=true");
    assertEquals(0, overridden.exitCode(), overridden.stderr());
    assertEquals("[]", SummaryJson.fromJson(overridden.lastStdoutLine()).result().resultShape());
  }

  @Test
  void unknownConfigKeyIsRefused() throws IOException {
    Path config = tmp.resolve("job.properties");
    Files.writeString(config, "average-accross-batch=false\n");
    assertUsage(
        run("--config", config.toString(), "--input", corpus, "--output", out),
        "unknown key 'average-accross-batch'");
    assertUsage(
        run(
            "--config",
            tmp.resolve("missing.properties").toString(),
            "--input",
            corpus,
            "--output",
            out),
        "cannot read it");
  }

  @Test
  void successfulRerunReplacesThePreviousOutputWhole() {
    assertEquals(
        0, run("--input", corpus, "--output", out, "--average-across-batch=false").exitCode());
    assertTrue(Files.isDirectory(Path.of(out, "per_sequence")));
    assertEquals(0, run("--input", corpus, "--output", out).exitCode());
    assertFalse(
        Files.exists(Path.of(out, "per_sequence")),
        "stale per_sequence/ left from the previous run");
    assertTrue(Files.exists(Path.of(out, "summary.json")));
  }

  @Test
  void failedRunLeavesThePreviousOutputUntouched() throws IOException {
    assertEquals(0, run("--input", corpus, "--output", out).exitCode());
    String before = Files.readString(Path.of(out, "summary.json"));
    CliRun failed = run("--input", tmp.resolve("nowhere").toString(), "--output", out);
    assertEquals(ExitCodes.INVALID_INPUT, failed.exitCode());
    assertEquals(before, Files.readString(Path.of(out, "summary.json")));
    try (var siblings = Files.list(tmp)) {
      assertTrue(
          siblings.noneMatch(p -> p.getFileName().toString().contains("seqloss-staging")),
          "staging directory left behind");
    }
  }

  @Test
  void refusesToReplaceADirectoryThatIsNotASeqlossOutput() throws IOException {
    Path precious = Files.createDirectories(tmp.resolve("precious"));
    Files.writeString(precious.resolve("notes.txt"), "keep me");
    assertUsage(run("--input", corpus, "--output", precious.toString()), "not a seqloss output");
    assertTrue(Files.exists(precious.resolve("notes.txt")));
  }
}
