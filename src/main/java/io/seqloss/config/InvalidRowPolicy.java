package io.seqloss.config;

import java.util.Locale;

/** What a run does with a row that fails validation. */
public enum InvalidRowPolicy {
  /** Stop at the first invalid row with an error naming it (exit code 3). */
  FAIL,
  /** Exclude invalid rows from every result, write them with their reasons to {@code invalid/}. */
  SKIP;

  /** As {@code --on-invalid} spells it (picocli lists these in --help and accepts any case). */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
