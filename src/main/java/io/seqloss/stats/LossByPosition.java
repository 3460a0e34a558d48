package io.seqloss.stats;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The loss by position, for every run whatever its reduction: per {@link PositionBins bin} of
 * steps, the {@link RatioMoments} of its tokens (x a token's weighted loss, d its denominator
 * share: its weight, or 1 for a non-zero weight under the sum_over flags). Exact sums make the
 * curve and its band the same bits in any partitioning.
 */
public final class LossByPosition implements Serializable {
  private static final long serialVersionUID = 1L;
  static final double LEVEL = 0.95;

  private RatioMoments[] bins = new RatioMoments[0];
  private int length;

  /** Adds one token at step t. */
  public void add(int t, double x, double d) {
    int bin = PositionBins.of(t);
    if (bin >= length) {
      grow(bin + 1);
    }
    bins[bin].add(x, d);
  }

  public void merge(LossByPosition other) {
    if (other.length > length) {
      grow(other.length);
    }
    for (int b = 0; b < other.length; b++) {
      bins[b].merge(other.bins[b]);
    }
  }

  private void grow(int n) {
    if (n > bins.length) {
      bins = Arrays.copyOf(bins, Math.max(n, bins.length * 2));
    }
    for (int b = length; b < n; b++) {
      bins[b] = new RatioMoments();
    }
    length = n;
  }

  /**
   * The curve: per non-empty bin, Σx/Σd and its 95 % normal interval from the delta-method standard
   * error with the sequence (here: the token at that step, one per sequence) as the sampling unit.
   */
  public List<PositionPoint> points() {
    List<PositionPoint> points = new ArrayList<>();
    for (int b = 0; b < length; b++) {
      RatioMoments m = bins[b];
      if (m.count() == 0) {
        continue;
      }
      double d = m.denominator();
      Double loss = d == 0.0 ? null : m.ratio();
      List<Double> band = loss == null ? null : NormalInterval.of(loss, m.standardError(), LEVEL);
      points.add(
          new PositionPoint(
              PositionBins.firstStep(b),
              PositionBins.lastStep(b),
              loss,
              band == null ? null : band.get(0),
              band == null ? null : band.get(1),
              d,
              m.count()));
    }
    return points;
  }

  /**
   * One bin of the curve: steps {@code [first_step, last_step]}, its loss (null when nothing there
   * has weight), the 95 % band (null with fewer than two tokens), the denominator sum and the token
   * count.
   */
  public record PositionPoint(
      long firstStep,
      long lastStep,
      Double loss,
      Double lower,
      Double upper,
      double weightSum,
      long tokens) {}
}
