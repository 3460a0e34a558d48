package io.seqloss.stats;

import io.seqloss.reduce.ExactSum;
import java.io.Serializable;
import java.util.List;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * The paired difference of two ratio estimators over the same sequences, Δ = Σx_B/Σw − Σx_A/Σw =
 * Σd/Σw with d_i = x_Bi − x_Ai and shared w_i. Its delta-method variance is that of the ratio
 * Σd/Σw, n/(n−1)·Σ(d_i − Δw_i)²/(Σw)² ({@link RatioMoments}); the bootstrap resamples the pairs.
 * Every sum is exact and mergeable in any order, so all results are the same bits in any
 * partitioning.
 */
public final class PairedDelta implements Serializable {
  private static final long serialVersionUID = 1L;
  private final ExactSum baseline = new ExactSum();
  private final ExactSum candidate = new ExactSum();
  private final ExactSum difference = new ExactSum();
  private final ExactSum weights = new ExactSum();
  private final RatioMoments moments = new RatioMoments();
  private final PoissonBootstrap bootstrap; // null: no bootstrap

  /** {@code replicates} 0: no bootstrap. */
  public PairedDelta(int replicates, long seed) {
    this.bootstrap = replicates > 0 ? new PoissonBootstrap(replicates, seed) : null;
  }

  /**
   * Adds one pair: the sequence's bootstrap key, both runs' numerators and the shared denominator
   * share.
   */
  public void add(long sequenceKey, double xA, double xB, double w) {
    baseline.add(xA);
    candidate.add(xB);
    difference.add(xB);
    difference.add(-xA); // the exact difference, as two terms
    weights.add(w);
    double d = xB - xA; // rounded once: the same bits wherever the pair is summed
    moments.add(d, w);
    if (bootstrap != null) {
      bootstrap.add(sequenceKey, d, w);
    }
  }

  public void merge(PairedDelta other) {
    baseline.merge(other.baseline);
    candidate.merge(other.candidate);
    difference.merge(other.difference);
    weights.merge(other.weights);
    moments.merge(other.moments);
    if (bootstrap != null) {
      bootstrap.merge(other.bootstrap);
    }
  }

  public long pairs() {
    return moments.count();
  }

  public double baselineSum() {
    return baseline.value();
  }

  public double candidateSum() {
    return candidate.value();
  }

  public double weightSum() {
    return weights.value();
  }

  /** Σx_A / Σw, each sum rounded once (as a run computes its own loss). */
  public double baselineRatio() {
    return baseline.value() / weights.value();
  }

  public double candidateRatio() {
    return candidate.value() / weights.value();
  }

  /** Σ(x_B − x_A) / Σw, the numerator summed exactly and rounded once. */
  public double delta() {
    return difference.value() / weights.value();
  }

  /** The delta-method standard error of Δ; null with fewer than two pairs. */
  public Double standardError() {
    return moments.standardError();
  }

  public List<Double> interval(double level) {
    return NormalInterval.of(delta(), standardError(), level);
  }

  /**
   * Two-sided p-value of Δ = 0 from the normal approximation, 2·Φ(−|Δ|/SE). A zero standard error
   * (every difference proportional to its weight) leaves no doubt: 1 when Δ is 0, else 0.
   */
  public Double pValue() {
    Double se = standardError();
    if (se == null) {
      return null;
    }
    double delta = delta();
    if (se == 0.0) {
      return delta == 0.0 ? 1.0 : 0.0;
    }
    return 2 * new NormalDistribution(0, 1).cumulativeProbability(-Math.abs(delta) / se);
  }

  /** The paired bootstrap of Δ (the ratio Σc·d / Σc·w per replicate); null without one. */
  public PoissonBootstrap bootstrap() {
    return bootstrap;
  }
}
