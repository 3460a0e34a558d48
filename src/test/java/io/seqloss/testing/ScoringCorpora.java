package io.seqloss.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded random corpora for the loss and metric tests. */
public final class ScoringCorpora {
  private ScoringCorpora() {}

  /**
   * {@code sequences} rows with ids "seq-000"…, lengths 1..maxLength, V classes, Gaussian logits of the
   * given scale (rounded to float), uniform targets and weights in {0, 1, 2}.
   */
  public static List<CorpusRow> random(long seed, int sequences, int maxLength, int numClasses, double scale) {
    Random random = new Random(seed);
    List<CorpusRow> rows = new ArrayList<>();
    for (int b = 0; b < sequences; b++) {
      int length = 1 + random.nextInt(maxLength);
      float[][] logits = new float[length][numClasses];
      int[] targets = new int[length];
      float[] weights = new float[length];
      for (int t = 0; t < length; t++) {
        for (int c = 0; c < numClasses; c++) {
          logits[t][c] = (float) (random.nextGaussian() * scale);
        }
        targets[t] = random.nextInt(numClasses);
        weights[t] = random.nextInt(3);
      }
      rows.add(CorpusRow.of(String.format("seq-%03d", b), logits, targets, weights));
    }
    return rows;
  }
}
