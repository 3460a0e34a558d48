package io.seqloss.compare;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.seqloss.config.ConfigException;
import io.seqloss.config.Reduction;
import io.seqloss.input.InvalidInputException;
import io.seqloss.job.Versions;
import io.seqloss.output.OutputDirectory;
import io.seqloss.output.OutputSchemas;
import io.seqloss.stats.LossHistogram;
import io.seqloss.stats.PairedDelta;
import io.seqloss.stats.PoissonBootstrap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code compare}: pairs two runs' per_sequence/ rows by id with a full outer join, sums what the
 * paired difference needs on the executors (exact sums, merged in any order), and writes
 * comparison.json, unpaired_ids/ and, when both runs have one, per_timestep/, all or nothing.
 */
public final class PairedComparison {
  private final SparkSession spark;

  public PairedComparison(SparkSession spark) {
    this.spark = spark;
  }

  public ComparisonResult run(CompareConfig config) {
    long start = System.nanoTime();
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    RunOutput a =
        RunOutput.open(
            "--baseline", config.baseline(), hadoop, p -> spark.read().parquet(p).schema());
    RunOutput b =
        RunOutput.open(
            "--candidate", config.candidate(), hadoop, p -> spark.read().parquet(p).schema());
    Comparability.check(a, b);
    checkOutputApart(config, hadoop);
    OutputDirectory out =
        OutputDirectory.prepare(
            config.output(), List.of(config.baseline(), config.candidate()), hadoop);
    try {
      ComparisonResult result = compare(config, a, b, out, start);
      if (config.report()) { // before comparison.json: the marker lists what staging holds then
        CompareReport.write(spark, result, a, b, out);
      }
      out.writeResult(OutputSchemas.COMPARISON, result.toJson());
      out.commit();
      return result;
    } catch (Throwable e) {
      out.abort(); // the previous output, if any, stays as it was
      throw e;
    }
  }

  private ComparisonResult compare(
      CompareConfig config, RunOutput a, RunOutput b, OutputDirectory out, long start) {
    boolean byCount = a.denominator() == Reduction.Denominator.NONZERO_COUNT;
    List<String> groups = Comparability.sharedGroups(a, b);
    List<Column> columns =
        new ArrayList<>(
            List.of(
                coalesce(col("id_a"), col("id_b")).as("id"),
                col("loss_a"),
                col("loss_sum_a"),
                col("weight_sum_a"),
                col("nonzero_weights_a"),
                col("loss_b"),
                col("loss_sum_b"),
                col("weight_sum_b"),
                col("nonzero_weights_b")));
    groups.forEach(g -> columns.add(col(g))); // the baseline's group values, after the nine columns
    Dataset<Row> joined =
        side(a, "a", groups)
            .join(side(b, "b", List.of()), col("id_a").equalTo(col("id_b")), "full_outer")
            .select(columns.toArray(Column[]::new));
    spark.sparkContext().setJobDescription("seqloss compare: pair " + a.dir() + " with " + b.dir());
    PairedTotals t =
        joined
            .javaRDD()
            .treeAggregate(
                new PairedTotals(
                    byCount, config.bootstrap(), config.bootstrapSeed(), config.worst(), true),
                PairedTotals::add,
                PairedTotals::merge,
                2);
    checkPairs(t, a, b);

    Map<String, String> outputs = new LinkedHashMap<>();
    outputs.put("comparison", OutputSchemas.COMPARISON);
    if (config.report()) {
      outputs.put("report", CompareReport.NAME);
    }
    spark.sparkContext().setJobDescription("seqloss compare: list unpaired ids");
    joined
        .filter(col("loss_sum_a").isNull().or(col("loss_sum_b").isNull()))
        .select(
            col("id"),
            when(col("loss_sum_a").isNull(), lit("candidate"))
                .otherwise(lit("baseline"))
                .as("found_in"))
        .write()
        .parquet(out.stagingPath(OutputSchemas.UNPAIRED_IDS));
    outputs.put(OutputSchemas.UNPAIRED_IDS, OutputSchemas.UNPAIRED_IDS + "/");
    if (a.perTimestep() != null && b.perTimestep() != null) {
      spark.sparkContext().setJobDescription("seqloss compare: per-timestep curves");
      TimestepCurves.write(
          spark, a.perTimestep(), b.perTimestep(), out.stagingPath(OutputSchemas.PER_TIMESTEP));
      outputs.put(OutputSchemas.PER_TIMESTEP, OutputSchemas.PER_TIMESTEP + "/");
    }
    Long groupCount = null;
    if (!groups.isEmpty()) {
      spark.sparkContext().setJobDescription("seqloss compare: per-group deltas");
      groupCount =
          GroupDeltas.write(
              spark,
              joined.filter(col("loss_sum_a").isNotNull().and(col("loss_sum_b").isNotNull())),
              groups,
              byCount,
              config.confidence(),
              out.stagingPath(OutputSchemas.PER_GROUP_DELTA));
      outputs.put(OutputSchemas.PER_GROUP_DELTA, OutputSchemas.PER_GROUP_DELTA + "/");
    }
    spark.sparkContext().setJobDescription(null);

    PairedDelta d = t.delta;
    ComparisonResult.Bootstrap boot = null;
    if (d.bootstrap() != null) {
      PoissonBootstrap replicates = d.bootstrap();
      boot =
          new ComparisonResult.Bootstrap(
              replicates.replicates(),
              replicates.seed(),
              replicates.percentileInterval(config.confidence()),
              replicates.standardError(),
              replicates.replicates() - replicates.ratios().length);
    }
    return new ComparisonResult(
        "succeeded",
        d.delta(),
        d.baselineRatio(),
        d.candidateRatio(),
        d.standardError(),
        config.confidence(),
        d.interval(config.confidence()),
        d.pValue(),
        ComparisonResult.P_VALUE_METHOD,
        boot,
        (double) t.candidateBetter / t.paired,
        t.candidateBetter,
        t.ties,
        t.baselineBetter,
        t.paired,
        t.baselineOnly,
        t.candidateOnly,
        byCount ? "nonzero_weights" : "weight_sum",
        d.weightSum(),
        d.baselineSum(),
        d.candidateSum(),
        a.lossFunction(),
        a.reduction(),
        b.reduction(),
        groups.isEmpty() ? null : groups,
        groupCount,
        histogram(t.differences),
        t.increases.largestFirst(),
        a.dir(),
        b.dir(),
        out.targetPath(),
        outputs,
        (System.nanoTime() - start) / 1e9,
        Versions.seqloss(),
        spark.version());
  }

  /** Bars at most in the differences' histogram. */
  private static final int HISTOGRAM_BARS = 60;

  /** The differences' exact histogram as comparison.json holds it: bars between the tails. */
  private static ComparisonResult.DeltaHistogram histogram(LossHistogram differences) {
    LossHistogram.Display d = differences.display(HISTOGRAM_BARS, true);
    List<ComparisonResult.Bin> bins = new ArrayList<>(d.counts().size());
    for (int i = 0; i < d.counts().size(); i++) {
      double lower = d.start() + i * d.width();
      bins.add(new ComparisonResult.Bin(lower, lower + d.width(), d.counts().get(i)));
    }
    return new ComparisonResult.DeltaHistogram(
        d.width(), bins, d.below(), d.above(), d.nanCount(), d.total());
  }

  /** One run's per_sequence/ columns, suffixed with its side, and the group columns named. */
  private Dataset<Row> side(RunOutput run, String s, List<String> groups) {
    List<Column> columns =
        new ArrayList<>(
            List.of(
                col("id").as("id_" + s),
                col("loss").as("loss_" + s),
                col("loss_sum").as("loss_sum_" + s),
                col("weight_sum").as("weight_sum_" + s),
                col("nonzero_weights").as("nonzero_weights_" + s)));
    groups.forEach(g -> columns.add(col(g)));
    return spark.read().parquet(run.perSequence()).select(columns.toArray(Column[]::new));
  }

  private static void checkPairs(PairedTotals t, RunOutput a, RunOutput b) {
    if (t.mismatched > 0) {
      throw new InvalidInputException(
          String.format(
              "%d sequence(s) have different weights in %s and %s, for "
                  + "example id '%s' (%s); the two runs are not over the same corpus (targets, weights, "
                  + "--ignore-index and --class-weights must agree), so their losses cannot be paired",
              t.mismatched, a.dir(), b.dir(), t.mismatchExample, t.mismatchDetail));
    }
    if (t.paired == 0) {
      throw new InvalidInputException(
          String.format(
              "no sequence id is in both %s and %s (%d only in the first, "
                  + "%d only in the second); ids derived from file paths (file#row, for a corpus without an id "
                  + "column) differ between two checkpoints' files: give the corpus an id column",
              a.dir(), b.dir(), t.baselineOnly, t.candidateOnly));
    }
    if (t.delta.weightSum() == 0.0) {
      throw new InvalidInputException(
          String.format(
              "the %d paired sequences of %s and %s have a %s of 0: "
                  + "there is no loss to compare",
              t.paired, a.dir(), b.dir(), Comparability.name(a)));
    }
  }

  /**
   * The output replaces a directory: it must be neither run's directory, nor hold one, nor lie in
   * one.
   */
  private static void checkOutputApart(CompareConfig config, Configuration hadoop) {
    try {
      Path out = qualified(config.output(), hadoop);
      for (String run : List.of(config.baseline(), config.candidate())) {
        Path dir = qualified(run, hadoop);
        if (isWithin(out, dir) || isWithin(dir, out)) {
          throw new ConfigException(
              String.format(
                  "--output %s overlaps the run directory %s; replacing it "
                      + "would delete that run: choose another --output",
                  config.output(), run));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot resolve --output " + config.output(), e);
    }
  }

  private static Path qualified(String dir, Configuration hadoop) throws IOException {
    Path p = new Path(dir);
    FileSystem fs = p.getFileSystem(hadoop);
    return fs.makeQualified(p);
  }

  private static boolean isWithin(Path inner, Path outer) {
    for (Path p = inner; p != null; p = p.getParent()) {
      if (p.equals(outer)) {
        return true;
      }
    }
    return false;
  }
}
