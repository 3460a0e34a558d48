package io.seqloss.input;

import java.util.HashSet;
import java.util.Set;

/** Turns the exceptions Spark and Parquet raise on unreadable files into one readable line. */
public final class ReadFailures {
  private ReadFailures() {}

  /**
   * The one wording of "this file cannot be read", whatever the format, so that a corrupt Parquet
   * file and a corrupt Arrow file give the user the same message (and the same exit code, 3).
   */
  public static String unreadableFile(String file, String detail) {
    return String.format(
        "cannot read input file %s (corrupt, truncated, or not Parquet/Arrow IPC of the corpus schema): %s",
        file, detail);
  }

  /** The most specific messages of the cause chain, outermost first, without repeats. */
  public static String describe(Throwable t) {
    StringBuilder out = new StringBuilder();
    Set<Throwable> seen = new HashSet<>();
    for (Throwable c = t; c != null && seen.add(c); c = c.getCause()) {
      String m = c.getMessage();
      if (m == null || m.isBlank()) {
        continue;
      }
      m = firstLine(InvalidInputException.stripMarker(m));
      if (out.indexOf(m) >= 0) {
        continue;
      }
      if (out.length() > 0) {
        out.append(" <- ");
      }
      out.append(c.getClass().getSimpleName()).append(": ").append(m);
    }
    return out.toString();
  }

  private static String firstLine(String m) {
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
