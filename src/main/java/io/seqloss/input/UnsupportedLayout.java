package io.seqloss.input;

/**
 * A file's logits column is not a list of lists in a shape that seqloss's own readers of the first
 * step know ({@link io.seqloss.fastpath.ParquetFirstStep}, {@code ArrowFirstStep}): the caller then
 * asks Spark, which reports a column that breaks the input contract the way the evaluation does.
 */
public final class UnsupportedLayout extends Exception {
  private static final long serialVersionUID = 1L;

  public UnsupportedLayout(String message) {
    super(message);
  }
}
