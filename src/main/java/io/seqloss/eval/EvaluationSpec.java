package io.seqloss.eval;

import io.seqloss.config.ColumnNames;
import io.seqloss.config.InvalidRowPolicy;
import io.seqloss.config.Reduction;
import io.seqloss.input.InputLayout;
import java.io.Serializable;

/** What every task needs to evaluate its rows: resolved once on the driver, shipped as is. */
public record EvaluationSpec(
    InputLayout layout,
    ColumnNames columns,
    int numClasses,
    String numClassesSource,
    ScoringSpec scoring,
    Reduction reduction,
    InvalidRowPolicy invalidRowPolicy) implements Serializable {}
