package io.seqloss.stats;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An exact, mergeable histogram of per-sequence losses: counts in fixed bins of width 2^-6 = 1/64
 * (bin k holds [k/64, (k+1)/64)), kept sparsely, so the bins never depend on the data or its order.
 * For display, {@link #display} joins 2^j adjacent bins: the joined counts are exact too.
 */
public final class LossHistogram implements Serializable {
  private static final long serialVersionUID = 1L;
  static final double BINS_PER_UNIT = 64.0;

  /** Bin indices beyond ±2^52 (losses beyond ±2^46) are clamped into the end bins. */
  private static final long LIMIT = 1L << 52;

  private final HashMap<Long, long[]> counts = new HashMap<>();
  private long nanCount;

  public void add(double loss) {
    if (Double.isNaN(loss)) {
      nanCount++;
      return;
    }
    long k = (long) Math.floor(loss * BINS_PER_UNIT);
    k = Math.max(-LIMIT, Math.min(LIMIT, k));
    counts.computeIfAbsent(k, key -> new long[1])[0]++;
  }

  public void merge(LossHistogram other) {
    for (Map.Entry<Long, long[]> e : other.counts.entrySet()) {
      counts.computeIfAbsent(e.getKey(), key -> new long[1])[0] += e.getValue()[0];
    }
    nanCount += other.nanCount;
  }

  /** Sequences whose loss is NaN (kept out of the bins). */
  public long nanCount() {
    return nanCount;
  }

  /**
   * The histogram joined into at most {@code maxBars} bars of equal width (a power of two times
   * 1/64), from the lowest non-empty bin up to the bin holding the 99.9th percentile; the sequences
   * above that are counted in {@code above}, so that a few outliers cannot squash the picture.
   */
  public Display display(int maxBars) {
    TreeMap<Long, Long> sorted = new TreeMap<>();
    long total = 0;
    for (Map.Entry<Long, long[]> e : counts.entrySet()) {
      sorted.put(e.getKey(), e.getValue()[0]);
      total += e.getValue()[0];
    }
    if (total == 0) {
      return new Display(0.0, 1 / BINS_PER_UNIT, List.of(), 0, nanCount, 0);
    }
    long cut = (long) Math.ceil(total * 0.999);
    long seen = 0;
    long lastBin = sorted.firstKey();
    for (Map.Entry<Long, Long> e : sorted.entrySet()) {
      seen += e.getValue();
      lastBin = e.getKey();
      if (seen >= cut) {
        break;
      }
    }
    long firstBin = sorted.firstKey();
    int shift = 0;
    while ((Math.floorDiv(lastBin, 1L << shift) - Math.floorDiv(firstBin, 1L << shift) + 1)
        > maxBars) {
      shift++;
    }
    long first = Math.floorDiv(firstBin, 1L << shift);
    long last = Math.floorDiv(lastBin, 1L << shift);
    long[] bars = new long[(int) (last - first + 1)];
    long above = 0;
    for (Map.Entry<Long, Long> e : sorted.entrySet()) {
      long bar = Math.floorDiv(e.getKey(), 1L << shift);
      if (bar > last) {
        above += e.getValue();
      } else {
        bars[(int) (bar - first)] += e.getValue();
      }
    }
    double width = (1L << shift) / BINS_PER_UNIT;
    List<Long> list = new ArrayList<>(bars.length);
    for (long b : bars) {
      list.add(b);
    }
    return new Display(first * width, width, list, above, nanCount, total);
  }

  /**
   * Bars of {@code width} from {@code start}: bar i covers [start + i·width, start + (i+1)·width).
   * {@code above}: sequences beyond the last bar; {@code total}: all binned sequences.
   */
  public record Display(
      double start, double width, List<Long> counts, long above, long nanCount, long total) {}
}
