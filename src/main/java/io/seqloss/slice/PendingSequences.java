package io.seqloss.slice;

/**
 * A batch of valid sequences waiting to be added to their groups ({@link GroupTable#addSequence}).
 * {@link #flush} adds them group by group: each group's sums are brought into the cache once for
 * all its sequences in the batch, instead of once a row. Exact sums do not depend on the order in
 * which terms are added, so the totals have the same bits as adding each row at once.
 */
final class PendingSequences {
  /** Rows a batch: its eight arrays take 56 KB, a few rows of each of 100 groups. */
  static final int CAPACITY = 1024;

  private final GroupTotals[] group = new GroupTotals[CAPACITY];
  private final double[] lossSum = new double[CAPACITY];
  private final double[] weight = new double[CAPACITY];
  private final double[] denominator = new double[CAPACITY];
  private final double[] correct = new double[CAPACITY];
  private final double[] topK = new double[CAPACITY];
  private final int[] length = new int[CAPACITY];
  private final long[] nonzero = new long[CAPACITY];

  /**
   * The next pending row of the same group, -1 after its last ({@link GroupTotals#pendingHead}).
   */
  private final int[] next = new int[CAPACITY];

  /** The groups with a row in the batch, each once. */
  private final GroupTotals[] touched = new GroupTotals[CAPACITY];

  private int size;
  private int touchedGroups;

  /** Queues one sequence; true when the batch is full and must be {@link #flush flushed}. */
  boolean add(
      GroupTotals to,
      double sequenceLossSum,
      double sequenceWeight,
      double sequenceDenominator,
      int sequenceLength,
      long sequenceNonzero,
      double sequenceCorrect,
      double sequenceTopK) {
    int i = size++;
    group[i] = to;
    lossSum[i] = sequenceLossSum;
    weight[i] = sequenceWeight;
    denominator[i] = sequenceDenominator;
    length[i] = sequenceLength;
    nonzero[i] = sequenceNonzero;
    correct[i] = sequenceCorrect;
    topK[i] = sequenceTopK;
    if (to.pendingHead < 0) {
      touched[touchedGroups++] = to;
    }
    next[i] = to.pendingHead;
    to.pendingHead = i;
    return size == CAPACITY;
  }

  /** Adds every queued sequence to its group, one group after another, and empties the batch. */
  void flush() {
    for (int g = 0; g < touchedGroups; g++) {
      GroupTotals totals = touched[g];
      for (int i = totals.pendingHead; i >= 0; i = next[i]) {
        totals.addSequence(
            lossSum[i], weight[i], denominator[i], length[i], nonzero[i], correct[i], topK[i]);
        group[i] = null;
      }
      totals.pendingHead = -1;
      touched[g] = null;
    }
    size = 0;
    touchedGroups = 0;
  }
}
