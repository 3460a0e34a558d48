package io.seqloss.eval;

import io.seqloss.config.ColumnNames;
import io.seqloss.config.InvalidRowPolicy;
import io.seqloss.config.Reduction;
import io.seqloss.input.InputLayout;
import io.seqloss.slice.GroupSpec;
import io.seqloss.stats.BootstrapSpec;
import java.io.Serializable;

/**
 * What every task needs to evaluate its rows: resolved once on the driver, shipped as is. {@code
 * groups} is null unless the run reports per-group results, {@code bootstrap} unless it has
 * --bootstrap.
 */
public record EvaluationSpec(
    InputLayout layout,
    ColumnNames columns,
    int numClasses,
    String numClassesSource,
    ScoringSpec scoring,
    Reduction reduction,
    InvalidRowPolicy invalidRowPolicy,
    GroupSpec groups,
    BootstrapSpec bootstrap)
    implements Serializable {

  /** A run without groups. */
  public EvaluationSpec(
      InputLayout layout,
      ColumnNames columns,
      int numClasses,
      String numClassesSource,
      ScoringSpec scoring,
      Reduction reduction,
      InvalidRowPolicy invalidRowPolicy) {
    this(
        layout,
        columns,
        numClasses,
        numClassesSource,
        scoring,
        reduction,
        invalidRowPolicy,
        null,
        null);
  }
}
