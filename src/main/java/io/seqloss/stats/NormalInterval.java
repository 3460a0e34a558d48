package io.seqloss.stats;

import java.util.List;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * The two-sided normal interval estimate ± z·SE at a confidence level (z = Φ⁻¹(1 − (1 − level)/2)).
 */
public final class NormalInterval {
  private NormalInterval() {}

  /** z of a two-sided interval at {@code level} in (0, 1): 1.959963984540054 for 0.95. */
  public static double z(double level) {
    return new NormalDistribution(0, 1).inverseCumulativeProbability(1 - (1 - level) / 2);
  }

  /** [estimate − z·se, estimate + z·se], or null when there is no standard error. */
  public static List<Double> of(double estimate, Double standardError, double level) {
    if (standardError == null) {
      return null;
    }
    double half = z(level) * standardError;
    return List.of(estimate - half, estimate + half);
  }
}
