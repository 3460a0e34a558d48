package io.seqloss.job;

import io.seqloss.eval.CorpusEvaluation;
import io.seqloss.eval.EvaluationSpec;
import io.seqloss.eval.PartitionEvaluator;
import io.seqloss.input.Corpus;
import io.seqloss.input.InputLayout;
import io.seqloss.output.OutputDirectory;
import io.seqloss.output.OutputSchemas;
import io.seqloss.output.RunSummary;
import io.seqloss.slice.GroupResults;
import io.seqloss.slice.GroupSpec;
import io.seqloss.slice.GroupTable;
import io.seqloss.slice.GroupTotalsAccumulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import org.apache.hadoop.fs.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * The grouped part of a run. The evaluation pass sends each task's group totals to the driver
 * ({@link GroupTotalsAccumulator}); while there are at most {@link GroupResults#MAX_IN_SUMMARY}
 * groups, the driver merges them and writes per_group/ itself. With more, a second pass writes the
 * tasks' partial totals into the staging directory (a result stage, like every other output, so a
 * retried task's partials are discarded), a small job merges them per group on the executors into
 * per_group/, and the partials are deleted. Both give the same rows: the merge is exact.
 */
final class GroupedRun {
  private static final Logger LOG = LogManager.getLogger(GroupedRun.class);
  private static final String PARTIALS = "group-partials";

  /**
   * The Spark setting that lowers the number of groups merged on the driver, so that tests can run
   * the executor merge on few groups (it cannot be raised: summary.json lists at most that many).
   */
  static final String DRIVER_LIMIT_CONF = "spark.seqloss.groups.driverMergeLimit";

  private GroupedRun() {}

  /** The group columns as the corpus's rows carry them, after the canonical columns. */
  static GroupSpec resolve(JobConfig config, Corpus corpus) {
    StructType schema = corpus.rows().schema();
    StructType carried =
        new StructType(Arrays.copyOfRange(schema.fields(), InputLayout.WIDTH, schema.size()));
    return GroupSpec.resolve(carried, config.groupBy(), config.lengthBuckets(), InputLayout.WIDTH);
  }

  /** The accumulator the evaluation pass sends its group totals to, registered with Spark. */
  static GroupTotalsAccumulator newAccumulator(SparkSession spark) {
    int limit =
        Math.min(
            GroupResults.MAX_IN_SUMMARY,
            Integer.parseInt(
                spark.conf().get(DRIVER_LIMIT_CONF, String.valueOf(GroupResults.MAX_IN_SUMMARY))));
    GroupTotalsAccumulator groups = new GroupTotalsAccumulator(limit);
    spark.sparkContext().register(groups, "seqloss group totals");
    return groups;
  }

  /**
   * Writes per_group/ from the pass's accumulated groups, or, when they were too many, from a
   * second pass's partials merged on the executors.
   */
  static RunSummary.Slices finish(
      SparkSession spark,
      CorpusEvaluation rows,
      EvaluationSpec spec,
      GroupTotalsAccumulator accumulated,
      JobConfig config,
      boolean crossEntropy,
      OutputDirectory out) {
    GroupSpec groups = spec.groups();
    GroupResults.Settings settings =
        new GroupResults.Settings(
            config.reduction().dividesByCount(), crossEntropy, config.confidence());
    String perGroup = out.stagingPath(OutputSchemas.PER_GROUP);
    if (!accumulated.overflowed()) {
      return GroupResults.write(
          spark, accumulated.value(), perGroup, groups, config.lengthBuckets(), settings);
    }
    LOG.info(
        "more than {} groups: merging them on the executors, which takes a second pass over the "
            + "corpus",
        accumulated.limit());
    String partials = out.stagingPath(PARTIALS);
    spark
        .createDataFrame(
            rows.evaluate(
                new PartitionEvaluator(spec, PartitionEvaluator.Emit.GROUP_PARTIALS, null)),
            GroupTable.partialSchema(groups))
        .write()
        .parquet(partials);
    RunSummary.Slices slices =
        GroupResults.aggregate(spark, partials, perGroup, groups, config.lengthBuckets(), settings);
    try {
      Path path = new Path(partials);
      path.getFileSystem(spark.sparkContext().hadoopConfiguration()).delete(path, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the group partials " + partials, e);
    }
    return slices;
  }
}
