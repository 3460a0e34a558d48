package io.seqloss.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.seqloss.config.Reduction;
import io.seqloss.output.RunSummary;
import io.seqloss.testing.Corpora;
import io.seqloss.testing.CorpusRow;
import io.seqloss.testing.RandomCorpus;
import io.seqloss.testing.SequenceSums;
import io.seqloss.testing.SparkTestBase;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The summary's standard error and interval against a direct computation from the rows by hand. */
class ErrorBarsJobTest extends SparkTestBase {
  private static final MathContext MC = new MathContext(50);

  private RunSummary run(Path corpus, Reduction reduction, double level, String out) {
    JobConfig config =
        JobConfig.builder()
            .inputPaths(List.of(corpus.toString()))
            .outputDir(tmp.resolve(out).toString())
            .reduction(reduction)
            .confidence(level)
            .build();
    return new SequenceLossJob(session()).run(config);
  }

  /** n/(n-1) Σ(x_i − L w_i)² / (Σw)², two passes in BigDecimal. */
  private static double directStandardError(List<SequenceSums> sums, boolean byCount) {
    BigDecimal sx = BigDecimal.ZERO;
    BigDecimal sw = BigDecimal.ZERO;
    for (SequenceSums s : sums) {
      sx = sx.add(new BigDecimal(s.lossSum()));
      sw = sw.add(new BigDecimal(byCount ? s.nonzeroWeights() : s.weightSum()));
    }
    BigDecimal l = sx.divide(sw, MC);
    BigDecimal squares = BigDecimal.ZERO;
    for (SequenceSums s : sums) {
      BigDecimal r =
          new BigDecimal(s.lossSum())
              .subtract(l.multiply(new BigDecimal(byCount ? s.nonzeroWeights() : s.weightSum())));
      squares = squares.add(r.multiply(r));
    }
    int n = sums.size();
    return Math.sqrt(
        squares
            .multiply(BigDecimal.valueOf(n))
            .divide(BigDecimal.valueOf(n - 1), MC)
            .divide(sw.multiply(sw), MC)
            .doubleValue());
  }

  @Test
  void standardErrorAndIntervalMatchTheDirectFormula() {
    List<CorpusRow> rows = RandomCorpus.rows(21, 120, 10, 5, true);
    Path corpus = Corpora.write(session(), tmp, rows, 3);
    List<SequenceSums> sums = rows.stream().map(SequenceSums::of).toList();

    RunSummary byWeight = run(corpus, Reduction.tensorflowDefault(), 0.95, "weights");
    double se = directStandardError(sums, false);
    assertEquals(se, byWeight.uncertainty().standardError(), se * 1e-9);
    assertEquals(0.95, byWeight.uncertainty().confidenceLevel());
    double loss = byWeight.result().loss();
    assertEquals(
        loss - 1.959963984540054 * se,
        byWeight.uncertainty().confidenceInterval().get(0),
        se * 1e-8);
    assertEquals(
        loss + 1.959963984540054 * se,
        byWeight.uncertainty().confidenceInterval().get(1),
        se * 1e-8);
    assertNull(byWeight.uncertainty().bootstrap());

    // sum_over_*: each sequence's share of the denominator is its count of non-zero weights
    RunSummary byCount = run(corpus, Reduction.of(false, false, true, true), 0.9, "counts");
    double seCount = directStandardError(sums, true);
    assertEquals(seCount, byCount.uncertainty().standardError(), seCount * 1e-9);
    assertEquals(
        byCount.result().loss() + 1.6448536269514722 * seCount,
        byCount.uncertainty().confidenceInterval().get(1),
        seCount * 1e-8);
  }

  @Test
  void noScalarNoErrorBars() {
    Path corpus = Corpora.write(session(), tmp, RandomCorpus.rows(2, 20, 5, 4, true), 1);
    RunSummary perSequence = run(corpus, Reduction.of(true, false, false, false), 0.95, "b");
    assertNull(perSequence.uncertainty().standardError());
    assertNull(perSequence.uncertainty().confidenceInterval());
  }
}
