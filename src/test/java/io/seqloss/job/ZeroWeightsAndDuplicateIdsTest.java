package io.seqloss.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqloss.config.InvalidRowPolicy;
import io.seqloss.output.RunSummary;
import io.seqloss.testing.Corpora;
import io.seqloss.testing.CorpusRow;
import io.seqloss.testing.SparkTestBase;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Results that would mislead if reported plainly: a corpus with no weight, and ids carried twice.
 */
class ZeroWeightsAndDuplicateIdsTest extends SparkTestBase {

  private RunSummary run(List<CorpusRow> rows, int files) {
    return run(rows, files, InvalidRowPolicy.FAIL);
  }

  private RunSummary run(List<CorpusRow> rows, int files, InvalidRowPolicy policy) {
    Path corpus = Corpora.write(session(), tmp.resolve("in"), rows, files);
    return new SequenceLossJob(session())
        .run(
            JobConfig.builder()
                .inputPaths(List.of(corpus.toString()))
                .outputDir(tmp.resolve("out").toString())
                .invalidRowPolicy(policy)
                .build());
  }

  private static CorpusRow row(Object id, float weight) {
    return CorpusRow.of(id, new float[][] {{1, 2, 3}}, new int[] {0}, new float[] {weight});
  }

  @Test
  void allWeightsZeroGiveLossZeroButNoPerplexity() {
    RunSummary s = run(List.of(row("a", 0), row("b", 0)), 1);
    assertEquals(0.0, s.result().loss(), 0.0); // TensorFlow's divide guard
    assertEquals(1, s.totals().zeroDenominator());
    assertNull(s.result().perplexity(), "exp(0) = 1 would read as a perfect model");
    assertNull(s.result().bitsPerToken());
  }

  @Test
  void duplicateIdsAreCountedAndEachRowStaysASequence() {
    // "a" three times, "b" twice, "c" once, over two files so that the copies meet only in Spark's
    // shuffle
    List<CorpusRow> rows =
        List.of(row("b", 1), row("a", 1), row("c", 1), row("a", 1), row("b", 1), row("a", 1));
    RunSummary s = run(rows, 2);
    assertEquals(6, s.totals().sequences());
    assertEquals(2, s.totals().duplicateIds());
  }

  @Test
  void duplicateLongIdsAreCountedFromTheirKeys() {
    // 9 three times, 10 twice, 100 once, over three files
    List<CorpusRow> rows =
        List.of(row(10L, 1), row(9L, 1), row(100L, 1), row(9L, 1), row(10L, 1), row(9L, 1));
    RunSummary s = run(rows, 3);
    assertEquals(6, s.totals().sequences());
    assertEquals(2, s.totals().duplicateIds());
  }

  @Test
  void anInvalidRowsIdCountsTowardsDuplicates() {
    // the second "a" has target 5 (V = 3): skipped as invalid, but its id is still carried twice
    CorpusRow invalid =
        CorpusRow.of("a", new float[][] {{1, 2, 3}}, new int[] {5}, new float[] {1});
    RunSummary s = run(List.of(row("a", 1), row("b", 1), invalid), 2, InvalidRowPolicy.SKIP);
    assertEquals(2, s.totals().sequences());
    assertEquals(1, s.totals().invalidRows());
    assertEquals(1, s.totals().duplicateIds());
  }

  @Test
  void uniqueIdsCountNoDuplicates() {
    RunSummary s = run(List.of(row("a", 1), row("b", 1)), 1);
    assertEquals(0, s.totals().duplicateIds());
    assertTrue(s.result().perplexity() > 1);
  }
}
