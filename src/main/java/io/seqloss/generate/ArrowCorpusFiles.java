package io.seqloss.generate;

import io.seqloss.input.arrow.ArrowCorpusWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.lib.output.FileOutputCommitter;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Writes a synthetic corpus as Arrow IPC files: the rows {@link CorpusGenerator} writes as Parquet
 * for the same spec, one Spark task and one file per {@code rowsPerFile} sequences, through
 * Hadoop's file system API (so HDFS and object stores work as local disk does). A task makes its
 * rows one at a time and holds one record batch, never its whole file.
 *
 * <p>The commit follows Spark's file committer, so that only a finished corpus looks finished:
 * tasks write into a hidden staging directory under the output ({@code _temporary/}, which readers
 * skip), each attempt into a file of its own; once every task has succeeded the driver moves the
 * files into place and writes {@code _SUCCESS}. A failed run deletes the output directory, which
 * holds nothing but its own files (an existing directory was refused, or deleted first under {@code
 * --overwrite}, as Spark's overwrite mode does).
 */
public final class ArrowCorpusFiles {
  private static final Logger LOG = LogManager.getLogger(ArrowCorpusFiles.class);
  private static final String STAGING = "_temporary";
  private static final int STREAM_BUFFER_BYTES = 1 << 20;

  private final SparkSession spark;

  public ArrowCorpusFiles(SparkSession spark) {
    this.spark = spark;
  }

  public WrittenCorpus generate(
      SyntheticCorpusSpec spec, ArrowLayout layout, String output, boolean overwrite) {
    GenerateTarget target = GenerateTarget.check(spark, output, overwrite);
    FileSystem fs = target.fs();
    Path dir = target.path();
    Path staging = new Path(new Path(dir, STAGING), UUID.randomUUID().toString());
    boolean committed = false;
    spark.sparkContext().setJobDescription("seqloss: generate " + output);
    try {
      if (overwrite) {
        fs.delete(dir, true);
      }
      if (!fs.mkdirs(staging)) {
        throw new IOException("cannot create " + staging);
      }
      List<String> staged = writeFiles(spec, layout, staging.toString());
      commit(fs, dir, staged, layout);
      committed = true;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write the Arrow corpus " + output + ": " + e.getMessage(), e);
    } finally {
      spark.sparkContext().setJobDescription(null);
      if (!committed) {
        deleteAfterFailure(fs, dir);
      }
    }
    return new WrittenCorpus(output, spec.files(), spec.sequences(), target.size());
  }

  /** Runs one task per file; returns the staged files, file 0 first. */
  private List<String> writeFiles(SyntheticCorpusSpec spec, ArrowLayout layout, String staging) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    // One copy of the Hadoop configuration per executor, not one per task.
    Broadcast<SerializableConfiguration> conf =
        jsc.broadcast(new SerializableConfiguration(spark.sparkContext().hadoopConfiguration()));
    SyntheticSequences sequences = new SyntheticSequences(spec);
    return jsc.parallelize(spec.fileIndices(), spec.files())
        .map(f -> writeFile(sequences, spec, layout, f, staging, conf.value().value()))
        .collect();
  }

  private static String writeFile(
      SyntheticSequences sequences,
      SyntheticCorpusSpec spec,
      ArrowLayout layout,
      int file,
      String staging,
      Configuration conf)
      throws IOException {
    TaskContext task = TaskContext.get();
    // A retried or speculative attempt writes a file of its own; the driver moves the successful
    // one.
    Path path =
        new Path(
            staging,
            String.format(
                "%s-attempt-%d", fileName(file, layout), task == null ? 0 : task.attemptNumber()));
    FileSystem fs = path.getFileSystem(conf);
    try (OutputStream out = new BufferedOutputStream(fs.create(path, true), STREAM_BUFFER_BYTES);
        ArrowCorpusWriter writer =
            ArrowCorpusWriter.open(
                out,
                layout.ipc(),
                idType(spec.idType()),
                true,
                layout.rowsPerBatch(),
                spec.groupColumn() == null ? null : spec.groupColumn().name())) {
      for (long i = spec.firstRowOf(file); i < spec.endRowOf(file); i++) {
        SyntheticSequences.Sequence s = sequences.sequence(i);
        writer.write(s.id(), s.logits(), s.targets(), s.weights(), s.group());
      }
    }
    return path.toString();
  }

  private static void commit(FileSystem fs, Path dir, List<String> staged, ArrowLayout layout)
      throws IOException {
    for (int f = 0; f < staged.size(); f++) {
      Path from = new Path(staged.get(f));
      Path to = new Path(dir, fileName(f, layout));
      if (!fs.rename(from, to)) {
        throw new IOException("cannot move " + from + " to " + to);
      }
    }
    fs.delete(new Path(dir, STAGING), true);
    fs.create(new Path(dir, FileOutputCommitter.SUCCEEDED_FILE_NAME), false).close();
  }

  /** part-00000.arrow, ...: in path order, the files hold the sequences in index order. */
  static String fileName(int file, ArrowLayout layout) {
    return String.format("part-%05d%s", file, layout.extension());
  }

  private static ArrowCorpusWriter.IdType idType(SyntheticCorpusSpec.IdType type) {
    return switch (type) {
      case STRING -> ArrowCorpusWriter.IdType.STRING;
      case LONG -> ArrowCorpusWriter.IdType.LONG;
      case NONE -> ArrowCorpusWriter.IdType.NONE;
    };
  }

  private static void deleteAfterFailure(FileSystem fs, Path dir) {
    try {
      fs.delete(dir, true);
    } catch (IOException e) {
      LOG.warn(
          "generate failed, and its partial output {} could not be deleted: {}", dir, e.toString());
    }
  }
}
