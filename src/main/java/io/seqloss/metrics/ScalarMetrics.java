package io.seqloss.metrics;

/** The metrics derived from a scalar cross-entropy loss in nats. */
public final class ScalarMetrics {
  private static final double LN_2 = Math.log(2.0);

  private ScalarMetrics() {}

  /** {@code exp(loss)}, or null when the loss is not a cross-entropy. */
  public static Double perplexity(Double loss, boolean crossEntropy) {
    return loss != null && crossEntropy ? Math.exp(loss) : null;
  }

  /** {@code loss / ln 2}, or null when the loss is not a cross-entropy. */
  public static Double bitsPerToken(Double loss, boolean crossEntropy) {
    return loss != null && crossEntropy ? loss / LN_2 : null;
  }
}
