package io.seqloss.job;

import io.seqloss.input.Corpus;
import io.seqloss.input.InputLayout;
import io.seqloss.output.OutputDirectory;
import io.seqloss.output.OutputSchemas;
import io.seqloss.output.RunSummary;
import io.seqloss.slice.GroupResults;
import io.seqloss.slice.GroupSpec;
import io.seqloss.slice.GroupTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * The grouped part of a run: the evaluation pass writes its tasks' partial group totals into the
 * staging directory (a result stage, like every other output, so a retried task's partials are
 * discarded), then a second, small job merges them per group into per_group/ and the partials are
 * deleted.
 */
final class GroupedRun {
  private static final String PARTIALS = "group-partials";

  private GroupedRun() {}

  /** The group columns as the corpus's rows carry them, after the canonical columns. */
  static GroupSpec resolve(JobConfig config, Corpus corpus) {
    StructType schema = corpus.rows().schema();
    StructType carried =
        new StructType(Arrays.copyOfRange(schema.fields(), InputLayout.WIDTH, schema.size()));
    return GroupSpec.resolve(carried, config.groupBy(), config.lengthBuckets(), InputLayout.WIDTH);
  }

  static void writePartials(
      SparkSession spark, JavaRDD<Row> partials, GroupSpec groups, OutputDirectory out) {
    spark
        .createDataFrame(partials, GroupTable.partialSchema(groups))
        .write()
        .parquet(out.stagingPath(PARTIALS));
  }

  static RunSummary.Slices finish(
      SparkSession spark,
      GroupSpec groups,
      JobConfig config,
      boolean crossEntropy,
      OutputDirectory out) {
    String partials = out.stagingPath(PARTIALS);
    RunSummary.Slices slices =
        GroupResults.aggregate(
            spark,
            partials,
            out.stagingPath(OutputSchemas.PER_GROUP),
            groups,
            config.lengthBuckets(),
            new GroupResults.Settings(
                config.reduction().dividesByCount(), crossEntropy, config.confidence()));
    try {
      Path path = new Path(partials);
      path.getFileSystem(spark.sparkContext().hadoopConfiguration()).delete(path, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the group partials " + partials, e);
    }
    return slices;
  }
}
