package io.seqloss.job;

import io.seqloss.config.InvalidRowPolicy;
import io.seqloss.config.Reduction;
import io.seqloss.eval.CorpusEvaluation;
import io.seqloss.eval.EvaluationSpec;
import io.seqloss.eval.IdKeyFiles;
import io.seqloss.eval.PartitionEvaluator;
import io.seqloss.eval.ScoringSpec;
import io.seqloss.fastpath.ColumnBatchParquetFormat;
import io.seqloss.fastpath.CommittedParquetWrite;
import io.seqloss.fastpath.FastPaths;
import io.seqloss.fastpath.InternalRowFrames;
import io.seqloss.input.ClassWeightsFile;
import io.seqloss.input.Corpus;
import io.seqloss.input.CorpusReader;
import io.seqloss.input.InvalidInputException;
import io.seqloss.input.ReaderSettings;
import io.seqloss.loss.TokenLoss;
import io.seqloss.loss.TokenLosses;
import io.seqloss.metrics.ScalarMetrics;
import io.seqloss.output.OutputDirectory;
import io.seqloss.output.OutputSchemas;
import io.seqloss.output.RunSummary;
import io.seqloss.output.SummaryJson;
import io.seqloss.reduce.CorpusResult;
import io.seqloss.reduce.CorpusTotals;
import io.seqloss.reduce.CorpusTotalsAccumulator;
import io.seqloss.report.LossByPositionTable;
import io.seqloss.report.RunReportFile;
import io.seqloss.slice.GroupResults;
import io.seqloss.slice.GroupSpec;
import io.seqloss.slice.GroupTable;
import io.seqloss.slice.GroupTotalsAccumulator;
import io.seqloss.stats.BootstrapSpec;
import io.seqloss.stats.RunStatistics;
import io.seqloss.stats.RunStatisticsAccumulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;

/**
 * One evaluation run: read the corpus, evaluate every row in one distributed pass, reduce the
 * partition totals exactly, write the results to a staging directory and swap it in.
 */
public final class SequenceLossJob {
  private static final Logger LOG = LogManager.getLogger(SequenceLossJob.class);
  static final String SUMMATION =
      "exact: per-sequence sums in double in timestep order, "
          + "cross-sequence sums in an exact fixed-point accumulator rounded once";

  private final SparkSession spark;

  public SequenceLossJob(SparkSession spark) {
    this.spark = spark;
  }

  public RunSummary run(JobConfig config) {
    return run(
        config,
        () ->
            new CorpusReader(spark)
                .read(
                    config.inputPaths(),
                    config.format().orElse(null),
                    config.columns(),
                    config.invalidRowPolicy(),
                    config.groupBy()));
  }

  /** Evaluates an already opened corpus (tests use this to repartition it). */
  public RunSummary run(JobConfig config, Corpus opened) {
    return run(config, () -> opened);
  }

  /**
   * The corpus is opened only once the output is prepared: a bad --output fails before any data is
   * read.
   */
  private RunSummary run(JobConfig config, Supplier<Corpus> input) {
    long start = System.nanoTime();
    FastPaths.checkAtStartUp();
    double[] classWeights =
        config
            .classWeightsFile()
            .map(f -> ClassWeightsFile.read(f, spark.sparkContext().hadoopConfiguration()))
            .orElse(null);
    OutputDirectory out =
        OutputDirectory.prepare(
            config.outputDir(), config.inputPaths(), spark.sparkContext().hadoopConfiguration());
    ProgressLogger progress = new ProgressLogger(10);
    RunningTasks tasks = new RunningTasks();
    DataErrorFastFail fastFail = new DataErrorFastFail(spark.sparkContext());
    spark.sparkContext().addSparkListener(progress);
    spark.sparkContext().addSparkListener(tasks);
    spark.sparkContext().addSparkListener(fastFail);
    // A SIGTERM ends the run from a shutdown hook, which stops its tasks and removes its staging
    // directory.
    ActiveRun.Registration abortable =
        ActiveRun.onAbort(
            () -> {
              tasks.interruptAll(spark.sparkContext(), "seqloss: the run is terminating");
              abort(out, tasks, 30);
            });
    try {
      Corpus corpus = input.get();
      // Every read of the run (the V probe, the evaluation) uses reader batches and buffers sized
      // to the corpus.
      ReaderSettings reader = ReaderSettings.forCorpus(spark, corpus);
      RunStatisticsAccumulator statistics =
          new RunStatisticsAccumulator(
              new RunStatistics.Settings(
                  config.report(), config.reportWorst(), config.reduction().dividesByCount()));
      spark.sparkContext().register(statistics, "seqloss report statistics");
      RunSummary summary =
          reader.applyTo(
              spark, () -> evaluate(config, corpus, classWeights, out, start, statistics));
      DriverFatalErrors
          .check(); // a driver thread that died of an Error may have lost part of the run
      if (config
          .report()) { // before the summary: the marker lists what the staging directory holds then
        RunReportFile.write(
            out.stagingPath(RunReportFile.NAME),
            summary,
            statistics.value(),
            spark.sparkContext().hadoopConfiguration());
      }
      out.writeSummary(SummaryJson.toJson(summary));
      if (!abortable.release()) { // from here a SIGTERM leaves what a kill during the commit leaves
        throw new IllegalStateException("the run was aborted before its commit");
      }
      out.commit();
      return summary;
    } catch (Throwable e) {
      // Throwable: Spark's jobs fail with SparkException, a checked exception that Scala code
      // throws undeclared; it must clean up too. (Rethrown as is: javac sees only unchecked ones
      // here.)
      // A task whose result a dying driver thread lost never reports its end: do not wait the full
      // minute.
      abort(out, tasks, DriverFatalErrors.occurred() ? 10 : 60);
      DriverFatalErrors
          .check(); // the failure to report is the Error that cancelled the jobs, if any
      Optional<InvalidInputException> dataError = fastFail.dataError(e);
      if (dataError.isPresent()) {
        throw dataError.get(); // the cancelled job's own exception says only that it was cancelled
      }
      throw e;
    } finally {
      abortable.release();
      spark.sparkContext().removeSparkListener(progress);
      spark.sparkContext().removeSparkListener(tasks);
      spark.sparkContext().removeSparkListener(fastFail);
    }
  }

  /**
   * Removes the staging directory once the failed job's last tasks have stopped writing into it.
   */
  private static void abort(OutputDirectory out, RunningTasks tasks, long waitSeconds) {
    try {
      if (!tasks.awaitNone(waitSeconds, TimeUnit.SECONDS)) {
        LOG.warn(
            "tasks of the failed run are still running after {} s; its hidden staging directory beside {} "
                + "may be left behind",
            waitSeconds,
            out.targetPath());
      }
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    }
    out.abort();
  }

  private RunSummary evaluate(
      JobConfig config,
      Corpus corpus,
      double[] classWeights,
      OutputDirectory out,
      long start,
      RunStatisticsAccumulator statistics) {
    NumClassesProbe.Found v =
        config.numClasses().isPresent()
            ? new NumClassesProbe.Found(config.numClasses().getAsInt(), "set by --num-classes")
            : NumClassesProbe.probe(spark, corpus, config.columns().logits());
    if (classWeights != null) {
      ClassWeightsFile.checkLength(
          config.classWeightsFile().orElseThrow(), classWeights, v.numClasses(), v.source());
    }
    // Options that depend on V (--num-sampled <= V) are usage errors here, on the driver, before
    // any task.
    TokenLoss loss = TokenLosses.create(config.loss(), v.numClasses(), classWeights);
    Reduction reduction = config.reduction();
    ScoringSpec scoring =
        new ScoringSpec(
            config.loss(), classWeights, config.ignoreIndex().orElse(null), config.topK());
    GroupSpec groups = config.hasGroups() ? GroupedRun.resolve(config, corpus) : null;
    EvaluationSpec spec =
        new EvaluationSpec(
            corpus.layout(),
            config.columns(),
            v.numClasses(),
            v.source(),
            scoring,
            reduction,
            config.invalidRowPolicy(),
            groups,
            config.bootstrapReplicates() > 0
                ? new BootstrapSpec(config.bootstrapReplicates(), config.bootstrapSeed())
                : null);
    LOG.info(
        "evaluating {} file(s), V={} ({}), loss={} {}, {}",
        corpus.files().size(),
        v.numClasses(),
        v.source(),
        config.lossName(),
        config.loss().options(),
        reduction);

    CorpusTotalsAccumulator accumulator = new CorpusTotalsAccumulator();
    spark.sparkContext().register(accumulator, "seqloss corpus totals");
    CorpusEvaluation rows = CorpusEvaluation.plan(corpus);
    // --per-sequence rides on the one pass, except beside per-token rows and per-timestep shares:
    // those are the pass's output rows, and per_sequence/ needs a second pass.
    boolean sequencesInPass =
        config.perSequence()
            && reduction.shape() != Reduction.Shape.PER_TOKEN
            && reduction.shape() != Reduction.Shape.PER_TIMESTEP;
    GroupTotalsAccumulator groupTotals = groups == null ? null : GroupedRun.newAccumulator(spark);
    // The pass writes its id keys for the duplicate-id count: a bucket a task of that count, at
    // most 64 of them (each task opens every partition's file).
    IdKeyFiles idKeys =
        new IdKeyFiles(
            out.stagingPath(".id-keys"),
            Math.max(1, Math.min(64, spark.sparkContext().defaultParallelism())),
            spark.sessionState().newHadoopConf());
    PartitionEvaluator evaluator =
        new PartitionEvaluator(
                spec,
                sequencesInPass
                    ? PartitionEvaluator.Emit.SEQUENCES
                    : PartitionEvaluator.Emit.RESULTS,
                accumulator,
                statistics)
            .withIdKeys(idKeys)
            .withGroupTotals(groupTotals);

    Map<String, String> outputs = new LinkedHashMap<>();
    outputs.put("summary", OutputSchemas.SUMMARY);
    if (config.report()) {
      outputs.put("report", RunReportFile.NAME);
      outputs.put(OutputSchemas.LOSS_BY_POSITION, OutputSchemas.LOSS_BY_POSITION + "/");
    }
    spark.sparkContext().setJobDescription("seqloss: evaluate " + config.inputPaths());
    StructType perSequence = OutputSchemas.perSequence(corpus.layout().idType());
    if (groups != null) {
      for (StructField key : GroupTable.keyFields(groups)) {
        perSequence = perSequence.add(key);
      }
    }
    LongAccumulator steps = spark.sparkContext().longAccumulator("seqloss timesteps");
    LongAccumulator zeroSteps =
        spark.sparkContext().longAccumulator("seqloss timesteps with a zero denominator");
    int partitions;
    if (groups == null && (sequencesInPass || reduction.shape() == Reduction.Shape.PER_SEQUENCE)) {
      partitions = writeSequences(rows, evaluator, perSequence, out, outputs);
    } else {
      JavaRDD<Row> results = rows.evaluate(evaluator);
      partitions = results.getNumPartitions();
      if (sequencesInPass) { // with its group columns, dates as dates
        GroupResults.withDates(
                spark.createDataFrame(results, perSequence),
                groups,
                OutputSchemas.perSequence(corpus.layout().idType()).size())
            .write()
            .parquet(out.stagingPath(OutputSchemas.PER_SEQUENCE));
        outputs.put(OutputSchemas.PER_SEQUENCE, OutputSchemas.PER_SEQUENCE + "/");
      } else if (reduction.shape() == Reduction.Shape.PER_TOKEN) {
        write(
            results,
            OutputSchemas.perToken(corpus.layout().idType()),
            out,
            OutputSchemas.PER_TOKEN,
            outputs);
      } else if (reduction.shape() == Reduction.Shape.PER_TIMESTEP) {
        write(
            new TimestepAggregation(reduction, steps, zeroSteps).rows(results),
            OutputSchemas.perTimestep(),
            out,
            OutputSchemas.PER_TIMESTEP,
            outputs);
      } else {
        results.foreachPartition(it -> it.forEachRemaining(r -> {}));
      }
    }
    CorpusTotals totals = accumulator.value();
    RowAccounting.check(corpus, rows.declaredRows(), totals);
    // The duplicate-id count reads only the keys the pass wrote: it runs beside what follows.
    int evaluatedPartitions = partitions;
    try (JobBesideTheDriver<DuplicateIds> duplicateCount =
        JobBesideTheDriver.start(
            spark.sparkContext(),
            "seqloss: count duplicate ids",
            () -> DuplicateIds.fromKeys(spark, corpus, idKeys, evaluatedPartitions))) {
      if (config.perSequence() && !sequencesInPass) {
        spark
            .sparkContext()
            .setJobDescription(
                "seqloss: per-sequence rows beside the "
                    + reduction.shape().notation()
                    + " result");
        PartitionEvaluator sequences =
            new PartitionEvaluator(spec, PartitionEvaluator.Emit.SEQUENCES, null);
        writeSequences(rows, sequences, perSequence, out, outputs); // groups: scalar
      }

      if (totals.invalidRows() > 0 && config.invalidRowPolicy() == InvalidRowPolicy.SKIP) {
        spark.sparkContext().setJobDescription("seqloss: list invalid rows");
        JavaRDD<Row> invalid =
            rows.evaluate(new PartitionEvaluator(spec, PartitionEvaluator.Emit.INVALID_ROWS, null));
        write(invalid, OutputSchemas.invalid(), out, OutputSchemas.INVALID, outputs);
      }
      CorpusResult numbers = CorpusResult.of(reduction, totals, steps.value(), zeroSteps.value());
      // per_group/ is made beside loss_by_position/: with more groups than the driver merges, a
      // Spark pass and write; otherwise one small file from the driver, as loss_by_position/.
      RunSummary.Slices slices;
      try (JobBesideTheDriver<RunSummary.Slices> groupResults =
          groups == null
              ? JobBesideTheDriver.done(RunSummary.Slices.NONE)
              : JobBesideTheDriver.start(
                  spark.sparkContext(),
                  "seqloss: per-group results",
                  () ->
                      GroupedRun.finish(
                          spark, rows, spec, groupTotals, config, loss.isCrossEntropy(), out))) {
        if (groups != null) {
          outputs.put(OutputSchemas.PER_GROUP, OutputSchemas.PER_GROUP + "/");
        }
        if (config.report()) { // inside elapsed_seconds, like every output's write
          LossByPositionTable.write(
              spark,
              statistics.value().positions().points(),
              out.stagingPath(OutputSchemas.LOSS_BY_POSITION));
        }
        spark.sparkContext().setJobDescription(null);
        slices = groupResults.join();
      }

      Double scalar = numbers.scalarLoss();
      // TensorFlow's guard makes the loss 0 when nothing has weight; a perplexity of 1 would read
      // as a perfect model.
      Double perplexityOf =
          numbers.shape() == Reduction.Shape.SCALAR && numbers.zeroDenominator() > 0
              ? null
              : scalar;
      DuplicateIds duplicates = duplicateCount.join();
      if (duplicates.ids() > 0) {
        LOG.warn(
            "{} id(s) are carried by more than one row ({} rows in all), for example '{}'; each row is "
                + "evaluated as its own sequence, but a join on id would pair them wrongly",
            duplicates.ids(),
            duplicates.rows(),
            duplicates.example().orElseThrow());
      }
      return new RunSummary(
          "succeeded",
          new RunSummary.Result(
              scalar,
              ScalarMetrics.perplexity(perplexityOf, loss.isCrossEntropy()),
              ScalarMetrics.bitsPerToken(perplexityOf, loss.isCrossEntropy()),
              numbers.scalarAccuracy(),
              config.topK(),
              numbers.scalarTopKAccuracy(),
              reduction.shape().notation(),
              numbers.dims(totals)),
          ErrorBars.of(scalar, totals, config),
          slices,
          new RunSummary.ReductionFlags(
              reduction.averageAcrossTimesteps(),
              reduction.averageAcrossBatch(),
              reduction.sumOverTimesteps(),
              reduction.sumOverBatch()),
          new RunSummary.LossSpec(
              config.lossName(),
              config.loss().options(),
              config.ignoreIndex().orElse(null),
              config.classWeightsFile().orElse(null),
              v.numClasses(),
              v.source()),
          new RunSummary.Totals(
              totals.sequences() + totals.invalidRows(),
              totals.sequences(),
              totals.invalidRows(),
              duplicates.ids(),
              totals.tokens(),
              totals.lossSum(),
              totals.weightSum(),
              totals.nonzeroWeights(),
              totals.correctSum(),
              totals.topKSum(),
              numbers.zeroDenominator(),
              numbers.zeroDenominatorOf(),
              SUMMATION),
          new RunSummary.Calibration(
              statistics.value().calibration().ece(), statistics.value().calibration().bins()),
          new RunSummary.InputFacts(
              config.inputPaths(),
              corpus.files().size(),
              corpus.skipped().stream()
                  .map(f -> new RunSummary.SkippedFile(f.file(), f.error()))
                  .toList(),
              corpus.skipped().isEmpty()),
          new RunSummary.OutputFacts(out.targetPath(), outputs),
          new RunSummary.RunFacts(
              (System.nanoTime() - start) / 1e9, Versions.seqloss(), spark.version()));
    }
  }

  /**
   * Runs a pass whose rows are per_sequence rows (without group columns) and writes them: as
   * Spark's internal rows when that fast path is there, else through the public API, to the same
   * bytes. Returns the pass's partition count.
   */
  private int writeSequences(
      CorpusEvaluation rows,
      PartitionEvaluator evaluator,
      StructType schema,
      OutputDirectory out,
      Map<String, String> outputs) {
    Optional<InternalRowFrames> internal = InternalRowFrames.of(spark);
    String path = out.stagingPath(OutputSchemas.PER_SEQUENCE);
    int partitions;
    if (internal.isPresent()) {
      JavaRDD<InternalRow> sequences = rows.evaluateToInternalRows(evaluator.toInternalRows());
      partitions = sequences.getNumPartitions();
      if (CommittedParquetWrite.applies(sequences)) {
        // no query to plan: the same files (CommittedParquetWrite)
        try {
          CommittedParquetWrite.write(spark, sequences, schema, path);
        } catch (IOException e) {
          throw new UncheckedIOException("could not set up the write of " + path, e);
        }
      } else {
        saveSequences(internal.get().frame(spark, sequences, schema), path);
      }
    } else {
      JavaRDD<Row> sequences = rows.evaluate(evaluator);
      partitions = sequences.getNumPartitions();
      saveSequences(spark.createDataFrame(sequences, schema), path);
    }
    outputs.put(OutputSchemas.PER_SEQUENCE, OutputSchemas.PER_SEQUENCE + "/");
    return partitions;
  }

  /** per_sequence/ as a DataFrame write. */
  private static void saveSequences(Dataset<Row> frame, String path) {
    // a column at a time where the fast paths are on: the same files (ColumnBatchParquetFormat)
    frame
        .write()
        .format(FastPaths.enabled() ? ColumnBatchParquetFormat.NAME : "parquet")
        .save(path);
  }

  private void write(
      JavaRDD<Row> rows,
      StructType schema,
      OutputDirectory out,
      String name,
      Map<String, String> outputs) {
    spark.createDataFrame(rows, schema).write().parquet(out.stagingPath(name));
    outputs.put(name, name + "/");
  }
}
