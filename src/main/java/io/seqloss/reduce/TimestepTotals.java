package io.seqloss.reduce;

import java.util.Arrays;

/**
 * A partition's per-timestep sums for its first {@link #RESIDENT_STEPS} steps, where most of its
 * tokens fall: one {@link StepSums} (about 2 KB) per step reached. Steps beyond travel as one share
 * per token instead, so that a task's memory stays bounded however long its sequences are.
 */
public final class TimestepTotals {
  /** At most about 19 MB of sums per task. */
  public static final int RESIDENT_STEPS = 8192;

  private StepSums[] steps = new StepSums[0];
  private int length;

  /** Adds one token at step {@code t < RESIDENT_STEPS}. */
  public void addToken(
      int t, double weightedLoss, double weight, double weightedCorrect, double weightedTopK) {
    if (t >= RESIDENT_STEPS) {
      throw new IllegalArgumentException(
          "timestep " + t + " is beyond the resident steps (" + RESIDENT_STEPS + ")");
    }
    ensureLength(t + 1);
    steps[t].addToken(weightedLoss, weight, weightedCorrect, weightedTopK);
  }

  /** Steps reached so far. */
  public int length() {
    return length;
  }

  public StepSums step(int t) {
    return steps[t];
  }

  private void ensureLength(int n) {
    if (n <= length) {
      return;
    }
    if (n > steps.length) {
      steps = Arrays.copyOf(steps, Math.min(RESIDENT_STEPS, Math.max(n, steps.length * 2)));
    }
    for (int t = length; t < n; t++) {
      steps[t] = new StepSums();
    }
    length = n;
  }
}
