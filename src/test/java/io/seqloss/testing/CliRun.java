package io.seqloss.testing;

import io.seqloss.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.apache.spark.sql.SparkSession;

/** One in-process run of the command line against the shared test session. */
public record CliRun(int exitCode, String stdout, String stderr) {

  public static CliRun of(SparkSession spark, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, () -> spark, new PrintWriter(out, true), new PrintWriter(err, true));
    return new CliRun(code, out.toString(), err.toString());
  }

  /** The last line of stdout: the summary JSON (or the failure JSON). */
  public String lastStdoutLine() {
    String[] lines = stdout.strip().split("\n");
    return lines[lines.length - 1];
  }

  /** Asserts a usage error (exit code 2) whose message on stderr contains {@code fragment}. */
  public void assertUsageError(String fragment) {
    org.junit.jupiter.api.Assertions.assertEquals(2, exitCode, stderr);
    org.junit.jupiter.api.Assertions.assertTrue(
        stderr.contains(fragment), () -> "missing '" + fragment + "' in: " + stderr);
  }
}
