package io.seqloss.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The report's mergeable statistics, each checked against numbers worked out by hand. */
class ReportStatisticsTest {

  @Test
  void positionBinsAreStepsThenSixtyFourPerDoubling() {
    assertEquals(0, PositionBins.of(0));
    assertEquals(1023, PositionBins.of(1023));
    // from 1024 to 2047 the bins are 16 steps wide: 1024..1039, 1040..1055, ...
    assertEquals(1024, PositionBins.of(1024));
    assertEquals(1024, PositionBins.of(1039));
    assertEquals(1025, PositionBins.of(1040));
    assertEquals(1087, PositionBins.of(2047));
    // from 2048 on, 32 steps wide
    assertEquals(1088, PositionBins.of(2048));
    assertEquals(1088, PositionBins.of(2079));
    assertEquals(1089, PositionBins.of(2080));
    assertEquals(1040, PositionBins.firstStep(1025));
    assertEquals(1055, PositionBins.lastStep(1025));
    assertEquals(2048, PositionBins.firstStep(1088));
    assertEquals(2079, PositionBins.lastStep(1088));
    assertEquals(1024 + 21 * 64 - 1, PositionBins.of(Integer.MAX_VALUE), "at most 2,368 bins");
  }

  @Test
  void lossByPositionHasTheRatioAndItsDeltaMethodBand() {
    // step 0: three sequences, x = w·loss = 1, 2, 3 with weights 1, 1, 2. R = 6 / 4 = 1.5.
    // residuals x − R·w: −0.5, 0.5, 0  → Σe² = 0.5; SE² = 3/2 · 0.5 / 4² = 0.046875.
    // step 1: one token (x = 4, w = 2): loss 2, no band.
    LossByPosition p = new LossByPosition();
    p.add(0, 1, 1);
    p.add(0, 2, 1);
    p.add(0, 3, 2);
    p.add(1, 4, 2);
    List<LossByPosition.PositionPoint> points = p.points();
    assertEquals(2, points.size());
    LossByPosition.PositionPoint first = points.get(0);
    double se = Math.sqrt(0.046875);
    assertEquals(1.5, first.loss());
    assertEquals(1.5 - 1.959963984540054 * se, first.lower(), 1e-15);
    assertEquals(1.5 + 1.959963984540054 * se, first.upper(), 1e-15);
    assertEquals(4.0, first.weightSum());
    assertEquals(3, first.tokens());
    assertEquals(2.0, points.get(1).loss());
    assertNull(points.get(1).lower());
  }

  @Test
  void histogramCountsExactlyInFixedBinsWhateverTheOrder() {
    // bins of 1/64: 0 → 0, 0.01 → 0, 0.02 → 1, 1.0 → 64, 1.5 → 96. Four bars: joined 32 at a time
    // (width 0.5): [0, 0.5) 3, [0.5, 1) 0, [1, 1.5) 1, [1.5, 2) 1.
    double[] losses = {1.5, 0.01, 1.0, 0.0, 0.02};
    LossHistogram whole = new LossHistogram();
    for (double l : losses) {
      whole.add(l);
    }
    LossHistogram a = new LossHistogram();
    LossHistogram b = new LossHistogram();
    a.add(0.02);
    a.add(1.5);
    b.add(0.0);
    b.add(1.0);
    b.add(0.01);
    b.add(Double.NaN);
    b.merge(a);
    LossHistogram.Display d = whole.display(4);
    assertEquals(0.0, d.start());
    assertEquals(0.5, d.width());
    assertEquals(List.of(3L, 0L, 1L, 1L), d.counts());
    assertEquals(0, d.above());
    assertEquals(5, d.total());
    LossHistogram.Display merged = b.display(4);
    assertEquals(d.counts(), merged.counts());
    assertEquals(1, merged.nanCount());
  }

  @Test
  void histogramCountsTheSameOnBothSidesOfItsArrayBinsAndAfterSerialization() throws Exception {
    // bins of 1/64: -0.5 → -32, 63.99 → 4095 (the last bin counted in the array), 64 → 4096 and
    // 100 → 6400 (in the map). Eight bars of 1024 bins (width 16) from bin -1024: the bins fall in
    // bars 0, 4, 5, 5 and 7.
    LossHistogram a = new LossHistogram();
    a.add(-0.5);
    a.add(64.0);
    LossHistogram b = new LossHistogram();
    b.add(63.99);
    b.add(64.0);
    b.add(100.0);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(b);
    }
    LossHistogram shipped;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      shipped = (LossHistogram) in.readObject();
    }
    a.merge(shipped);
    LossHistogram.Display d = a.display(8);
    assertEquals(-16.0, d.start());
    assertEquals(16.0, d.width());
    assertEquals(List.of(1L, 0L, 0L, 0L, 1L, 2L, 0L, 1L), d.counts());
    assertEquals(5, d.total());
    assertEquals(0, d.above());
  }

  @Test
  void histogramLeavesTheTopTenthOfAPercentOutOfTheBars() {
    LossHistogram h = new LossHistogram();
    for (int i = 0; i < 999; i++) {
      h.add(2.0);
    }
    h.add(1e6);
    LossHistogram.Display d = h.display(60);
    assertEquals(List.of(999L), d.counts());
    assertEquals(1, d.above());
    assertEquals(2.0, d.start());
  }

  @Test
  void worstSequencesAreTheSameInAnyPartitioningWithTiesInIdOrder() {
    List<WorstSequences.Entry> all = new ArrayList<>();
    Random random = new Random(3);
    for (long id = 0; id < 200; id++) {
      // losses from a few values: many ties, broken by id
      all.add(new WorstSequences.Entry(id, random.nextInt(6) / 2.0, 5, 5.0, 0.5));
    }
    List<WorstSequences.Entry> expected = new ArrayList<>(all);
    expected.sort(
        (x, y) ->
            x.loss() != y.loss()
                ? Double.compare(y.loss(), x.loss())
                : Long.compare((Long) x.id(), (Long) y.id()));
    expected = expected.subList(0, 20);
    for (int parts : new int[] {1, 3, 17}) {
      Collections.shuffle(all, new Random(parts));
      WorstSequences merged = new WorstSequences(20);
      for (int p = 0; p < parts; p++) {
        WorstSequences share = new WorstSequences(20);
        for (int i = p; i < all.size(); i += parts) {
          if (share.mayKeep(all.get(i).loss())) {
            share.offer(all.get(i));
          }
        }
        merged.merge(share);
      }
      assertEquals(expected, merged.worstFirst(), parts + " partitions");
    }
    WorstSequences none = new WorstSequences(0);
    assertFalse(none.mayKeep(1.0));
    assertTrue(none.worstFirst().isEmpty());
  }

  @Test
  void calibrationBinsAndEceByHand() {
    CalibrationBins c = new CalibrationBins();
    // bin 14 (p ≥ 14/15): two tokens, p 0.95 (w 1, correct) and 0.99 (w 3, wrong)
    // bin 7 ([7/15, 8/15)): p 0.5, w 2, correct; a token of weight 0 is no token
    c.add(0.95, 1, 1);
    c.add(0.99, 3, 0);
    c.add(0.5, 2, 2);
    c.add(0.7, 0, 0);
    // bin 14: Σw 4, Σw·p 3.92, Σw·acc 1 → gap 2.92; bin 7: Σw 2, Σw·p 1, Σw·acc 2 → gap 1. ECE =
    // 3.92 / 6.
    assertEquals(3.92 / 6, c.ece(), 1e-15);
    CalibrationBins.Bin top = c.bins().get(14);
    assertEquals(2, top.tokens());
    assertEquals(0.98, top.confidence(), 1e-15);
    assertEquals(0.25, top.accuracy());
    assertNull(c.bins().get(0).accuracy());
    assertEquals(14, CalibrationBins.binOf(1.0));
    assertNull(new CalibrationBins().ece());
  }
}
