package io.seqloss.report;

import io.seqloss.stats.LossByPosition.PositionPoint;
import java.util.List;
import java.util.Map;

/**
 * What a comparison report draws beside comparison.json: both runs' saved loss-by-position curves
 * (null when a run has none: written before loss_by_position/ or with --no-report), and the first
 * per_group_delta/ rows in key order (empty when the runs were not grouped alike).
 */
public record ComparisonCharts(
    List<PositionPoint> baselineCurve,
    List<PositionPoint> candidateCurve,
    List<GroupDelta> groups) {

  /** One per_group_delta/ row: its key columns and values, pairs, Δ, interval and p-value. */
  public record GroupDelta(
      Map<String, Object> group,
      long pairedSequences,
      Double delta,
      Double ciLow,
      Double ciHigh,
      Double pValue) {}
}
