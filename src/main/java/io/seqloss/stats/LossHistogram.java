package io.seqloss.stats;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An exact, mergeable histogram of per-sequence losses (or of paired differences): counts in fixed
 * bins of width 1/{@code binsPerUnit}, a power of two (bin k holds [k/64, (k+1)/64) by default),
 * kept sparsely, so the bins never depend on the data or its order. For display, {@link #display}
 * joins 2^j adjacent bins: the joined counts are exact too.
 *
 * <p>With a bound on the number of bins, a histogram that would hold more joins pairs of adjacent
 * bins until it fits. Joining is exact and a subset never needs more joins than the whole, so the
 * result is the whole data's histogram at the finest width that fits, whatever the split and merge
 * order: fine bins for differences that are all small, without a bin per value for wide ones.
 */
public final class LossHistogram implements Serializable {
  private static final long serialVersionUID = 1L;
  static final double BINS_PER_UNIT = 64.0;

  private final double binsPerUnit;
  private final int maxBins;
  // How many times adjacent bins were joined: bin k holds [k, k + 1) · 2^joins / binsPerUnit.
  private int joins;

  /** Bin indices beyond ±2^52 (losses beyond ±2^46) are clamped into the end bins. */
  private static final long LIMIT = 1L << 52;

  private final HashMap<Long, long[]> counts = new HashMap<>();
  private long nanCount;

  /**
   * Bins [0, 4096) of an unbounded histogram (losses below 64 by default), counted in an array: a
   * sequence's loss then costs an increment instead of a boxed key and a hash lookup. Made by the
   * first add, folded into {@link #counts} and dropped before anything reads them ({@link
   * #settle}), so a histogram that was only merged into (an accumulator's, shipped with every task
   * and task result) carries no 32 KB array. A bounded histogram never has one: its joins move
   * bins.
   */
  private long[] dense;

  private static final int DENSE_BINS = 4096;

  public LossHistogram() {
    this(BINS_PER_UNIT);
  }

  /** Bins of width 1/binsPerUnit: a power of two, so bin edges are exact doubles. */
  public LossHistogram(double binsPerUnit) {
    this(binsPerUnit, Integer.MAX_VALUE);
  }

  /**
   * Bins of width 1/binsPerUnit (a power of two), joined in pairs while there are more than {@code
   * maxBins}.
   */
  public LossHistogram(double binsPerUnit, int maxBins) {
    if (maxBins < 2) {
      throw new IllegalArgumentException("max bins must be at least 2, got " + maxBins);
    }
    this.maxBins = maxBins;
    if (!(binsPerUnit > 0) || binsPerUnit != Math.scalb(1.0, Math.getExponent(binsPerUnit))) {
      throw new IllegalArgumentException(
          "bins per unit must be a power of two, got " + binsPerUnit);
    }
    this.binsPerUnit = binsPerUnit;
  }

  public void add(double loss) {
    if (Double.isNaN(loss)) {
      nanCount++;
      return;
    }
    long k = (long) Math.floor(loss * binsPerUnit);
    k = Math.max(-LIMIT, Math.min(LIMIT, k)) >> joins;
    if (maxBins == Integer.MAX_VALUE && k >= 0 && k < DENSE_BINS) {
      if (dense == null) {
        dense = new long[DENSE_BINS];
      }
      dense[(int) k]++; // unbounded: never over the bound, and joins stays 0
      return;
    }
    counts.computeIfAbsent(k, key -> new long[1])[0]++;
    joinWhileOverBound();
  }

  /**
   * Folds the dense bins into {@link #counts}, where everything else reads them, and drops them.
   */
  private void settle() {
    if (dense == null) {
      return;
    }
    for (int k = 0; k < DENSE_BINS; k++) {
      if (dense[k] != 0) {
        counts.computeIfAbsent((long) k, key -> new long[1])[0] += dense[k];
      }
    }
    dense = null;
  }

  /** Joins pairs of adjacent bins until at most maxBins remain. */
  private void joinWhileOverBound() {
    while (counts.size() > maxBins) {
      joinTo(joins + 1);
    }
  }

  private void joinTo(int target) {
    if (target <= joins) {
      return;
    }
    int by = target - joins;
    HashMap<Long, long[]> joined = new HashMap<>();
    for (Map.Entry<Long, long[]> e : counts.entrySet()) {
      joined.computeIfAbsent(e.getKey() >> by, key -> new long[1])[0] += e.getValue()[0];
    }
    counts.clear();
    counts.putAll(joined);
    joins = target;
  }

  public void merge(LossHistogram other) {
    if (other.binsPerUnit != binsPerUnit || other.maxBins != maxBins) {
      throw new IllegalArgumentException(
          "cannot merge histograms of "
              + binsPerUnit
              + " and "
              + other.binsPerUnit
              + " bins per unit (at most "
              + maxBins
              + " and "
              + other.maxBins
              + " bins)");
    }
    settle();
    other.settle();
    joinTo(other.joins);
    int by = joins - other.joins;
    for (Map.Entry<Long, long[]> e : other.counts.entrySet()) {
      counts.computeIfAbsent(e.getKey() >> by, key -> new long[1])[0] += e.getValue()[0];
    }
    nanCount += other.nanCount;
    joinWhileOverBound();
  }

  /** Sequences whose loss is NaN (kept out of the bins). */
  public long nanCount() {
    return nanCount;
  }

  /**
   * The histogram joined into at most {@code maxBars} bars of equal width (a power of two times the
   * bin width), from the lowest non-empty bin up to the bin holding the 99.9th percentile; the
   * sequences above that are counted in {@code above}, so that a few outliers cannot squash the
   * picture.
   */
  public Display display(int maxBars) {
    return display(maxBars, false);
  }

  /**
   * As {@link #display(int)}; with {@code bothTails} the bars also start at the bin holding the
   * 0.1th percentile, and the sequences below it are counted in {@code below} (for differences,
   * whose outliers lie on both sides).
   */
  public Display display(int maxBars, boolean bothTails) {
    settle();
    TreeMap<Long, Long> sorted = new TreeMap<>();
    long total = 0;
    for (Map.Entry<Long, long[]> e : counts.entrySet()) {
      sorted.put(e.getKey(), e.getValue()[0]);
      total += e.getValue()[0];
    }
    double binWidth = Math.scalb(1.0, joins) / binsPerUnit;
    if (total == 0) {
      return new Display(0.0, binWidth, List.of(), 0, nanCount, 0, 0);
    }
    long lastBin = binAtRank(sorted, (long) Math.ceil(total * 0.999));
    long firstBin =
        bothTails
            ? binAtRank(sorted, Math.max(1, total - (long) Math.ceil(total * 0.999) + 1))
            : sorted.firstKey();
    int shift = 0;
    while ((Math.floorDiv(lastBin, 1L << shift) - Math.floorDiv(firstBin, 1L << shift) + 1)
        > maxBars) {
      shift++;
    }
    long first = Math.floorDiv(firstBin, 1L << shift);
    long last = Math.floorDiv(lastBin, 1L << shift);
    long[] bars = new long[(int) (last - first + 1)];
    long above = 0;
    long below = 0;
    for (Map.Entry<Long, Long> e : sorted.entrySet()) {
      long bar = Math.floorDiv(e.getKey(), 1L << shift);
      if (bar > last) {
        above += e.getValue();
      } else if (bar < first) {
        below += e.getValue();
      } else {
        bars[(int) (bar - first)] += e.getValue();
      }
    }
    double width = (1L << shift) * binWidth;
    List<Long> list = new ArrayList<>(bars.length);
    for (long b : bars) {
      list.add(b);
    }
    return new Display(first * width, width, list, above, nanCount, total, below);
  }

  /** The bin holding the value of rank {@code rank} (1-based) in ascending order. */
  private static long binAtRank(TreeMap<Long, Long> sorted, long rank) {
    long seen = 0;
    long bin = sorted.firstKey();
    for (Map.Entry<Long, Long> e : sorted.entrySet()) {
      seen += e.getValue();
      bin = e.getKey();
      if (seen >= rank) {
        break;
      }
    }
    return bin;
  }

  /**
   * Bars of {@code width} from {@code start}: bar i covers [start + i·width, start + (i+1)·width).
   * {@code above}: sequences beyond the last bar; {@code below}: before the first (only with both
   * tails trimmed); {@code total}: all binned sequences.
   */
  public record Display(
      double start,
      double width,
      List<Long> counts,
      long above,
      long nanCount,
      long total,
      long below) {}
}
