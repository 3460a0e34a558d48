package io.seqloss.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqloss.config.ColumnNames;
import io.seqloss.config.Reduction;
import io.seqloss.input.Corpus;
import io.seqloss.input.CorpusReader;
import io.seqloss.loss.CandidateSampler;
import io.seqloss.loss.LossSettings;
import io.seqloss.output.RunSummary;
import io.seqloss.testing.CorpusRow;
import io.seqloss.testing.RandomCorpus;
import io.seqloss.testing.SparkTestBase;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** sampled_softmax over whole corpora: determinism across partitionings and its limits. */
class SampledSoftmaxJobTest extends SparkTestBase {

  private RunSummary run(
      Path corpusDir, LossSettings loss, Reduction reduction, int partitions, String out) {
    JobConfig config =
        JobConfig.builder()
            .inputPaths(List.of(corpusDir.toString()))
            .outputDir(tmp.resolve(out).toString())
            .reduction(reduction)
            .loss(loss)
            .build();
    Corpus corpus = new CorpusReader(session()).read(config.inputPaths(), ColumnNames.DEFAULT);
    Corpus split =
        new Corpus(
            partitions == 1 ? corpus.rows().coalesce(1) : corpus.rows().repartition(partitions),
            corpus.layout(),
            corpus.files());
    return new SequenceLossJob(session()).run(config, split);
  }

  private List<Row> read(String out, String kind, String orderBy) {
    return session()
        .read()
        .parquet(tmp.resolve(out).resolve(kind).toString())
        .orderBy(orderBy)
        .collectAsList();
  }

  @Test
  void identicalAcrossOneAndSevenPartitions() {
    Path one = corpus(RandomCorpus.rows(11, 40, 12, 300, true), "one", 1);
    Path three = corpus(RandomCorpus.rows(11, 40, 12, 300, true), "three", 3);
    LossSettings loss = LossSettings.sampledSoftmax(16, CandidateSampler.LOG_UNIFORM, 1234);
    Reduction scalar = Reduction.tensorflowDefault();
    RunSummary a = run(one, loss, scalar, 1, "a");
    RunSummary b = run(one, loss, scalar, 7, "b");
    RunSummary c = run(three, loss, scalar, 7, "c");
    assertEquals(a.result().loss(), b.result().loss(), 0.0);
    assertEquals(a.result().loss(), c.result().loss(), 0.0);
    assertEquals(a.totals().lossSum(), b.totals().lossSum(), 0.0);
    assertEquals(a.result().accuracy(), b.result().accuracy(), 0.0);
    assertEquals(a.result().topKAccuracy(), c.result().topKAccuracy(), 0.0);
    assertTrue(a.result().loss() > 0);
    assertNull(a.result().perplexity(), "a sampled loss is not a perplexity's log");
    assertEquals(16, a.lossSpec().lossOptions().get("num_sampled"));

    Reduction perSequence = Reduction.of(true, false, false, false);
    run(one, loss, perSequence, 1, "s1");
    run(one, loss, perSequence, 7, "s7");
    assertEquals(read("s1", "per_sequence", "id"), read("s7", "per_sequence", "id"));
    Reduction perStep = Reduction.of(false, true, false, false);
    run(one, loss, perStep, 1, "t1");
    run(three, loss, perStep, 7, "t7");
    assertEquals(read("t1", "per_timestep", "timestep"), read("t7", "per_timestep", "timestep"));

    RunSummary otherSeed =
        run(
            one,
            LossSettings.sampledSoftmax(16, CandidateSampler.LOG_UNIFORM, 1235),
            scalar,
            1,
            "d");
    assertTrue(
        otherSeed.result().loss() != a.result().loss().doubleValue(),
        "another --seed draws other candidates");
  }

  @Test
  void uniformSamplingOfEveryClassIsTheFullLossExactly() {
    Path corpus = corpus(RandomCorpus.rows(5, 12, 8, 40, true), "c", 2);
    RunSummary full =
        run(corpus, LossSettings.crossEntropy(), Reduction.tensorflowDefault(), 3, "full");
    RunSummary sampled =
        run(
            corpus,
            LossSettings.sampledSoftmax(40, CandidateSampler.UNIFORM, 9),
            Reduction.tensorflowDefault(),
            3,
            "sampled");
    assertEquals(full.result().loss(), sampled.result().loss(), 0.0);
    assertEquals(full.totals().lossSum(), sampled.totals().lossSum(), 0.0);
  }

  @Test
  void corpusAverageApproachesTheFullLossAsNumSampledGrows() {
    Path corpus = corpus(RandomCorpus.rows(3, 30, 10, 100, true), "c", 1);
    double full =
        run(corpus, LossSettings.crossEntropy(), Reduction.tensorflowDefault(), 2, "full")
            .result()
            .loss();
    double previous = Double.POSITIVE_INFINITY;
    for (CandidateSampler sampler : CandidateSampler.values()) {
      previous = Double.POSITIVE_INFINITY;
      for (int n : new int[] {3, 10, 30, 90}) {
        double loss =
            run(
                    corpus,
                    LossSettings.sampledSoftmax(n, sampler, 0),
                    Reduction.tensorflowDefault(),
                    2,
                    sampler + "-" + n)
                .result()
                .loss();
        double error = Math.abs(loss - full);
        assertTrue(
            error < previous,
            String.format(
                "%s num_sampled=%d: |%.6f - %.6f| = %.6f, not below %.6f",
                sampler, n, loss, full, error, previous));
        previous = error;
      }
      assertTrue(
          previous < 0.05 * full,
          sampler + ": at 90 of 100 classes within 5% of the full loss: " + previous);
    }
  }

  private Path corpus(List<CorpusRow> rows, String name, int files) {
    return io.seqloss.testing.Corpora.write(session(), tmp.resolve(name), rows, files);
  }
}
