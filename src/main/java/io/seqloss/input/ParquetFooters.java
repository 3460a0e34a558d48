package io.seqloss.input;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Reads the footer of every input file, in parallel, before any row is read. A truncated file has
 * lost its footer (Parquet keeps it at the end), so this finds every unreadable file up front, by
 * name, instead of part-way through the evaluation; and the row counts of the footers are the
 * authoritative number of rows the evaluation must account for.
 */
public final class ParquetFooters {
  /** Threads reading few files' footers on the driver, as Spark's own footer reader uses. */
  private static final int DRIVER_THREADS = 8;

  private ParquetFooters() {}

  /** One file's footer: its row count, or why the file cannot be read (then rows is -1). */
  public record Footer(String file, long rows, String error) implements Serializable {
    public boolean readable() {
      return error == null;
    }
  }

  /**
   * The outcome for a corpus: its readable files (in the order given), the others, and the rows.
   */
  public record Check(List<String> readable, List<Footer> unreadable, OptionalLong rows) {
    /** For a format without footers to check (Arrow): nothing skipped, the row count unknown. */
    public static final Check NOT_CHECKED = new Check(List.of(), List.of(), OptionalLong.empty());
  }

  /** Reads the footers of the files and sorts them into readable and not. */
  public static Check check(SparkSession spark, List<String> files) {
    List<Footer> footers = read(spark, files);
    return new Check(
        footers.stream().filter(Footer::readable).map(Footer::file).toList(),
        footers.stream().filter(f -> !f.readable()).toList(),
        OptionalLong.of(footers.stream().filter(Footer::readable).mapToLong(Footer::rows).sum()));
  }

  /**
   * The footers of the files, in the order given. Few files (at most Spark's
   * parallelPartitionDiscovery threshold, 32 by default) are read on the driver by a few threads,
   * as Spark reads few files' footers itself: a job would cost more than the reads. More files are
   * read by a small Spark job.
   */
  public static List<Footer> read(SparkSession spark, List<String> files) {
    if (files.isEmpty()) {
      return List.of();
    }
    int threshold =
        Integer.parseInt(
            spark.conf().get("spark.sql.sources.parallelPartitionDiscovery.threshold", "32"));
    return files.size() <= threshold
        ? readOnDriver(files, spark.sessionState().newHadoopConf())
        : readInAJob(spark, files);
  }

  private static List<Footer> readOnDriver(List<String> files, Configuration conf) {
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(files.size(), DRIVER_THREADS));
    try {
      List<Future<Footer>> reads = new ArrayList<>();
      for (String file : files) {
        reads.add(pool.submit(() -> readOne(file, conf)));
      }
      List<Footer> footers = new ArrayList<>();
      for (Future<Footer> read : reads) {
        footers.add(read.get());
      }
      return footers;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading the Parquet footers", e);
    } catch (ExecutionException e) { // readOne turns every IOException into an unreadable Footer
      throw new IllegalStateException("cannot read the Parquet footers", e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private static List<Footer> readInAJob(SparkSession spark, List<String> files) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    SerializableConfiguration conf =
        new SerializableConfiguration(spark.sessionState().newHadoopConf());
    int slices = Math.min(files.size(), 4 * sc.defaultParallelism());
    String description = sc.getLocalProperty("spark.job.description");
    sc.setJobDescription("seqloss: read the footers of " + files.size() + " input file(s)");
    try {
      return sc.parallelize(files, slices).map(file -> readOne(file, conf.value())).collect();
    } finally {
      sc.setJobDescription(description);
    }
  }

  static Footer readOne(String file, Configuration conf) {
    try (ParquetFileReader reader =
        ParquetFileReader.open(HadoopInputFile.fromPath(new Path(file), conf))) {
      long rows = 0;
      for (BlockMetaData block : reader.getFooter().getBlocks()) {
        rows += block.getRowCount();
      }
      return new Footer(file, rows, null);
    } catch (IOException | RuntimeException e) {
      return new Footer(file, -1, "cannot read the Parquet footer: " + ReadFailures.describe(e));
    }
  }
}
