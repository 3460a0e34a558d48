package io.seqloss.input;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.seqloss.config.ColumnNames;
import io.seqloss.config.InputFormat;
import io.seqloss.config.InvalidRowPolicy;
import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Opens a corpus, Parquet or Arrow IPC: checks the paths, the schema, and projects the canonical
 * columns. Both formats expose {@code _metadata.file_path} and {@code _metadata.row_index}, so
 * derived ids and row-level errors read the same whatever the format.
 */
public final class CorpusReader {
  /**
   * How many files to open one by one, on the error path only, to name the file with a bad schema.
   */
  private static final int MAX_FILES_TO_BLAME = 2000;

  private final SparkSession spark;

  public CorpusReader(SparkSession spark) {
    this.spark = spark;
  }

  /** Opens a corpus whose format is detected from its file names ({@link InputFormat#detect}). */
  public Corpus read(List<String> paths, ColumnNames columns) {
    return read(paths, null, columns);
  }

  /**
   * Opens a corpus in the given format, or the detected one when {@code format} is null; unreadable
   * files fail.
   */
  public Corpus read(List<String> paths, InputFormat format, ColumnNames columns) {
    return read(paths, format, columns, InvalidRowPolicy.FAIL);
  }

  /**
   * Opens a corpus. For Parquet, every data file's footer is read first: an unreadable file
   * (truncated, empty, not Parquet) is an input error naming it, or with {@code skip} is left out
   * and reported; never dropped silently. The rows the readable files' footers declare must then
   * all be accounted for by the evaluation.
   */
  public Corpus read(
      List<String> paths,
      InputFormat format,
      ColumnNames columns,
      InvalidRowPolicy onUnreadableFile) {
    return read(paths, format, columns, onUnreadableFile, List.of());
  }

  /**
   * Opens a corpus whose rows carry, after the canonical columns, these columns as they are (the
   * {@code --group-by} columns); a column the corpus does not have is a usage error naming it.
   */
  public Corpus read(
      List<String> paths,
      InputFormat format,
      ColumnNames columns,
      InvalidRowPolicy onUnreadableFile,
      List<String> extraColumns) {
    // A cluster default of ignoreCorruptFiles/ignoreMissingFiles would make Spark drop data
    // silently and report a loss over part of the corpus; seqloss reports such files instead.
    spark.conf().set("spark.sql.files.ignoreCorruptFiles", "false");
    spark.conf().set("spark.sql.files.ignoreMissingFiles", "false");
    checkPathsHaveData(paths);
    // One listing decides the corpus's files: the footers checked, V's probe, input_files and, when
    // Spark's own listing would differ from it, the files Spark is given.
    DataFiles.Listing listing =
        DataFiles.list(paths, spark.sparkContext().hadoopConfiguration(), name -> true);
    List<String> listed = listing.files();
    if (format == null) {
      format = InputFormat.detect(listed);
    }
    ParquetFooters.Check footers =
        format == InputFormat.PARQUET
            ? ParquetFooters.check(spark, listed)
            : ParquetFooters.Check.NOT_CHECKED;
    if (!footers.unreadable().isEmpty()
        && (onUnreadableFile == InvalidRowPolicy.FAIL || footers.readable().isEmpty())) {
      throw unreadableFiles(footers, onUnreadableFile);
    }
    // The user's paths, or the files themselves when some are skipped or when the directories hold
    // Parquet summary files (_metadata*) that Spark would list (an explicit list of many files
    // costs Spark a listing job, so only then). Should the paths list differently by now, the row
    // accounting after the evaluation catches it.
    boolean byFiles = !footers.unreadable().isEmpty() || !listing.sparkWouldRead().isEmpty();
    List<String> toOpen =
        !byFiles ? paths : format == InputFormat.PARQUET ? footers.readable() : listed;
    Dataset<Row> raw;
    try {
      raw = FormatSources.open(spark, format, toOpen);
    } catch (InvalidInputException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new InvalidInputException(
          String.format(
              "cannot read %s from %s: %s", format.displayName(), paths, ReadFailures.describe(e)),
          e);
    }
    List<String> files =
        format == InputFormat.PARQUET
            ? footers.readable()
            : FormatSources.dataFiles(spark, format, raw, toOpen);
    InputLayout layout;
    try {
      layout = InputSchema.resolve(raw.schema(), columns, "input " + paths);
    } catch (InvalidInputException e) {
      throw blameFile(format, files, columns, e);
    }
    List<String> names = List.of(raw.schema().fieldNames());
    List<Column> selected = new java.util.ArrayList<>(List.of(canonicalColumns(columns, layout)));
    for (String extra : extraColumns) {
      if (!names.contains(extra)) {
        throw new io.seqloss.config.ConfigException(
            "--group-by column '"
                + extra
                + "' is not a column of the "
                + "corpus; its columns are "
                + names);
      }
      selected.add(col(extra));
    }
    return new Corpus(
        raw.select(selected.toArray(Column[]::new)),
        layout,
        files,
        format,
        footers.unreadable(),
        footers.rows());
  }

  private static InvalidInputException unreadableFiles(
      ParquetFooters.Check footers, InvalidRowPolicy policy) {
    List<ParquetFooters.Footer> unreadable = footers.unreadable();
    ParquetFooters.Footer first = unreadable.get(0);
    StringBuilder message =
        new StringBuilder(ReadFailures.unreadableFile(first.file(), first.error()));
    if (unreadable.size() > 1) {
      message.append(
          String.format(
              "; %d more of the %d input files are unreadable too, for example %s",
              unreadable.size() - 1,
              unreadable.size() + footers.readable().size(),
              unreadable.get(1).file()));
    }
    message.append(
        policy == InvalidRowPolicy.FAIL
            ? " (use --on-invalid=skip to leave unreadable files out and list them in summary.json)"
            : "; no input file is readable");
    return new InvalidInputException(message.toString());
  }

  /**
   * The canonical columns in {@link InputLayout}'s order. Data columns are selected as they are,
   * with neither cast nor alias, so that the query stays a plain Parquet scan that can hand its
   * columnar batches to the evaluator (see {@code fastpath.ColumnarScan}); absent columns are typed
   * nulls.
   */
  private static Column[] canonicalColumns(ColumnNames columns, InputLayout layout) {
    Column id =
        layout.idKind() == IdKind.DERIVED
            ? lit(null).cast(DataTypes.StringType).as("_derived_id")
            : col(columns.id());
    Column weights =
        layout.hasWeights()
            ? col(columns.weights())
            : lit(null).cast(DataTypes.createArrayType(DataTypes.DoubleType)).as("_no_weights");
    return new Column[] {
      id,
      col(columns.logits()),
      col(columns.targets()),
      weights,
      col("_metadata.file_path").as("_file"),
      col("_metadata.row_index").as("_row")
    };
  }

  /**
   * Missing paths and paths without data files get their own message before Spark's generic one.
   */
  private void checkPathsHaveData(List<String> paths) {
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
    for (String p : paths) {
      Path path = new Path(p);
      try {
        FileSystem fs = path.getFileSystem(hadoopConf);
        FileStatus[] matches = fs.globStatus(path);
        if (matches == null || matches.length == 0) {
          throw new InvalidInputException(String.format("input path %s does not exist", p));
        }
        boolean anyData = false;
        for (FileStatus m : matches) {
          anyData |= hasDataFile(fs, m);
        }
        if (!anyData) {
          throw new InvalidInputException(
              String.format(
                  "input path %s holds no data files (only empty, hidden or _-prefixed files)", p));
        }
      } catch (IOException e) {
        throw new InvalidInputException(String.format("cannot list input path %s: %s", p, e), e);
      }
    }
  }

  private static boolean hasDataFile(FileSystem fs, FileStatus status) throws IOException {
    String name = status.getPath().getName();
    if (DataFiles.isHidden(name)) {
      return false;
    }
    if (status.isFile()) {
      return true;
    }
    for (FileStatus child : fs.listStatus(status.getPath())) {
      if (hasDataFile(fs, child)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Spark infers one schema for all files; when it breaks the contract, open the files one by one
   * to say which file is wrong, so that the user does not have to search a directory of thousands.
   */
  private InvalidInputException blameFile(
      InputFormat format, List<String> files, ColumnNames columns, InvalidInputException e) {
    int checked = 0;
    for (String file : files) {
      if (checked++ >= MAX_FILES_TO_BLAME) {
        break;
      }
      StructType schema;
      try {
        schema = FormatSources.open(spark, format, List.of(file)).schema();
      } catch (InvalidInputException readError) {
        return readError;
      } catch (RuntimeException readError) {
        return new InvalidInputException(
            String.format(
                "file %s: cannot read its %s schema: %s",
                file, format.displayName(), ReadFailures.describe(readError)),
            readError);
      }
      try {
        InputSchema.resolve(schema, columns, "file " + file);
      } catch (InvalidInputException fileError) {
        return fileError;
      }
    }
    return e;
  }
}
