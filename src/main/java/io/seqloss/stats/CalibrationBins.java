package io.seqloss.stats;

import io.seqloss.reduce.ExactSum;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Calibration of the top-1 prediction: tokens binned by the softmax probability of their most
 * likely class into 15 equal-width bins, with exact sums per bin of the token weight w, of w·p
 * (confidence) and of w·accuracy credit. Expected calibration error: ECE = Σ_b |Σw·acc − Σw·p|_b /
 * Σw.
 */
public final class CalibrationBins implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final int BINS = 15;

  private final ExactSum[] weight = newSums();
  private final ExactSum[] confidence = newSums();
  private final ExactSum[] correct = newSums();
  private final long[] tokens = new long[BINS];
  // Tokens of weight 1 counted per bin instead of added to weight[b] (an exact add a token);
  // weightSum(b) adds them back.
  private final long[] weightOnes = new long[BINS];

  private static ExactSum[] newSums() {
    ExactSum[] sums = new ExactSum[BINS];
    for (int b = 0; b < BINS; b++) {
      sums[b] = new ExactSum();
    }
    return sums;
  }

  /** The bin of probability p: [b/15, (b+1)/15), 1 in the last bin. */
  public static int binOf(double p) {
    return Math.max(0, Math.min(BINS - 1, (int) (p * BINS)));
  }

  /**
   * Adds one token of weight w whose top class has probability p; {@code weightedAcc} = w ·
   * accuracy credit.
   */
  public void add(double p, double w, double weightedAcc) {
    if (w == 0.0) {
      return;
    }
    int b = binOf(p);
    if (w == 1.0) {
      weightOnes[b]++;
    } else {
      weight[b].add(w);
    }
    confidence[b].add(w * p);
    correct[b].add(weightedAcc);
    tokens[b]++;
  }

  public void merge(CalibrationBins other) {
    for (int b = 0; b < BINS; b++) {
      weight[b].merge(other.weight[b]);
      confidence[b].merge(other.confidence[b]);
      correct[b].merge(other.correct[b]);
      tokens[b] += other.tokens[b];
      weightOnes[b] += other.weightOnes[b];
    }
  }

  /** The bins with their mean confidence and accuracy (null where the bin holds no weight). */
  public List<Bin> bins() {
    List<Bin> bins = new ArrayList<>(BINS);
    for (int b = 0; b < BINS; b++) {
      double w = weightSum(b).value();
      bins.add(
          new Bin(
              (double) b / BINS,
              (double) (b + 1) / BINS,
              tokens[b],
              w,
              w == 0.0 ? null : confidence[b].value() / w,
              w == 0.0 ? null : correct[b].value() / w));
    }
    return bins;
  }

  /** ECE from the exact per-bin sums; null when no token has weight. */
  public Double ece() {
    ExactSum total = new ExactSum();
    ExactSum gaps = new ExactSum();
    for (int b = 0; b < BINS; b++) {
      total.merge(weightSum(b));
      gaps.add(Math.abs(correct[b].value() - confidence[b].value()));
    }
    double w = total.value();
    return w == 0.0 ? null : gaps.value() / w;
  }

  /** The exact weight sum of bin b: the weights other than 1 and the count of those that are 1. */
  private ExactSum weightSum(int b) {
    return weight[b].plusCount(weightOnes[b]);
  }

  /** One bin: probabilities [lower, upper), its tokens, weight, mean confidence and accuracy. */
  public record Bin(
      double lower,
      double upper,
      long tokens,
      double weightSum,
      Double confidence,
      Double accuracy) {}
}
