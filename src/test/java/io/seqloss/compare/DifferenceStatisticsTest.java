package io.seqloss.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.seqloss.compare.ComparisonResult.Increase;
import io.seqloss.stats.LossHistogram;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The comparison report's two statistics of the pairs, against hand computations: the exact
 * histogram of L_B − L_A (both tails trimmed at the 0.1th and 99.9th percentiles' bins) and the
 * largest increases (bounded, ties by id). Both must be the same for any split of the pairs into
 * partitions and any merge order.
 */
class DifferenceStatisticsTest {

  @Test
  void histogramCountsAreTheHandCountsWithBothTailsCut() {
    LossHistogram h = new LossHistogram(256);
    // 1,000 differences: 998 in [-0.25, 0.25), one far below, one far above, two NaN
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < 998; i++) {
      values.add(-0.25 + i * (0.5 / 998));
    }
    values.add(-40.0);
    values.add(55.0);
    values.add(Double.NaN);
    values.add(Double.NaN);
    values.forEach(h::add);
    LossHistogram.Display d = h.display(60, true);
    // ranks 2 and 999 of 1,000 lie in bins -64 and 63 of 1/256: 128 bins, joined by 4 into 32 bars
    assertEquals(1.0 / 64, d.width(), 0.0);
    assertEquals(-0.25, d.start(), 0.0);
    assertEquals(32, d.counts().size());
    assertEquals(1, d.below());
    assertEquals(1, d.above());
    assertEquals(2, d.nanCount());
    assertEquals(1000, d.total());
    for (int bar = 0; bar < 32; bar++) {
      double lo = -0.25 + bar / 64.0;
      double hi = lo + 1 / 64.0;
      long expected = values.stream().filter(v -> v >= lo && v < hi).count();
      assertEquals(expected, d.counts().get(bar), "bar " + bar);
    }
    // one tail only (a run's losses): nothing below, the low outlier stretches the range
    assertEquals(0, h.display(60, false).below());
    assertEquals(-40.0, h.display(60, false).start(), 1.0);
  }

  @Test
  void histogramIsTheSameForAnySplitAndMergeOrder() {
    Random random = new Random(3);
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      values.add(random.nextGaussian() * 0.3 + (i % 97 == 0 ? 8 : 0));
    }
    LossHistogram whole = new LossHistogram(256);
    values.forEach(whole::add);
    LossHistogram.Display expected = whole.display(60, true);
    for (int parts : new int[] {2, 7, 31}) {
      List<LossHistogram> partials = new ArrayList<>();
      for (int p = 0; p < parts; p++) {
        partials.add(new LossHistogram(256));
      }
      for (double v : values) {
        partials.get(random.nextInt(parts)).add(v);
      }
      Collections.shuffle(partials, random);
      LossHistogram merged = partials.get(0);
      partials.subList(1, parts).forEach(merged::merge);
      assertEquals(expected, merged.display(60, true), parts + " partitions");
    }
    assertThrows(IllegalArgumentException.class, () -> whole.merge(new LossHistogram()));
    assertThrows(IllegalArgumentException.class, () -> new LossHistogram(100));
  }

  @Test
  void aBoundedHistogramJoinsBinsUntilItFitsAsTheHandCountSays() {
    LossHistogram h = new LossHistogram(8, 4);
    // bins of 1/8: 0, 1, 2, 7, 12 and -9 are six; joined once (1/4): 0, 0, 1, 3, 6, -5 are five;
    // joined twice (1/2): 0, 0, 0, 1, 3, -3 are four, within the bound
    for (double v : new double[] {0.01, 0.2, 0.3, 0.9, 1.6, -1.1}) {
      h.add(v);
    }
    LossHistogram.Display d = h.display(60);
    assertEquals(0.5, d.width(), 0.0);
    assertEquals(-1.5, d.start(), 0.0);
    // bars of 1/2 from -1.5: [-1.5,-1) 1, [-1,-0.5) 0, [-0.5,0) 0, [0,0.5) 3, [0.5,1) 1, [1,1.5) 0,
    // [1.5,2) 1
    assertEquals(List.of(1L, 0L, 0L, 3L, 1L, 0L, 1L), d.counts());
  }

  @Test
  void aBoundedHistogramIsTheSameForAnySplitAndMergeTree() {
    Random random = new Random(11);
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      // mostly tiny differences, a few large ones: the bound decides the width
      values.add(random.nextGaussian() * (i % 50 == 0 ? 0.5 : 0.001));
    }
    LossHistogram whole = new LossHistogram(1 << 20, 64);
    values.forEach(whole::add);
    LossHistogram.Display expected = whole.display(60, true);
    for (int parts : new int[] {2, 5, 17, 64}) {
      List<LossHistogram> partials = new ArrayList<>();
      for (int p = 0; p < parts; p++) {
        partials.add(new LossHistogram(1 << 20, 64));
      }
      for (double v : values) {
        partials.get(random.nextInt(parts)).add(v);
      }
      // merge pairs picked at random until one is left: any tree, not only a left fold
      while (partials.size() > 1) {
        LossHistogram a = partials.remove(random.nextInt(partials.size()));
        LossHistogram b = partials.remove(random.nextInt(partials.size()));
        a.merge(b);
        partials.add(a);
      }
      assertEquals(expected, partials.get(0).display(60, true), parts + " partitions");
    }
    assertThrows(
        IllegalArgumentException.class, () -> whole.merge(new LossHistogram(1 << 20, 128)));
  }

  /** {id, A's loss, B's loss}: increases 0.5 (ids 4, 9), 0.75 (id 2), 0.1, -0.2 and a NaN. */
  private static final Object[][] PAIRS = {
    {7L, 1.0, 1.1},
    {9L, 1.0, 1.5},
    {3L, 2.0, 1.8},
    {4L, 0.5, 1.0},
    {2L, 0.25, 1.0},
    {5L, Double.NaN, 1.0},
  };

  @Test
  void largestIncreasesAreTheHandTopNWithTiesById() {
    LargestIncreases top = new LargestIncreases(3);
    for (Object[] p : PAIRS) {
      top.offer(p[0], (double) p[1], (double) p[2], 2.0);
    }
    List<Increase> list = top.largestFirst();
    assertEquals(List.of(2L, 4L, 9L), list.stream().map(Increase::id).toList());
    assertEquals(0.75, list.get(0).delta(), 0.0);
    assertEquals(0.5, list.get(1).delta(), 0.0);
    assertEquals(0.5, list.get(2).delta(), 0.0);
    assertEquals(0.5, list.get(1).baselineLoss(), 0.0);
    assertEquals(1.0, list.get(1).candidateLoss(), 0.0);
    assertEquals(2.0, list.get(1).weightSum(), 0.0);

    LargestIncreases all = new LargestIncreases(10);
    for (Object[] p : PAIRS) {
      all.offer(p[0], (double) p[1], (double) p[2], 1.0);
    }
    // the NaN difference is never listed
    assertEquals(
        List.of(2L, 4L, 9L, 7L, 3L), all.largestFirst().stream().map(Increase::id).toList());
    assertEquals(List.of(), new LargestIncreases(0).largestFirst());
  }

  @Test
  void largestIncreasesAreTheSameForAnySplitAndMergeOrder() {
    Random random = new Random(8);
    List<Object[]> pairs = new ArrayList<>();
    for (long id = 0; id < 2000; id++) {
      // few distinct differences: many ties, decided by id
      double a = random.nextInt(5) * 0.5;
      pairs.add(new Object[] {"id-" + id, a, a + random.nextInt(7) * 0.25});
    }
    List<Object[]> sorted = new ArrayList<>(pairs);
    sorted.sort(
        (x, y) -> {
          int c = Double.compare((double) y[2] - (double) y[1], (double) x[2] - (double) x[1]);
          return c != 0 ? c : ((String) x[0]).compareTo((String) y[0]);
        });
    List<Object> expected = sorted.subList(0, 25).stream().map(p -> p[0]).toList();
    for (int parts : new int[] {1, 3, 17}) {
      List<LargestIncreases> partials = new ArrayList<>();
      for (int p = 0; p < parts; p++) {
        partials.add(new LargestIncreases(25));
      }
      for (Object[] p : pairs) {
        partials.get(random.nextInt(parts)).offer(p[0], (double) p[1], (double) p[2], 1.0);
      }
      Collections.shuffle(partials, random);
      LargestIncreases merged = partials.get(0);
      partials.subList(1, parts).forEach(merged::merge);
      assertEquals(
          expected,
          merged.largestFirst().stream().map(Increase::id).toList(),
          parts + " partitions");
    }
  }
}
