package io.seqloss.eval;

import io.seqloss.config.ColumnNames;
import io.seqloss.fastpath.DirectFloats;
import io.seqloss.input.InputLayout;
import io.seqloss.input.RowProblem;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;

/**
 * Checks one canonical row and computes its weighted per-token losses. Validation and computation
 * are one pass over the logits: a row found invalid part-way is discarded whole. Not thread-safe:
 * one instance per task, with buffers reused from row to row.
 */
public final class SequenceEvaluator {
  private final InputLayout layout;
  private final ColumnNames columns;
  private final int numClasses;
  private final String numClassesSource;
  private final TokenScorer scorer;
  private final NumericElements targetElements;
  private final NumericElements weightElements;

  private final double[] logitBuffer;

  /** The largest of the current step's logits, found by {@link #copyLogits} for the loss. */
  private double logitMax;

  private final DirectFloats directFloats = new DirectFloats();

  /**
   * False when the caller knows that no logit value of the rows it hands over is null (a columnar
   * batch whose value vector has no nulls): the copy then skips the per-value null check.
   */
  private boolean logitValuesMayBeNull = true;

  private int length;

  public SequenceEvaluator(
      InputLayout layout,
      ColumnNames columns,
      int numClasses,
      String numClassesSource,
      TokenScorer scorer) {
    this.layout = layout;
    this.columns = columns;
    this.numClasses = numClasses;
    this.numClassesSource = numClassesSource;
    this.scorer = scorer;
    this.targetElements = NumericElements.of(layout.targetsElementType());
    this.weightElements =
        layout.hasWeights() ? NumericElements.of(layout.weightsElementType()) : null;
    this.logitBuffer = new double[Math.max(numClasses, 1)];
  }

  /** See {@link #logitValuesMayBeNull}; true (check every value) unless the caller knows better. */
  public void setLogitValuesMayBeNull(boolean mayBeNull) {
    this.logitValuesMayBeNull = mayBeNull;
  }

  /**
   * Evaluates a row; returns null when it is valid (results in the accessors), else the problem.
   * {@code sequenceKey} ({@link io.seqloss.loss.TokenPosition#keyOf}) seeds the losses that draw
   * samples.
   */
  public RowProblem evaluate(InternalRow row, long sequenceKey) {
    if (row.isNullAt(InputLayout.LOGITS)) {
      return new RowProblem(columns.logits(), "is null; expected an array of T arrays of V logits");
    }
    if (row.isNullAt(InputLayout.TARGETS)) {
      return new RowProblem(columns.targets(), "is null; expected an array of T class ids");
    }
    ArrayData logits = row.getArray(InputLayout.LOGITS);
    ArrayData targets = row.getArray(InputLayout.TARGETS);
    ArrayData weightArray = null;
    if (layout.hasWeights()) {
      if (row.isNullAt(InputLayout.WEIGHTS)) {
        return new RowProblem(columns.weights(), "is null; expected an array of T weights");
      }
      weightArray = row.getArray(InputLayout.WEIGHTS);
    }
    int steps = logits.numElements();
    if (targets.numElements() != steps) {
      return new RowProblem(
          columns.targets(),
          String.format(
              "has length %d but %s has length %d; expected equal lengths",
              targets.numElements(), columns.logits(), steps));
    }
    if (weightArray != null && weightArray.numElements() != steps) {
      return new RowProblem(
          columns.weights(),
          String.format(
              "has length %d but %s has length %d; expected equal lengths",
              weightArray.numElements(), columns.logits(), steps));
    }
    scorer.startSequence(sequenceKey, steps);
    // The common case (float logits known to have no null value, in Spark's on-heap vectors) reads
    // each step's place and floats without making an array object for it.
    boolean directSteps =
        !logitValuesMayBeNull && !layout.logitsAreDouble() && directFloats.openSteps(logits);
    for (int t = 0; t < steps; t++) {
      if (directSteps ? directFloats.stepIsNull(t) : logits.isNullAt(t)) {
        return new RowProblem(
            columns.logits(), String.format("step %d is null; expected %d logits", t, numClasses));
      }
      ArrayData stepLogits = directSteps ? null : logits.getArray(t);
      int stepLength = directSteps ? directFloats.stepLength(t) : stepLogits.numElements();
      if (stepLength != numClasses) {
        return new RowProblem(
            columns.logits(),
            String.format(
                "step %d has %d logits; expected V=%d (%s)",
                t, stepLength, numClasses, numClassesSource));
      }
      if (targets.isNullAt(t)) {
        return new RowProblem(
            columns.targets(), String.format("step %d is null; expected a class id", t));
      }
      long target = targetElements.readLong(targets, t);
      if ((target < 0 || target >= numClasses) && !scorer.isIgnored(target)) {
        return new RowProblem(
            columns.targets(),
            String.format(
                "step %d has target %d; expected a class id in [0, %d)", t, target, numClasses));
      }
      double weight = 1.0;
      if (weightArray != null) {
        if (weightArray.isNullAt(t)) {
          return new RowProblem(
              columns.weights(), String.format("step %d is null; expected a finite weight", t));
        }
        weight = weightElements.readDouble(weightArray, t);
        if (!Double.isFinite(weight)) {
          return new RowProblem(
              columns.weights(),
              String.format("step %d has weight %s; expected a finite number", t, weight));
        }
      }
      RowProblem logitProblem = directSteps ? copyDirectStep(logits, t) : copyLogits(stepLogits, t);
      if (logitProblem != null) {
        return logitProblem;
      }
      scorer.score(t, logitBuffer, logitMax, target, weight);
    }
    length = steps;
    return null;
  }

  /**
   * Copies one step's logits into the double buffer and checks them. The common case (float logits
   * known to have no nulls) is a plain loop without per-value branches that the JIT can unroll; any
   * other case, and any non-finite value, goes through the per-value checks that name the culprit.
   */
  private RowProblem copyLogits(ArrayData stepLogits, int t) {
    if (!logitValuesMayBeNull && !layout.logitsAreDouble()) {
      logitMax = directFloats.copyFinite(stepLogits, numClasses, logitBuffer);
      if (!Double.isNaN(logitMax)) {
        return null;
      }
    }
    return copyCheckingEachLogit(stepLogits, t);
  }

  /** {@link #copyLogits} for step t of a sequence opened by {@link DirectFloats#openSteps}. */
  private RowProblem copyDirectStep(ArrayData logits, int t) {
    logitMax = directFloats.copyStep(t, numClasses, logitBuffer);
    return Double.isNaN(logitMax) ? copyCheckingEachLogit(logits.getArray(t), t) : null;
  }

  private RowProblem copyCheckingEachLogit(ArrayData stepLogits, int t) {
    boolean isDouble = layout.logitsAreDouble();
    double max = Double.NEGATIVE_INFINITY;
    for (int v = 0; v < numClasses; v++) {
      if (stepLogits.isNullAt(v)) {
        return new RowProblem(
            columns.logits(),
            String.format("step %d, class %d is null; expected a finite logit", t, v));
      }
      double value = isDouble ? stepLogits.getDouble(v) : stepLogits.getFloat(v);
      if (!Double.isFinite(value)) {
        return new RowProblem(
            columns.logits(),
            String.format("step %d, class %d is %s; expected a finite logit", t, v, value));
      }
      logitBuffer[v] = value;
      max = Math.max(max, value);
    }
    logitMax = max;
    return null;
  }

  public int length() {
    return length;
  }

  /** The loss, weights and metric credits of the last valid row, step by step and summed. */
  public TokenScorer scores() {
    return scorer;
  }

  public double lossSum() {
    return scorer.lossSum();
  }

  public double weightSum() {
    return scorer.weightSum();
  }

  public long nonzeroWeights() {
    return scorer.nonzeroWeights();
  }

  /** Weighted loss of step t of the last valid row. */
  public double weightedLoss(int t) {
    return scorer.weightedLoss(t);
  }

  /** Weight of step t of the last valid row: its weights entry × its target's class weight. */
  public double weight(int t) {
    return scorer.weight(t);
  }
}
