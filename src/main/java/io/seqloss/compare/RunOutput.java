package io.seqloss.compare;

import io.seqloss.config.ConfigException;
import io.seqloss.config.Reduction;
import io.seqloss.input.InvalidInputException;
import io.seqloss.output.OutputSchemas;
import io.seqloss.output.RunSummary;
import io.seqloss.output.SummaryJson;
import io.seqloss.slice.GroupSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/**
 * One side of a comparison: a seqloss run's output directory, its summary and its per_sequence/
 * table. Everything that makes it unusable is found here, before any Spark job: a directory that is
 * no seqloss output or lacks the table is a usage error (exit 2) naming the option and the
 * directory.
 */
record RunOutput(
    String option,
    String dir,
    RunSummary summary,
    String perSequence,
    DataType idType,
    String perTimestep,
    String lossByPosition,
    Reduction.Denominator denominator,
    List<String> groupKeys) {

  /** The per_sequence/ columns a comparison reads. */
  static final List<String> COLUMNS =
      List.of("id", "loss", "loss_sum", "weight_sum", "nonzero_weights");

  static RunOutput open(
      String option,
      String dir,
      Configuration hadoopConf,
      java.util.function.Function<String, StructType> schemaOf) {
    try {
      Path root = new Path(dir);
      FileSystem fs = root.getFileSystem(hadoopConf);
      root = fs.makeQualified(root);
      Path summaryFile = new Path(root, OutputSchemas.SUMMARY);
      if (!fs.exists(summaryFile)) {
        throw new ConfigException(
            String.format(
                "%s %s is not a seqloss run's output: it has no %s",
                option, dir, OutputSchemas.SUMMARY));
      }
      RunSummary summary;
      try (InputStream in = fs.open(summaryFile)) {
        summary = SummaryJson.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(
            String.format(
                "%s %s: its %s is %s", option, dir, OutputSchemas.SUMMARY, e.getMessage()),
            e);
      }
      if (!"succeeded".equals(summary.status())) {
        throw new ConfigException(
            String.format(
                "%s %s: its run's status is '%s', not 'succeeded'", option, dir, summary.status()));
      }
      Path table = new Path(root, OutputSchemas.PER_SEQUENCE);
      if (!fs.exists(table)) {
        throw new ConfigException(
            String.format(
                "%s %s has no %s/ table to pair: rerun that evaluation with "
                    + "--per-sequence (or --average-across-batch=false)",
                option, dir, OutputSchemas.PER_SEQUENCE));
      }
      StructType schema = schemaOf.apply(table.toString());
      for (String column : COLUMNS) {
        if (!List.of(schema.fieldNames()).contains(column)) {
          throw new ConfigException(
              String.format(
                  "%s %s: its %s/ has no '%s' column (columns: %s); it was "
                      + "written by a seqloss version before comparisons: rerun that evaluation",
                  option, dir, OutputSchemas.PER_SEQUENCE, column, List.of(schema.fieldNames())));
        }
      }
      if (summary.totals().duplicateIds() > 0) {
        throw new InvalidInputException(
            String.format(
                "%s %s: %d sequence id(s) of its corpus are carried by "
                    + "more than one row, so its sequences cannot be paired by id",
                option, dir, summary.totals().duplicateIds()));
      }
      Path steps = new Path(root, OutputSchemas.PER_TIMESTEP);
      Path curve = new Path(root, OutputSchemas.LOSS_BY_POSITION);
      RunSummary.ReductionFlags f = summary.reduction();
      Reduction.Denominator denominator =
          Reduction.of(
                  f.averageAcrossTimesteps(),
                  f.averageAcrossBatch(),
                  f.sumOverTimesteps(),
                  f.sumOverBatch())
              .denominator();
      return new RunOutput(
          option,
          dir,
          summary,
          table.toString(),
          schema.apply("id").dataType(),
          fs.exists(steps) ? steps.toString() : null,
          // runs before loss_by_position/ (or with --no-report) have none: the report says so
          fs.exists(curve) ? curve.toString() : null,
          // per_sequence/'s loss divides by the weight sum unless the sum_over flags say the count
          denominator == Reduction.Denominator.NONZERO_COUNT
              ? denominator
              : Reduction.Denominator.WEIGHT_SUM,
          groupKeys(summary, schema));
    } catch (IOException e) {
      throw new UncheckedIOException(option + " " + dir + ": cannot read it", e);
    }
  }

  /**
   * The group key columns of a run with --group-by or --length-buckets whose per_sequence/ carries
   * them (a grouped run writes its key after the other columns); empty otherwise.
   */
  private static List<String> groupKeys(RunSummary summary, StructType schema) {
    RunSummary.Slices slices = summary.slices();
    List<String> keys =
        new java.util.ArrayList<>(
            slices == null || slices.groupBy() == null ? List.of() : slices.groupBy());
    if (slices != null && slices.lengthBuckets() != null && !slices.lengthBuckets().isEmpty()) {
      keys.add(GroupSpec.LENGTH_BUCKET);
    }
    return List.of(schema.fieldNames()).containsAll(keys) ? List.copyOf(keys) : List.of();
  }

  /** The --length-buckets edges of a grouped run; empty when none. */
  List<Integer> lengthBuckets() {
    RunSummary.Slices slices = summary.slices();
    return slices == null || slices.lengthBuckets() == null ? List.of() : slices.lengthBuckets();
  }

  RunSummary.ReductionFlags reduction() {
    return summary.reduction();
  }

  String lossFunction() {
    return summary.lossSpec().lossFunction();
  }

  Object lossOptions() {
    return summary.lossSpec().lossOptions();
  }
}
