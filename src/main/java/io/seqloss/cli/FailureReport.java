package io.seqloss.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * How a failed run says so: a {@code seqloss: error: ...} line on stderr and the failure JSON as
 * the last line of stdout. Printed once per run: the main thread, a shutdown hook (SIGTERM) and a
 * fatal error handler may all see the same failure, and the first to {@link #claim()} it reports
 * it. It is picocli's handler of a failed command; the command line's exception mapper gives the
 * exit code.
 */
final class FailureReport implements IExecutionExceptionHandler {
  private final PrintWriter out;
  private final PrintWriter err;
  private final AtomicBoolean claimed = new AtomicBoolean();

  FailureReport(PrintWriter out, PrintWriter err) {
    this.out = out;
    this.err = err;
  }

  /** True for the first caller only; that caller then prints the failure with {@link #print}. */
  boolean claim() {
    return claimed.compareAndSet(false, true);
  }

  @Override
  public int handleExecutionException(
      Exception failure, CommandLine commandLine, ParseResult parseResult) {
    return report(failure, commandLine.getExitCodeExceptionMapper().getExitCode(failure));
  }

  /** Reports the failure unless another thread already reported one; returns the exit code. */
  int report(Throwable failure, int exitCode) {
    if (claim()) {
      print(
          exitCode,
          FailureClassifier.classify(failure).message(),
          exitCode == ExitCodes.FAILURE ? failure : null);
    }
    return exitCode;
  }

  /** Prints the two failure lines; a stack trace for the retryable failures, where it may help. */
  void print(int exitCode, String message, Throwable trace) {
    print(exitCode, message, trace, List.of());
  }

  /** The same, with notes for the user (a suggestion, a pointer to --help) after the error line. */
  void print(int exitCode, String message, Throwable trace, List<String> notes) {
    err.println("seqloss: error: " + message);
    if (trace != null) {
      trace.printStackTrace(err);
    }
    notes.forEach(err::println);
    Map<String, Object> failed = new LinkedHashMap<>();
    failed.put("status", "failed");
    failed.put("exit_code", exitCode);
    failed.put("error", message);
    try {
      out.println(new ObjectMapper().writeValueAsString(failed));
    } catch (JsonProcessingException ignored) {
      // the stderr line above already carries the error
    }
    out.flush();
    err.flush();
  }
}
