package io.seqloss.reduce;

import io.seqloss.config.Reduction;
import java.util.List;

/**
 * The reduced numbers of a run, derived from the totals (and the per-step counts) according to the
 * reduction.
 */
public record CorpusResult(
    Reduction.Shape shape,
    Double scalarLoss,
    Double scalarAccuracy,
    Double scalarTopKAccuracy,
    long timesteps,
    long zeroDenominator,
    String zeroDenominatorOf) {

  public static CorpusResult of(
      Reduction reduction, CorpusTotals totals, long timesteps, long zeroTimesteps) {
    return switch (reduction.shape()) {
      case SCALAR -> {
        double denominator =
            Ratios.denominator(reduction, totals.weightSum(), totals.nonzeroWeights());
        yield new CorpusResult(
            Reduction.Shape.SCALAR,
            Ratios.divideOrZero(totals.lossSum(), denominator),
            Ratios.divideOrZero(totals.correctSum(), denominator),
            Ratios.divideOrZero(totals.topKSum(), denominator),
            0,
            denominator == 0.0 ? 1 : 0,
            "corpus");
      }
      case PER_SEQUENCE ->
          new CorpusResult(
              Reduction.Shape.PER_SEQUENCE,
              null,
              null,
              null,
              0,
              totals.zeroDenominatorSequences(),
              "sequences");
      case PER_TIMESTEP ->
          new CorpusResult(
              Reduction.Shape.PER_TIMESTEP,
              null,
              null,
              null,
              timesteps,
              zeroTimesteps,
              "timesteps");
      case PER_TOKEN -> new CorpusResult(Reduction.Shape.PER_TOKEN, null, null, null, 0, 0, "none");
    };
  }

  public List<Long> dims(CorpusTotals totals) {
    return switch (shape) {
      case SCALAR -> List.of();
      case PER_SEQUENCE -> List.of(totals.sequences());
      case PER_TIMESTEP -> List.of(timesteps);
      case PER_TOKEN -> List.of(totals.sequences(), (long) totals.maxLength());
    };
  }
}
