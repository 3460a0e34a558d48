package io.seqloss.cli;

import io.seqloss.config.ConfigException;
import io.seqloss.input.InvalidInputException;
import io.seqloss.input.ReadFailures;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ParameterException;

/**
 * Maps a failure to an exit code and a message. Errors raised inside Spark tasks reach the driver
 * wrapped in SparkException (sometimes only as text), so the whole cause chain is searched.
 */
final class FailureClassifier {
  private static final Pattern FILE_URI =
      Pattern.compile("(?:file|hdfs|s3a?|s3n|gs|abfss?|wasbs?|viewfs|oss|cos):/[^\\s,\\]\\[]+");

  record Classified(int exitCode, String message) {}

  private FailureClassifier() {}

  /** The command line's exit code mapper (picocli's IExitCodeExceptionMapper). */
  static int exitCode(Throwable failure) {
    return classify(failure).exitCode();
  }

  static Classified classify(Throwable failure) {
    Set<Throwable> seen = new HashSet<>();
    for (Throwable c = failure; c != null && seen.add(c); c = c.getCause()) {
      if (c instanceof ConfigException || c instanceof ParameterException) {
        return new Classified(ExitCodes.USAGE, c.getMessage());
      }
      if (c instanceof InvalidInputException invalid) {
        return new Classified(ExitCodes.INVALID_INPUT, invalid.describe());
      }
    }
    seen.clear();
    for (Throwable c = failure; c != null && seen.add(c); c = c.getCause()) {
      Optional<String> invalid = InvalidInputException.findIn(c.getMessage());
      if (invalid.isPresent()) {
        return new Classified(ExitCodes.INVALID_INPUT, invalid.get());
      }
    }
    if (isOutOfMemory(failure)) {
      return new Classified(
          ExitCodes.FAILURE,
          String.format(
              "out of memory (%s); rerun with a larger "
                  + "--driver-memory (this driver's heap: %d MiB), or a larger --executor-memory on a cluster",
              ReadFailures.describe(failure), Runtime.getRuntime().maxMemory() >> 20));
    }
    if (isUnreadableFile(failure)) {
      return new Classified(ExitCodes.INVALID_INPUT, unreadableFileMessage(failure));
    }
    return new Classified(ExitCodes.FAILURE, ReadFailures.describe(failure));
  }

  /** An OutOfMemoryError here, or one a Spark task reported as text. */
  private static boolean isOutOfMemory(Throwable failure) {
    Set<Throwable> seen = new HashSet<>();
    for (Throwable c = failure; c != null && seen.add(c); c = c.getCause()) {
      if (c instanceof OutOfMemoryError
          || String.valueOf(c.getMessage()).contains("java.lang.OutOfMemoryError")) {
        return true;
      }
    }
    return false;
  }

  private static boolean isUnreadableFile(Throwable failure) {
    Set<Throwable> seen = new HashSet<>();
    for (Throwable c = failure; c != null && seen.add(c); c = c.getCause()) {
      String type = c.getClass().getName();
      String message = String.valueOf(c.getMessage());
      if (type.startsWith("org.apache.parquet.")
          || type.endsWith("SchemaColumnConvertNotSupportedException")
          || c instanceof java.io.EOFException
          || message.contains("is not a Parquet file")
          || message.contains("Could not read footer")
          // a damaged page in a file whose footer is intact (parquet-format's thrift structures)
          || message.contains("can not read class org.apache.parquet.format.")
          || message.contains("FAILED_READ_FILE")
          || message.contains("cannot be converted in file")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Names the file from the innermost message that mentions one; Spark's wrappers add only noise.
   */
  private static String unreadableFileMessage(Throwable failure) {
    List<Throwable> chain = new ArrayList<>();
    Set<Throwable> seen = new HashSet<>();
    for (Throwable c = failure; c != null && seen.add(c); c = c.getCause()) {
      chain.add(c);
    }
    String file = null;
    String detail = null;
    for (int i = chain.size() - 1; i >= 0 && file == null; i--) {
      String message = chain.get(i).getMessage();
      if (message == null) {
        continue;
      }
      if (detail == null) {
        detail = message.lines().findFirst().orElse(message);
      }
      Matcher m = FILE_URI.matcher(message);
      if (m.find()) {
        file = m.group().replaceAll("[.:]+$", "");
      }
    }
    return ReadFailures.unreadableFile(file == null ? "(unknown: see the log)" : file, detail);
  }
}
