package io.seqloss.input;

/** Where a sequence's id comes from. */
public enum IdKind {
  /** The id column holds strings. */
  STRING,
  /** The id column holds integers (int or long). */
  LONG,
  /**
   * No id column: {@code <file path>#<row index in file>}, stable across runs and partitionings.
   */
  DERIVED
}
