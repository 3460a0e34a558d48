package io.seqloss.compare;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Both runs' per-timestep curves side by side, joined on the timestep: a step only one run has
 * (longer sequences in one corpus) keeps its row with nulls on the other side. A few thousand rows
 * at most: one file.
 */
final class TimestepCurves {
  private TimestepCurves() {}

  static void write(SparkSession spark, String baseline, String candidate, String target) {
    Dataset<Row> a = curve(spark, baseline, "baseline");
    Dataset<Row> b = curve(spark, candidate, "candidate");
    a.join(b, col("t_baseline").equalTo(col("t_candidate")), "full_outer")
        .select(
            coalesce(col("t_baseline"), col("t_candidate")).as("timestep"),
            col("baseline_loss"),
            col("candidate_loss"),
            col("candidate_loss").minus(col("baseline_loss")).as("delta"),
            col("baseline_weight_sum"),
            col("candidate_weight_sum"))
        .orderBy("timestep")
        .coalesce(1)
        .write()
        .parquet(target);
  }

  private static Dataset<Row> curve(SparkSession spark, String path, String side) {
    return spark
        .read()
        .parquet(path)
        .select(
            col("timestep").as("t_" + side),
            col("loss").as(side + "_loss"),
            col("weight_sum").as(side + "_weight_sum"));
  }
}
