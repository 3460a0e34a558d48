package io.seqloss.generate;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Writes a synthetic corpus with Spark's own Parquet writer, one task and one file per {@code
 * rowsPerFile} sequences. Rows are made one at a time inside the tasks as the writer asks for them,
 * so the corpus never exists in memory: only the writer's current row group does.
 */
public final class CorpusGenerator {
  private final SparkSession spark;

  public CorpusGenerator(SparkSession spark) {
    this.spark = spark;
  }

  public WrittenCorpus generate(SyntheticCorpusSpec spec, String output, boolean overwrite) {
    GenerateTarget target = GenerateTarget.check(spark, output, overwrite);
    SyntheticSequences sequences = new SyntheticSequences(spec);
    JavaRDD<Row> rows =
        JavaSparkContext.fromSparkContext(spark.sparkContext())
            .parallelize(spec.fileIndices(), spec.files())
            .flatMap(f -> rowsOf(sequences, spec.firstRowOf(f), spec.endRowOf(f)));
    spark.sparkContext().setJobDescription("seqloss: generate " + output);
    spark
        .createDataFrame(rows, sequences.schema())
        .write()
        .mode(overwrite ? SaveMode.Overwrite : SaveMode.ErrorIfExists)
        .option("compression", spec.compression())
        .option("parquet.block.size", Long.toString(spec.rowGroupBytes()))
        // Parquet checks page and row group sizes only every 100 rows at first: with 8 MB rows (V =
        // 32000,
        // T = 64) that makes one page and one row group of 100 rows. Checking from the first row
        // (the
        // default here) keeps pages near their 1 MB target (or one row, when a row is larger).
        .option("parquet.page.size.row.check.min", Integer.toString(spec.pageCheckRows()))
        .parquet(output);
    spark.sparkContext().setJobDescription(null);
    return new WrittenCorpus(output, spec.files(), spec.sequences(), target.size());
  }

  private static Iterator<Row> rowsOf(SyntheticSequences sequences, long from, long to) {
    return new Iterator<>() {
      private long next = from;

      @Override
      public boolean hasNext() {
        return next < to;
      }

      @Override
      public Row next() {
        if (next >= to) {
          throw new NoSuchElementException();
        }
        return sequences.row(next++);
      }
    };
  }
}
