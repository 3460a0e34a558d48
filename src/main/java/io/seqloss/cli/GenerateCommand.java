package io.seqloss.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqloss.config.ConfigException;
import io.seqloss.config.InputFormat;
import io.seqloss.generate.ArrowCorpusFiles;
import io.seqloss.generate.ArrowLayout;
import io.seqloss.generate.CorpusGenerator;
import io.seqloss.generate.GroupColumn;
import io.seqloss.generate.SyntheticCorpusSpec;
import io.seqloss.generate.WrittenCorpus;
import io.seqloss.input.arrow.ArrowIpcFormat;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code seqloss generate --output DIR [options]}: write a deterministic synthetic corpus. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Writes a synthetic corpus as Parquet or Arrow IPC files (id, logits array<array<float>>, targets "
          + "array<int>, weights array<float>), the same rows for a seed whatever the format or the cluster. "
          + "Rows are made as they are written, so the corpus may be larger than memory.",
      "Prints one JSON line on stdout: what was written."
    })
final class GenerateCommand implements Callable<Integer> {

  @Option(
      names = "--output",
      required = true,
      paramLabel = "DIR",
      description = "Directory to write.")
  String output;

  @Option(names = "--overwrite", description = "Replace DIR if it exists.")
  boolean overwrite;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "parquet",
      description =
          "File format (${COMPLETION-CANDIDATES}): Parquet, or Arrow IPC files that seqloss reads with "
              + "--format arrow or by their extension (default: ${DEFAULT-VALUE}).")
  InputFormat format;

  @Option(
      names = "--sequences",
      paramLabel = "N",
      defaultValue = "1000",
      description = "Number of sequences (rows) (default: ${DEFAULT-VALUE}).")
  long sequences;

  @Option(
      names = "--min-length",
      paramLabel = "T",
      defaultValue = "10",
      description = "Shortest sequence, in steps (default: ${DEFAULT-VALUE}).")
  int minLength;

  @Option(
      names = "--max-length",
      paramLabel = "T",
      defaultValue = "10",
      description =
          "Longest sequence, in steps; lengths are uniform in [min, max] (default: ${DEFAULT-VALUE}).")
  int maxLength;

  @Option(
      names = "--num-classes",
      paramLabel = "V",
      defaultValue = "2",
      description = "Vocabulary size: logits per step (default: ${DEFAULT-VALUE}).")
  int numClasses;

  @Option(
      names = "--padding-share",
      paramLabel = "P",
      defaultValue = "0.0",
      description =
          "Share of each sequence's steps, at its end, with weight 0 (default: ${DEFAULT-VALUE}).")
  double paddingShare;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "1",
      description = "Random seed; the same seed gives the same corpus (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--target-boost",
      paramLabel = "B",
      defaultValue = "2.0",
      description =
          "What each target's logit is raised by; the same --seed with another boost gives another "
              + "checkpoint's logits over the same ids, targets and weights, for compare (default: ${DEFAULT-VALUE}).")
  float targetBoost;

  @Option(
      names = "--id-type",
      paramLabel = "string|long|none",
      defaultValue = "string",
      description = "Type of the id column; none writes no id column (default: ${DEFAULT-VALUE}).")
  SyntheticCorpusSpec.IdType idType;

  @Option(
      names = "--rows-per-file",
      paramLabel = "N",
      defaultValue = "100000",
      description = "Sequences per file, one Spark task each (default: ${DEFAULT-VALUE}).")
  long rowsPerFile;

  @Option(
      names = "--compression",
      paramLabel = "CODEC",
      description =
          "Parquet codec: uncompressed, snappy, gzip, zstd or lz4 (default: snappy). Arrow files are "
              + "written uncompressed: with --format arrow only 'uncompressed' is accepted.")
  String compression;

  @Option(
      names = "--row-group-mb",
      paramLabel = "MB",
      description = "Parquet only: row group size in MiB (default: 128, Parquet's own default).")
  Integer rowGroupMb;

  @Option(
      names = "--page-check-rows",
      paramLabel = "N",
      description =
          "Parquet only: rows before Parquet first checks page size (parquet.page.size.row.check.min); "
              + "100 is Spark's default and gives wide rows huge pages (default: 1).")
  Integer pageCheckRows;

  @Option(
      names = "--arrow-ipc",
      paramLabel = "stream|file",
      description =
          "Arrow only: IPC stream format, in .arrow files (as Hugging Face datasets writes), or IPC file "
              + "format (Feather v2), in .feather files (default: stream).")
  ArrowIpcFormat arrowIpc;

  @Option(
      names = "--rows-per-batch",
      paramLabel = "N",
      description =
          "Arrow only: rows per record batch; a reader holds one batch in memory (default: as many "
              + "rows as fit in 8 MiB of logits, at least 1 and at most 4096).")
  Integer rowsPerBatch;

  @Option(
      names = "--group-column",
      paramLabel = "NAME",
      description =
          "Adds a string column NAME for slicing (--group-by NAME): each sequence gets one of --groups "
              + "values NAME-00, NAME-01, ... (zero-padded to the width of the last), uniformly from the seed and its index. The other columns "
              + "are the same as without it.")
  String groupColumn;

  @Option(
      names = "--groups",
      paramLabel = "N",
      description = "Number of distinct --group-column values (default: 100).")
  Integer groups;

  private final Supplier<SparkSession> spark;
  private final PrintWriter out;

  GenerateCommand(Supplier<SparkSession> spark, PrintWriter out) {
    this.spark = spark;
    this.out = out;
  }

  InputFormat fileFormat() {
    InputFormat fileFormat = format;
    if (fileFormat == InputFormat.ARROW) {
      refuse("--row-group-mb", rowGroupMb, fileFormat);
      refuse("--page-check-rows", pageCheckRows, fileFormat);
      if (compression != null && !compression.equalsIgnoreCase("uncompressed")) {
        throw new ConfigException(
            "--compression "
                + compression
                + " applies to Parquet only: Arrow IPC files are "
                + "written uncompressed; leave --compression out or pass uncompressed");
      }
    } else {
      refuse("--arrow-ipc", arrowIpc, fileFormat);
      refuse("--rows-per-batch", rowsPerBatch, fileFormat);
    }
    return fileFormat;
  }

  /**
   * An option of the other format is an error rather than ignored: the user meant something by it.
   */
  private static void refuse(String option, Object value, InputFormat fileFormat) {
    if (value != null) {
      throw new ConfigException(
          String.format(
              "%s %s does not apply to --format %s",
              option, String.valueOf(value).toLowerCase(Locale.ROOT), fileFormat));
    }
  }

  SyntheticCorpusSpec toSpec(InputFormat fileFormat) {
    String codec =
        compression != null
            ? compression
            : fileFormat == InputFormat.ARROW ? "uncompressed" : "snappy";
    return new SyntheticCorpusSpec(
        sequences,
        minLength,
        maxLength,
        numClasses,
        paddingShare,
        seed,
        idType,
        rowsPerFile,
        codec,
        (rowGroupMb == null ? 128 : rowGroupMb) * 1024L * 1024L,
        pageCheckRows == null ? 1 : pageCheckRows,
        targetBoost,
        groupColumn());
  }

  private GroupColumn groupColumn() {
    if (groupColumn == null) {
      if (groups != null) {
        throw new ConfigException("--groups " + groups + " needs --group-column NAME");
      }
      return null;
    }
    return new GroupColumn(groupColumn, groups == null ? 100 : groups);
  }

  @Override
  public Integer call() throws JsonProcessingException {
    // Every option is checked before Spark starts: a usage error costs no session.
    InputFormat fileFormat = fileFormat();
    SyntheticCorpusSpec spec = toSpec(fileFormat);
    ArrowLayout layout =
        fileFormat == InputFormat.ARROW ? ArrowLayout.of(arrowIpc, rowsPerBatch, spec) : null;
    long start = System.nanoTime();
    WrittenCorpus written =
        layout == null
            ? new CorpusGenerator(spark.get()).generate(spec, output, overwrite)
            : new ArrowCorpusFiles(spark.get()).generate(spec, layout, output, overwrite);
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("status", "generated");
    line.put("output", written.output());
    line.put("format", fileFormat.toString());
    line.put("files", written.files());
    line.put("sequences", written.sequences());
    line.put("num_classes", spec.numClasses());
    line.put("min_length", spec.minLength());
    line.put("max_length", spec.maxLength());
    line.put("compression", spec.compression());
    if (spec.groupColumn() != null) {
      line.put("group_column", spec.groupColumn().name());
      line.put("groups", spec.groupColumn().groups());
    }
    if (layout != null) {
      line.put("arrow_ipc", layout.ipcName());
      line.put("rows_per_batch", layout.rowsPerBatch());
    }
    line.put("bytes", written.bytes());
    line.put("elapsed_seconds", (System.nanoTime() - start) / 1e9);
    out.println(new ObjectMapper().writeValueAsString(line));
    out.flush();
    return ExitCodes.SUCCESS;
  }
}
