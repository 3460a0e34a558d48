package io.seqloss.stats;

import io.seqloss.loss.SplitMix64;
import io.seqloss.reduce.ExactSum;
import io.seqloss.reduce.ExactSumColumns;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * A Poisson bootstrap of the ratio Σx/Σw with the sequence as the unit: in replicate r, sequence i
 * counts c_ir ~ Poisson(1) times, drawn from a generator seeded by (seed, the sequence's id key, r)
 * alone, and the replicate's sums Σc·x and Σc·w are exact. So every replicate, and the percentile
 * interval, is the same for any partitioning, file order or rerun; merging needs only these 2B
 * sums.
 */
public final class PoissonBootstrap implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

  /**
   * THRESHOLDS[k] = floor(P(Poisson(1) ≤ k) · 2^53): a uniform 53-bit draw below it has count ≤ k.
   */
  private static final long[] THRESHOLDS = thresholds();

  private final long seed;
  private final ExactSumColumns x;
  private final ExactSumColumns w;
  private transient long[] counts; // one sequence's replicate counts, reused

  public PoissonBootstrap(int replicates, long seed) {
    this.seed = seed;
    this.x = new ExactSumColumns(replicates);
    this.w = new ExactSumColumns(replicates);
  }

  private static long[] thresholds() {
    long[] t = new long[24];
    double p = StrictMath.exp(-1); // P(0); StrictMath: the same bits on every JVM
    double cdf = 0;
    for (int k = 0; k < t.length; k++) {
      cdf += p;
      p /= k + 1;
      t[k] = (long) Math.min(cdf * 0x1.0p53, 0x1.0p53);
    }
    t[t.length - 1] = Long.MAX_VALUE; // P(count > 23) < 1e-23: folded into the last count
    return t;
  }

  /** The Poisson(1) count of replicate r for a sequence: inversion of one SplitMix64 draw. */
  public static int count(long seed, long sequenceKey, int r) {
    return countOf(SplitMix64.mix(base(seed, sequenceKey) + (r + 1) * GOLDEN_GAMMA));
  }

  private static long base(long seed, long sequenceKey) {
    return SplitMix64.mix(seed ^ SplitMix64.mix(sequenceKey + GOLDEN_GAMMA));
  }

  private static int countOf(long bits) {
    long u = bits >>> 11;
    // Counts 0-3 (98 % of draws) without a branch: a draw's count is random, so a loop's exit
    // mispredicts about once a replicate.
    int k =
        (u >= THRESHOLDS[0] ? 1 : 0) + (u >= THRESHOLDS[1] ? 1 : 0) + (u >= THRESHOLDS[2] ? 1 : 0);
    if (k < 3) {
      return k;
    }
    while (u >= THRESHOLDS[k]) {
      k++;
    }
    return k;
  }

  /**
   * Adds one sequence (id key, weighted loss sum, denominator share) to every replicate, c times
   * each.
   */
  public void add(long sequenceKey, double xi, double wi) {
    if (counts == null) {
      counts = new long[x.size()];
    }
    countsOf(base(seed, sequenceKey));
    // Split once, added to every replicate: the same exact sums as c separate adds of each
    x.addEach(new ExactSum.Term(xi), counts);
    w.addEach(new ExactSum.Term(wi), counts);
  }

  /** Every replicate's count ({@link #count}) for the sequence whose generator starts at base. */
  private void countsOf(long base) {
    long state = base;
    for (int r = 0; r < counts.length; r++) {
      state += GOLDEN_GAMMA; // replicate r's state: base + (r + 1)·γ
      counts[r] = countOf(SplitMix64.mix(state));
    }
  }

  public void merge(PoissonBootstrap other) {
    if (other.x.size() != x.size() || other.seed != seed) {
      throw new IllegalArgumentException(
          "cannot merge bootstraps of "
              + other.x.size()
              + " and "
              + x.size()
              + " replicates or seeds "
              + other.seed
              + " and "
              + seed);
    }
    x.merge(other.x);
    w.merge(other.w);
  }

  public PoissonBootstrap copy() {
    PoissonBootstrap copy = new PoissonBootstrap(x.size(), seed);
    copy.merge(this);
    return copy;
  }

  public int replicates() {
    return x.size();
  }

  public long seed() {
    return seed;
  }

  /**
   * Each replicate's ratio Σc·x / Σc·w, in replicate order, leaving out replicates whose
   * denominator is zero (a ratio of nothing: possible only when very few sequences have weight).
   */
  public double[] ratios() {
    double[] ratios = new double[x.size()];
    int defined = 0;
    for (int r = 0; r < x.size(); r++) {
      double denominator = w.sum(r).value();
      if (denominator != 0.0) {
        ratios[defined++] = x.sum(r).value() / denominator;
      }
    }
    return Arrays.copyOf(ratios, defined);
  }

  /**
   * The percentile interval at {@code level}: the (1 − level)/2 and (1 + level)/2 quantiles of the
   * replicates, interpolated linearly between order statistics (numpy's default, "type 7").
   */
  public List<Double> percentileInterval(double level) {
    double[] sorted = ratios();
    if (sorted.length == 0) {
      return null;
    }
    Arrays.sort(sorted);
    return List.of(quantile(sorted, (1 - level) / 2), quantile(sorted, (1 + level) / 2));
  }

  /**
   * The replicates' standard deviation (n − 1 in the denominator): the bootstrap standard error.
   */
  public Double standardError() {
    double[] ratios = ratios();
    if (ratios.length < 2) {
      return null;
    }
    double mean = 0;
    for (double v : ratios) {
      mean += v;
    }
    mean /= ratios.length;
    double squares = 0;
    for (double v : ratios) {
      squares += (v - mean) * (v - mean);
    }
    return Math.sqrt(squares / (ratios.length - 1));
  }

  static double quantile(double[] sorted, double p) {
    double h = (sorted.length - 1) * p;
    int lo = (int) Math.floor(h);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }
}
