package io.seqloss.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.seqloss.output.RunSummary;
import io.seqloss.testing.Corpora;
import io.seqloss.testing.CorpusRow;
import io.seqloss.testing.SparkTestBase;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Logits of magnitude 1e4 through the whole job: no overflow, no NaN, no lost precision. */
class ExtremeLogitsTest extends SparkTestBase {

  @Test
  void hugeLogitsGiveTheShiftInvariantLoss() {
    // Each step is a shifted copy of [1, 0, -1] (shift ±1e4): the loss is that of [1, 0, -1].
    float[][] logits = {{10_001, 10_000, 9_999}, {-9_999, -10_000, -10_001}, {10_000, -10_000, 0}};
    int[] targets = {0, 1, 1};
    Path corpus =
        Corpora.write(
            session(),
            tmp,
            List.of(CorpusRow.of("huge", logits, targets, new float[] {1, 1, 1})),
            1);
    RunSummary s =
        new SequenceLossJob(session())
            .run(
                JobConfig.builder()
                    .inputPaths(List.of(corpus.toString()))
                    .outputDir(tmp.resolve("out").toString())
                    .build());
    double lse = Math.log(Math.exp(1) + 1 + Math.exp(-1));
    double step0 = lse - 1;
    double step1 = lse;
    double step2 = 20_000 + Math.log1p(Math.exp(-10_000) + Math.exp(-20_000)); // = 20000 in double
    assertEquals((step0 + step1 + step2) / 3, s.result().loss(), 1e-9);
  }
}
