package io.seqloss.cli;

/** The process exit codes, documented in the README and in {@code --help}. */
public final class ExitCodes {
  public static final int SUCCESS = 0;

  /** Anything else: Spark or cluster failure, I/O error, a bug. Worth a retry. */
  public static final int FAILURE = 1;

  /** Bad command line or configuration file. A retry gives the same result. */
  public static final int USAGE = 2;

  /**
   * Bad input data: missing/corrupt files, wrong schema, invalid rows. A retry gives the same
   * result.
   */
  public static final int INVALID_INPUT = 3;

  private ExitCodes() {}
}
