package io.seqloss.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.try_element_at;

import io.seqloss.config.InputFormat;
import io.seqloss.fastpath.ParquetFirstStep;
import io.seqloss.input.Corpus;
import io.seqloss.input.FormatSources;
import io.seqloss.input.InvalidInputException;
import io.seqloss.input.UnsupportedLayout;
import io.seqloss.input.arrow.ArrowFirstStep;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.hadoop.conf.Configuration;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Finds V when {@code --num-classes} is not given: the length of the first step of the first row
 * with one, in the first file in path order. Sorted files make V the same whatever order the paths
 * were given in and however Spark partitions them; rows that disagree with it are invalid rows.
 *
 * <p>Files are probed on the driver by seqloss's own readers: a Parquet file from the logits
 * column's levels ({@link ParquetFirstStep}), an Arrow file from its first record batches ({@link
 * ArrowFirstStep}). A file those readers cannot tell about (another layout, an error) goes to a
 * Spark query, which reports unreadable files and broken schemas the way the evaluation does.
 */
final class NumClassesProbe {
  private static final Logger LOG = LogManager.getLogger(NumClassesProbe.class);

  private NumClassesProbe() {}

  record Found(int numClasses, String source) {}

  static Found probe(SparkSession spark, Corpus corpus, String logitsColumn) {
    Configuration conf = spark.sessionState().newHadoopConf();
    for (String file : corpus.files()) {
      OptionalInt v =
          onTheDriver(corpus.format(), file, logitsColumn, conf)
              .orElseGet(() -> withSpark(spark, corpus, file, logitsColumn));
      if (v.isPresent()) {
        return new Found(v.getAsInt(), "taken from the first row of " + file);
      }
    }
    throw new InvalidInputException(
        "cannot tell the number of classes V: no row in the "
            + corpus.files().size()
            + " input file(s) has a non-empty first step; pass --num-classes");
  }

  /**
   * The file's first non-empty first step, read by seqloss itself; empty when that reader cannot
   * tell.
   */
  private static Optional<OptionalInt> onTheDriver(
      InputFormat format, String file, String logitsColumn, Configuration conf) {
    if (format == InputFormat.PARQUET) {
      return ParquetFirstStep.probe(file, logitsColumn, conf);
    }
    try {
      return Optional.of(ArrowFirstStep.length(file, logitsColumn, conf));
    } catch (UnsupportedLayout | IOException | RuntimeException e) {
      LOG.debug("probing V of {} with a Spark query: {}", file, e.toString());
      return Optional.empty();
    }
  }

  private static OptionalInt withSpark(
      SparkSession spark, Corpus corpus, String file, String logitsColumn) {
    List<Row> first =
        FormatSources.open(spark, corpus.format(), List.of(file))
            // try_: a row without steps is skipped under Spark 4's ANSI mode too, where
            // element_at throws
            .select(size(try_element_at(col(logitsColumn), lit(1))).as("v"))
            .where(col("v").geq(1))
            .limit(1)
            .collectAsList();
    return first.isEmpty() ? OptionalInt.empty() : OptionalInt.of(first.get(0).getInt(0));
  }
}
