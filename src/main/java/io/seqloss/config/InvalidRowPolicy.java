package io.seqloss.config;

/** What a run does with a row that fails validation. */
public enum InvalidRowPolicy {
  /** Stop at the first invalid row with an error naming it (exit code 3). */
  FAIL,
  /** Exclude invalid rows from every result, write them with their reasons to {@code invalid/}. */
  SKIP
}
