package io.seqloss.fastpath;

import java.io.IOException;
import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.JobID;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.TaskID;
import org.apache.hadoop.mapreduce.TaskType;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.internal.io.FileCommitProtocol;
import org.apache.spark.internal.io.FileCommitProtocol.TaskCommitMessage;
import org.apache.spark.internal.io.FileNameSpec;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.datasources.OutputWriter;
import org.apache.spark.sql.execution.datasources.OutputWriterFactory;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;
import scala.Option;

/**
 * A table of Parquet files written straight from an RDD of Spark's internal rows, with the pieces
 * Spark's own file write uses: the session's commit protocol ({@code
 * spark.sql.sources.commitProtocolClass}), Spark's Parquet {@code prepareWrite} for the job's
 * configuration, and {@link ColumnBatchParquetFormat}'s writer for each task's file. A DataFrame
 * write of the same rows plans a query first: its analysis, the whole-stage code its projection
 * compiles, and a copy of every row into an {@code UnsafeRow} (0.35-0.5 s on the driver before a
 * narrow per-sequence pass could start; BENCHMARKS.md, eleventh session). The files are the same
 * bytes, with the same names ({@code part-NNNNN-<job uuid>-c000<ext>}); as in Spark's write, each
 * partition writes one file, except an empty partition other than the first (the first keeps the
 * schema in a table of no rows), tasks commit through the protocol (its output commit coordination
 * included) and the job commits or aborts as a whole.
 *
 * <p>Used when the fast paths are on; otherwise, or for an RDD of no partitions, the caller writes
 * a DataFrame.
 */
public final class CommittedParquetWrite {
  /** Spark's FileFormatWriter names a task's first file so. */
  private static final String FIRST_FILE = "-c000";

  /** Why Spark's pieces are not as this class calls them, or null; checked once per JVM. */
  private static final String PROBLEM = problem();

  private CommittedParquetWrite() {}

  /**
   * Whether {@link #write} can write these rows: the switch is on, Spark's pieces are there, and
   * the RDD has partitions. Otherwise the caller writes a DataFrame.
   */
  public static boolean applies(JavaRDD<InternalRow> rows) {
    if (!FastPaths.enabled()) {
      return false;
    }
    if (PROBLEM != null) {
      FastPaths.turnOff(FastPaths.COMMITTED_WRITE, PROBLEM);
      return false;
    }
    return rows.getNumPartitions() > 0;
  }

  /** The methods {@link #write} calls that are not Spark's API, looked up on this Spark. */
  static String problem() {
    return problem(
        FileCommitProtocol.class,
        org.apache.spark.sql.internal.SessionState.class,
        org.apache.spark.sql.internal.SQLConf.class);
  }

  /** The methods, looked up by their signatures on the given classes; why one is not there. */
  static String problem(Class<?> protocol, Class<?> sessionState, Class<?> sqlConf) {
    String looking = protocol.getSimpleName() + ".instantiate(String, String, String, boolean)";
    try {
      protocol.getMethod("instantiate", String.class, String.class, String.class, boolean.class);
      looking =
          protocol.getSimpleName() + ".newTaskTempFile(TaskAttemptContext, Option, FileNameSpec)";
      protocol.getMethod(
          "newTaskTempFile", TaskAttemptContext.class, Option.class, FileNameSpec.class);
      looking = sessionState.getSimpleName() + ".newHadoopConf()";
      sessionState.getMethod("newHadoopConf");
      looking = sqlConf.getSimpleName() + ".fileCommitProtocolClass()";
      sqlConf.getMethod("fileCommitProtocolClass");
      looking = "SerializableConfiguration(Configuration)";
      SerializableConfiguration.class.getConstructor(Configuration.class);
      return null;
    } catch (NoSuchMethodException | LinkageError | SecurityException e) {
      return "Spark has no " + looking + " (" + e + ")";
    }
  }

  /**
   * Writes {@code rows}, of {@code schema}, as Parquet files under {@code path}. A task's failure
   * aborts the job and comes out as Spark's job failure, as from a DataFrame write.
   */
  public static void write(
      SparkSession spark, JavaRDD<InternalRow> rows, StructType schema, String path)
      throws IOException {
    Configuration hadoopConf = spark.sessionState().newHadoopConf();
    Job job = Job.getInstance(hadoopConf);
    job.setOutputKeyClass(Void.class);
    job.setOutputValueClass(InternalRow.class);
    FileOutputFormat.setOutputPath(job, new Path(path));
    OutputWriterFactory files =
        new ColumnBatchParquetFormat()
            .prepareWrite(spark, job, scala.collection.immutable.Map$.MODULE$.empty(), schema);
    FileCommitProtocol committer =
        FileCommitProtocol.instantiate(
            spark.sessionState().conf().fileCommitProtocolClass(),
            UUID.randomUUID().toString(),
            path,
            false);
    committer.setupJob(job);
    SerializableConfiguration taskConf = new SerializableConfiguration(job.getConfiguration());
    // the id Spark's SparkHadoopWriterUtils.createJobTrackerID makes, which is not Spark's API
    String jobTrackerId = new SimpleDateFormat("yyyyMMddHHmmss", Locale.US).format(new Date());
    try {
      List<TaskCommitMessage> commits =
          rows.mapPartitions(
                  partition ->
                      List.of(
                              writeTask(
                                  partition, committer, files, taskConf, schema, jobTrackerId))
                          .iterator())
              .collect();
      for (TaskCommitMessage commit : commits) {
        committer.onTaskCommit(commit); // as Spark's write tells the protocol of each task
      }
      committer.commitJob(job, scalaList(commits));
    } catch (Exception | Error e) {
      try {
        committer.abortJob(job);
      } catch (RuntimeException abort) {
        e.addSuppressed(abort);
      }
      throw e;
    }
  }

  /** One task: its file through the protocol (FileFormatWriter.executeTask's steps). */
  private static TaskCommitMessage writeTask(
      Iterator<InternalRow> rows,
      FileCommitProtocol committer,
      OutputWriterFactory files,
      SerializableConfiguration taskConf,
      StructType schema,
      String jobTrackerId)
      throws Exception {
    TaskContext task = TaskContext.get();
    JobID jobId = new JobID(jobTrackerId, task.stageId());
    TaskAttemptID attempt =
        new TaskAttemptID(
            new TaskID(jobId, TaskType.MAP, task.partitionId()), task.attemptNumber());
    Configuration conf = taskConf.value();
    conf.set("mapreduce.job.id", jobId.toString());
    conf.set("mapreduce.task.id", attempt.getTaskID().toString());
    conf.set("mapreduce.task.attempt.id", attempt.toString());
    conf.setBoolean("mapreduce.task.ismap", true);
    conf.setInt("mapreduce.task.partition", 0);
    TaskAttemptContext context = new TaskAttemptContextImpl(conf, attempt);
    committer.setupTask(context);
    if (task.partitionId() != 0 && !rows.hasNext()) {
      return committer.commitTask(context); // Spark's write keeps the first partition's file only
    }
    OutputWriter open = null;
    try {
      String file =
          committer.newTaskTempFile(
              context,
              Option.empty(),
              new FileNameSpec("", FIRST_FILE + files.getFileExtension(context)));
      open = files.newInstance(file, schema, context);
      long records = 0;
      while (rows.hasNext()) {
        open.write(rows.next());
        records++;
      }
      OutputWriter done = open;
      open = null;
      done.close();
      reportOutput(task, new Path(file), conf, records);
      return committer.commitTask(context);
    } catch (Exception | Error e) {
      try {
        if (open != null) {
          open.close();
        }
      } catch (RuntimeException close) {
        e.addSuppressed(close);
      } finally {
        committer.abortTask(context);
      }
      throw e;
    }
  }

  /**
   * The task's bytes and records written, for Spark's UI and event log, as Spark's write reports
   * them ({@code BasicWriteTaskStatsTracker}): the setters are Spark's, not its API, so a Spark
   * without them only goes without the figures.
   */
  private static void reportOutput(TaskContext task, Path file, Configuration conf, long records)
      throws IOException {
    long bytes = file.getFileSystem(conf).getFileStatus(file).getLen();
    try {
      task.taskMetrics().outputMetrics().setBytesWritten(bytes);
      task.taskMetrics().outputMetrics().setRecordsWritten(records);
    } catch (LinkageError e) {
      FastPaths.turnOff(FastPaths.COMMITTED_WRITE + " metrics", "Spark's OutputMetrics: " + e);
    }
  }

  /**
   * A Scala list of the messages: the commit's parameter type differs between Scala 2.12 and 2.13.
   */
  private static scala.collection.immutable.List<TaskCommitMessage> scalaList(
      List<TaskCommitMessage> messages) {
    scala.collection.immutable.List<TaskCommitMessage> list =
        scala.collection.immutable.List$.MODULE$.empty();
    for (int i = messages.size() - 1; i >= 0; i--) {
      list = list.$colon$colon(messages.get(i));
    }
    return list;
  }
}
