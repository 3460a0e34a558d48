package io.seqloss.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqloss.output.RunSummary;
import io.seqloss.output.SummaryJson;
import io.seqloss.testing.CliRun;
import io.seqloss.testing.Corpora;
import io.seqloss.testing.SparkTestBase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * --confidence, --bootstrap, --group-by and --length-buckets on the command line: values and usage
 * errors.
 */
class SliceOptionsCliTest extends SparkTestBase {
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

  @Test
  void badValuesAreUsageErrorsNamingTheOption() {
    run("--input", corpus, "--output", out, "--confidence", "95")
        .assertUsageError("--confidence must be a level");
    run("--input", corpus, "--output", out, "--confidence", "0").assertUsageError("got 0.0");
    run("--input", corpus, "--output", out, "--bootstrap", "1")
        .assertUsageError("--bootstrap must be 0 (off)");
    run("--input", corpus, "--output", out, "--bootstrap", "-5").assertUsageError("got -5");
    run("--input", corpus, "--output", out, "--length-buckets", "16,8")
        .assertUsageError("--length-buckets edges must increase strictly, got 16 then 8");
    run("--input", corpus, "--output", out, "--length-buckets", "0,8").assertUsageError("positive");
    run("--input", corpus, "--output", out, "--group-by", "lang,lang")
        .assertUsageError("names column 'lang' twice");
    run("--input", corpus, "--output", out, "--group-by", "lang", "--average-across-batch=false")
        .assertUsageError("need a scalar reduction");
  }

  @Test
  void theLevelSetsTheIntervalAndTheHumanLineShowsIt() {
    CliRun run = run("--input", corpus, "--output", out, "--confidence", "0.9");
    assertEquals(0, run.exitCode(), run.stderr());
    RunSummary summary = SummaryJson.fromJson(run.lastStdoutLine());
    assertEquals(0.9, summary.uncertainty().confidenceLevel());
    assertTrue(run.stderr().contains("seqloss: standard error "), run.stderr());
    assertTrue(run.stderr().contains(" (delta method), 90% interval ["), run.stderr());
  }
}
