package io.seqloss.stats;

import io.seqloss.eval.TokenScorer;
import java.io.Serializable;

/**
 * The statistics of a run's report, gathered in the evaluation pass beside the corpus totals: loss
 * by position, the histogram of per-sequence losses, the worst sequences, and calibration. Every
 * part merges exactly, so the result does not depend on the partitioning. With the report off only
 * the calibration (which summary.json carries) is gathered.
 */
public final class RunStatistics implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Settings settings;
  private final LossByPosition positions = new LossByPosition();
  private final LossHistogram histogram = new LossHistogram();
  private final WorstSequences worst;
  private final CalibrationBins calibration = new CalibrationBins();
  private long zeroDenominatorSequences;

  public RunStatistics(Settings settings) {
    this.settings = settings;
    this.worst = new WorstSequences(settings.report() ? settings.worst() : 0);
  }

  /**
   * What to gather: {@code report} the report's parts, {@code worst} how many worst sequences,
   * {@code byCount} whether the run's denominator is the count of non-zero weights (the sum_over
   * flags) rather than the weight sum.
   */
  public record Settings(boolean report, int worst, boolean byCount) implements Serializable {
    public Settings {
      if (worst < 0) {
        throw new IllegalArgumentException("--report-worst must be at least 0, got " + worst);
      }
    }
  }

  /**
   * Adds the last valid sequence scored by {@code scores}, whose per-sequence denominator the
   * evaluator chose ({@code denominator}). True when the sequence may be among the worst: the
   * caller then hands its id to {@link #keepWorst} (asked for only then: reading an id costs a
   * string, and most sequences are not listed).
   */
  public boolean addSequence(TokenScorer scores, int length, double denominator) {
    for (int t = 0; t < length; t++) {
      double w = scores.weight(t);
      calibration.add(scores.topProbability(t), w, scores.weightedCorrect(t));
    }
    if (!settings.report()) {
      return false;
    }
    boolean byCount = settings.byCount();
    for (int t = 0; t < length; t++) {
      double w = scores.weight(t);
      positions.add(t, scores.weightedLoss(t), byCount ? (w != 0.0 ? 1.0 : 0.0) : w);
    }
    if (denominator == 0.0) {
      zeroDenominatorSequences++;
      return false;
    }
    double loss = scores.lossSum() / denominator;
    histogram.add(loss);
    return worst.mayKeep(loss);
  }

  /** Offers the sequence {@link #addSequence} just added, with its id, to the worst list. */
  public void keepWorst(TokenScorer scores, int length, double denominator, Object id) {
    double loss = scores.lossSum() / denominator;
    worst.offer(
        new WorstSequences.Entry(
            id, loss, length, scores.weightSum(), scores.correctSum() / denominator));
  }

  public void merge(RunStatistics other) {
    positions.merge(other.positions);
    histogram.merge(other.histogram);
    worst.merge(other.worst);
    calibration.merge(other.calibration);
    zeroDenominatorSequences += other.zeroDenominatorSequences;
  }

  public Settings settings() {
    return settings;
  }

  public LossByPosition positions() {
    return positions;
  }

  public LossHistogram histogram() {
    return histogram;
  }

  public WorstSequences worst() {
    return worst;
  }

  public CalibrationBins calibration() {
    return calibration;
  }

  /** Sequences left out of the histogram and the worst list: nothing in them has weight. */
  public long zeroDenominatorSequences() {
    return zeroDenominatorSequences;
  }
}
