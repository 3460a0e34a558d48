package io.seqloss.bench;

/**
 * What a baseline query computed over a corpus: the weighted loss sum and weight sum (their ratio
 * is the scalar loss), the number of steps, and how long the query took inside the Spark session.
 * The scan floor computes no loss; its {@code lossSum} is NaN.
 */
public record BaselineResult(
    String kind, double lossSum, double weightSum, long steps, double elapsedSeconds) {
  public double loss() {
    return lossSum / weightSum;
  }
}
