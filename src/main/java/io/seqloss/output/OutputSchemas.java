package io.seqloss.output;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The Parquet schemas of the result directories, one place so writers and docs agree. */
public final class OutputSchemas {
  public static final String PER_SEQUENCE = "per_sequence";
  public static final String PER_TIMESTEP = "per_timestep";
  public static final String PER_TOKEN = "per_token";
  public static final String INVALID = "invalid";

  /** Per-group results of --group-by / --length-buckets (schema: io.seqloss.slice.GroupResults). */
  public static final String PER_GROUP = "per_group";

  public static final String SUMMARY = "summary.json";

  /**
   * The loss by position of a run with its report: one row per bin of steps (at most 2,368 rows
   * whatever T), one file, so that compare and pandas read the curve without per_timestep/.
   */
  public static final String LOSS_BY_POSITION = "loss_by_position";

  /**
   * What compare writes: its result, the ids found in one run only, both runs' per-timestep curves.
   */
  public static final String COMPARISON = "comparison.json";

  public static final String UNPAIRED_IDS = "unpaired_ids";
  public static final String PER_GROUP_DELTA = "per_group_delta";

  private OutputSchemas() {}

  public static StructType perSequence(DataType idType) {
    return new StructType(
        new StructField[] {
          DataTypes.createStructField("id", idType, false),
          DataTypes.createStructField("loss", DataTypes.DoubleType, false),
          DataTypes.createStructField("weight_sum", DataTypes.DoubleType, false),
          DataTypes.createStructField("tokens", DataTypes.LongType, false),
          DataTypes.createStructField("accuracy", DataTypes.DoubleType, false),
          DataTypes.createStructField("top_k_accuracy", DataTypes.DoubleType, false),
          // the exact inputs of a paired comparison: Σ_t w·loss in timestep order, and the count of
          // w != 0
          DataTypes.createStructField("loss_sum", DataTypes.DoubleType, false),
          DataTypes.createStructField("nonzero_weights", DataTypes.LongType, false)
        });
  }

  public static StructType perTimestep() {
    return new StructType(
        new StructField[] {
          DataTypes.createStructField("timestep", DataTypes.IntegerType, false),
          DataTypes.createStructField("loss", DataTypes.DoubleType, false),
          DataTypes.createStructField("weight_sum", DataTypes.DoubleType, false),
          DataTypes.createStructField("nonzero_weights", DataTypes.LongType, false),
          DataTypes.createStructField("sequences", DataTypes.LongType, false),
          DataTypes.createStructField("accuracy", DataTypes.DoubleType, false),
          DataTypes.createStructField("top_k_accuracy", DataTypes.DoubleType, false)
        });
  }

  /**
   * loss_by_position/: steps [first_step, last_step], the loss Σx/Σd there (null when nothing there
   * has weight), its 95 % band (null with fewer than two tokens), Σd and the token count.
   */
  public static StructType lossByPosition() {
    return new StructType(
        new StructField[] {
          DataTypes.createStructField("first_step", DataTypes.LongType, false),
          DataTypes.createStructField("last_step", DataTypes.LongType, false),
          DataTypes.createStructField("loss", DataTypes.DoubleType, true),
          DataTypes.createStructField("ci_low", DataTypes.DoubleType, true),
          DataTypes.createStructField("ci_high", DataTypes.DoubleType, true),
          DataTypes.createStructField("denominator_sum", DataTypes.DoubleType, false),
          DataTypes.createStructField("tokens", DataTypes.LongType, false)
        });
  }

  public static StructType perToken(DataType idType) {
    return new StructType(
        new StructField[] {
          DataTypes.createStructField("id", idType, false),
          DataTypes.createStructField(
              "loss", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
        });
  }

  public static StructType invalid() {
    return new StructType(
        new StructField[] {
          DataTypes.createStructField("id", DataTypes.StringType, true),
          DataTypes.createStructField("file", DataTypes.StringType, false),
          DataTypes.createStructField("row", DataTypes.LongType, false),
          DataTypes.createStructField("column", DataTypes.StringType, false),
          DataTypes.createStructField("reason", DataTypes.StringType, false)
        });
  }
}
