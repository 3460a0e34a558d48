package io.seqloss.job;

import io.seqloss.output.RunSummary;
import io.seqloss.reduce.CorpusTotals;
import io.seqloss.stats.NormalInterval;
import io.seqloss.stats.PoissonBootstrap;

/** The summary's error bars of a run's scalar result, from its exact totals. */
final class ErrorBars {
  private ErrorBars() {}

  static RunSummary.Uncertainty of(Double scalarLoss, CorpusTotals totals, JobConfig config) {
    double level = config.confidence();
    if (scalarLoss == null) {
      return new RunSummary.Uncertainty(null, level, null, null);
    }
    Double se = totals.moments().standardError();
    PoissonBootstrap replicates = totals.bootstrap();
    RunSummary.Bootstrap bootstrap =
        replicates == null
            ? null
            : new RunSummary.Bootstrap(
                replicates.replicates(),
                replicates.percentileInterval(level),
                replicates.seed(),
                replicates.standardError());
    return new RunSummary.Uncertainty(
        se, level, NormalInterval.of(scalarLoss, se, level), bootstrap);
  }
}
