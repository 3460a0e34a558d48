package io.seqloss.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.size;

import io.seqloss.input.Corpus;
import io.seqloss.input.FormatSources;
import io.seqloss.input.InvalidInputException;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Finds V when {@code --num-classes} is not given: the length of the first step of the first row with
 * one, in the first file in path order. Sorted files make V the same whatever order the paths were
 * given in and however Spark partitions them; rows that disagree with it are invalid rows.
 */
final class NumClassesProbe {
  private NumClassesProbe() {}

  record Found(int numClasses, String source) {}

  static Found probe(SparkSession spark, Corpus corpus, String logitsColumn) {
    for (String file : corpus.files()) {
      List<Row> first = FormatSources.open(spark, corpus.format(), List.of(file))
          .select(size(element_at(col(logitsColumn), 1)).as("v"))
          .where(col("v").geq(1))
          .limit(1)
          .collectAsList();
      if (!first.isEmpty()) {
        return new Found(first.get(0).getInt(0), "taken from the first row of " + file);
      }
    }
    throw new InvalidInputException("cannot tell the number of classes V: no row in the "
        + corpus.files().size() + " input file(s) has a non-empty first step; pass --num-classes");
  }
}
