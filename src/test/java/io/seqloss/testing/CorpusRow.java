package io.seqloss.testing;

/**
 * One sequence of a test corpus; {@code id} or {@code weights} may be null (column then absent).
 */
public record CorpusRow(Object id, float[][] logits, int[] targets, float[] weights) {
  public static CorpusRow of(Object id, float[][] logits, int[] targets, float[] weights) {
    return new CorpusRow(id, logits, targets, weights);
  }
}
