package io.seqloss.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loss options' usage errors: exit 2 with a message, before Spark is started. */
class LossOptionsCliTest {
  @TempDir File tmp;

  private record Result(int code, String out, String err) {}

  private Result run(String... options) {
    List<String> args =
        new ArrayList<>(List.of("--input", "corpus", "--output", new File(tmp, "out").getPath()));
    args.addAll(List.of(options));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.run(
            args.toArray(String[]::new),
            () -> {
              throw new AssertionError("Spark must not start for a usage error");
            },
            new PrintWriter(out),
            new PrintWriter(err));
    return new Result(code, out.toString(), err.toString());
  }

  private void assertUsageError(String expected, String... options) {
    Result r = run(options);
    assertEquals(ExitCodes.USAGE, r.code(), r.err());
    assertTrue(r.err().contains(expected), r.err());
    assertTrue(r.out().contains("\"exit_code\":2"), r.out());
  }

  @Test
  void lossNames() {
    assertUsageError(
        "--loss softmax is not a built-in loss [brier, label_smoothed_cross_entropy, "
            + "sampled_softmax, sparse_softmax_cross_entropy] nor a fully qualified class name",
        "--loss",
        "softmax");
    assertUsageError(
        "--loss com.example.MyLoss: class not found on the classpath",
        "--loss",
        "com.example.MyLoss");
    assertUsageError(
        "--loss java.util.ArrayList: class does not implement io.seqloss.loss.TokenLoss",
        "--loss",
        "java.util.ArrayList");
  }

  @Test
  void lossOptions() {
    assertUsageError("--loss sampled_softmax needs --num-sampled N", "--loss", "sampled_softmax");
    assertUsageError(
        "--num-sampled applies only to --loss sampled_softmax, not to --loss sparse_softmax_cross_entropy",
        "--num-sampled",
        "8");
    assertUsageError(
        "Invalid value for option '--sampler': expected one of [LOG_UNIFORM, UNIFORM] "
            + "(case-insensitive) but was 'zipf'",
        "--loss",
        "sampled_softmax",
        "--num-sampled",
        "8",
        "--sampler",
        "zipf");
    assertUsageError(
        "--label-smoothing must be in [0, 1], got 1.5",
        "--loss",
        "label_smoothed_cross_entropy",
        "--label-smoothing",
        "1.5");
    assertUsageError(
        "--seed applies only to --loss sampled_softmax", "--loss", "brier", "--seed", "3");
    assertUsageError("--top-k must be at least 1, got 0", "--top-k", "0");
  }

  @Test
  void optionsFromTheConfigFile() throws Exception {
    File config = new File(tmp, "seqloss.properties");
    Files.writeString(config.toPath(), "loss=sampled_softmax\nsampler=uniform\ntop-k=3\n");
    assertUsageError("--loss sampled_softmax needs --num-sampled N", "--config", config.getPath());
  }
}
