package io.seqloss.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** A seeded random corpus with ragged lengths, zero and fractional weights, and ids. */
public final class RandomCorpus {
  private RandomCorpus() {}

  public static List<CorpusRow> rows(
      long seed, int sequences, int maxLength, int numClasses, boolean withIds) {
    Random random = new Random(seed);
    List<CorpusRow> rows = new ArrayList<>();
    for (int b = 0; b < sequences; b++) {
      int length = random.nextInt(maxLength + 1); // includes empty sequences
      float[][] logits = new float[length][numClasses];
      int[] targets = new int[length];
      float[] weights = new float[length];
      for (int t = 0; t < length; t++) {
        for (int v = 0; v < numClasses; v++) {
          logits[t][v] = (float) (random.nextGaussian() * 3);
        }
        targets[t] = random.nextInt(numClasses);
        int kind = random.nextInt(5);
        weights[t] = kind == 0 ? 0f : kind == 1 ? 2.5f : kind == 2 ? 0.1f : 1f;
      }
      rows.add(
          CorpusRow.of(withIds ? String.format("seq-%05d", b) : null, logits, targets, weights));
    }
    return rows;
  }
}
