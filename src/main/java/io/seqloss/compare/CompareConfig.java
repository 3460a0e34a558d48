package io.seqloss.compare;

import io.seqloss.config.ConfigException;

/**
 * The settings of one comparison, validated when made: every problem is a usage error. {@code
 * report}: write report.html; {@code worst}: how many of the largest increases to list (in the
 * report and comparison.json).
 */
public record CompareConfig(
    String baseline,
    String candidate,
    String output,
    double confidence,
    int bootstrap,
    long bootstrapSeed,
    boolean report,
    int worst) {
  /**
   * The most largest increases listed: each travels from every task to the driver, and 1,000 rows
   * keep report.html well under 2 MB (about 250 bytes a row).
   */
  public static final int MAX_WORST = 1_000;

  /** The most bootstrap replicates (each costs two exact sums on every task). */
  public static final int MAX_BOOTSTRAP = 10_000;

  public CompareConfig {
    require(baseline, "--baseline", "the output directory of the first run (A)");
    require(candidate, "--candidate", "the output directory of the second run (B)");
    require(output, "--output", "the directory to write comparison.json to");
    if (!(confidence > 0 && confidence < 1)) {
      throw new ConfigException(
          "--confidence must be a level strictly between 0 and 1, such as 0.95, got " + confidence);
    }
    if (bootstrap != 0 && (bootstrap < 2 || bootstrap > MAX_BOOTSTRAP)) {
      throw new ConfigException(
          "--bootstrap must be 0 (off) or a number of replicates in [2, "
              + MAX_BOOTSTRAP
              + "], got "
              + bootstrap);
    }
    if (worst < 0 || worst > MAX_WORST) {
      throw new ConfigException(
          "--report-worst must be a number of sequences in [0, " + MAX_WORST + "], got " + worst);
    }
  }

  private static void require(String value, String option, String what) {
    if (value == null || value.isBlank()) {
      throw new ConfigException(option + " is required: " + what);
    }
  }
}
