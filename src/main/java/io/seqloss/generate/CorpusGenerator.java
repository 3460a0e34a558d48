package io.seqloss.generate;

import io.seqloss.config.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Writes a synthetic corpus with Spark's own Parquet writer, one task and one file per
 * {@code rowsPerFile} sequences. Rows are made one at a time inside the tasks as the writer asks for
 * them, so the corpus never exists in memory: only the writer's current row group does.
 */
public final class CorpusGenerator {
  private final SparkSession spark;

  public CorpusGenerator(SparkSession spark) {
    this.spark = spark;
  }

  /** What was written. */
  public record Written(String output, int files, long sequences, long bytes) {}

  public Written generate(SyntheticCorpusSpec spec, String output, boolean overwrite) {
    Path target = new Path(output);
    try {
      FileSystem fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (fs.exists(target) && !overwrite) {
        throw new ConfigException("--output " + output + " exists; pass --overwrite to replace it");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot check output " + output, e);
    }
    SyntheticSequences sequences = new SyntheticSequences(spec);
    List<Integer> fileIndices = new ArrayList<>();
    for (int f = 0; f < spec.files(); f++) {
      fileIndices.add(f);
    }
    long rowsPerFile = spec.rowsPerFile();
    long total = spec.sequences();
    JavaRDD<Row> rows = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(fileIndices, fileIndices.size())
        .flatMap(f -> rowsOf(sequences, f * rowsPerFile, Math.min(total, (f + 1) * rowsPerFile)));
    spark.sparkContext().setJobDescription("seqloss: generate " + output);
    spark.createDataFrame(rows, sequences.schema()).write()
        .mode(overwrite ? SaveMode.Overwrite : SaveMode.ErrorIfExists)
        .option("compression", spec.compression())
        .option("parquet.block.size", Long.toString(spec.rowGroupBytes()))
        // Parquet checks page and row group sizes only every 100 rows at first: with 8 MB rows (V = 32000,
        // T = 64) that makes one page and one row group of 100 rows. Checking from the first row (the
        // default here) keeps pages near their 1 MB target (or one row, when a row is larger).
        .option("parquet.page.size.row.check.min", Integer.toString(spec.pageCheckRows()))
        .parquet(output);
    spark.sparkContext().setJobDescription(null);
    return new Written(output, spec.files(), spec.sequences(), sizeOf(target));
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

  private long sizeOf(Path dir) {
    try {
      return dir.getFileSystem(spark.sparkContext().hadoopConfiguration()).getContentSummary(dir).getLength();
    } catch (IOException e) {
      return -1;
    }
  }
}
