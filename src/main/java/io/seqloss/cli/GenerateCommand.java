package io.seqloss.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqloss.generate.CorpusGenerator;
import io.seqloss.generate.SyntheticCorpusSpec;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
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
        "Writes a synthetic corpus as Parquet (id, logits array<array<float>>, targets array<int>, weights "
            + "array<float>), the same for a seed whatever the cluster. Rows are made as they are written, "
            + "so the corpus may be larger than memory.",
        "Prints one JSON line on stdout: what was written."})
final class GenerateCommand implements Callable<Integer> {

  @Option(names = "--output", required = true, paramLabel = "DIR", description = "Directory to write.")
  String output;

  @Option(names = "--overwrite", description = "Replace DIR if it exists.")
  boolean overwrite;

  @Option(names = "--sequences", paramLabel = "N", defaultValue = "1000",
      description = "Number of sequences (rows) (default: ${DEFAULT-VALUE}).")
  long sequences;

  @Option(names = "--min-length", paramLabel = "T", defaultValue = "10",
      description = "Shortest sequence, in steps (default: ${DEFAULT-VALUE}).")
  int minLength;

  @Option(names = "--max-length", paramLabel = "T", defaultValue = "10",
      description = "Longest sequence, in steps; lengths are uniform in [min, max] (default: ${DEFAULT-VALUE}).")
  int maxLength;

  @Option(names = "--num-classes", paramLabel = "V", defaultValue = "2",
      description = "Vocabulary size: logits per step (default: ${DEFAULT-VALUE}).")
  int numClasses;

  @Option(names = "--padding-share", paramLabel = "P", defaultValue = "0.0",
      description = "Share of each sequence's steps, at its end, with weight 0 (default: ${DEFAULT-VALUE}).")
  double paddingShare;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
      description = "Random seed; the same seed gives the same corpus (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--id-type", paramLabel = "string|long|none", defaultValue = "string",
      description = "Type of the id column; none writes no id column (default: ${DEFAULT-VALUE}).")
  SyntheticCorpusSpec.IdType idType;

  @Option(names = "--rows-per-file", paramLabel = "N", defaultValue = "100000",
      description = "Sequences per Parquet file (default: ${DEFAULT-VALUE}).")
  long rowsPerFile;

  @Option(names = "--compression", paramLabel = "CODEC", defaultValue = "snappy",
      description = "Parquet codec: uncompressed, snappy, gzip, zstd or lz4 (default: ${DEFAULT-VALUE}).")
  String compression;

  @Option(names = "--row-group-mb", paramLabel = "MB", defaultValue = "128",
      description = "Parquet row group size in MiB (default: ${DEFAULT-VALUE}, Parquet's own default).")
  int rowGroupMb;

  @Option(names = "--page-check-rows", paramLabel = "N", defaultValue = "1",
      description = "Rows before Parquet first checks page size (parquet.page.size.row.check.min); 100 is "
          + "Spark's default and gives wide rows huge pages (default: ${DEFAULT-VALUE}).")
  int pageCheckRows;

  private final Supplier<SparkSession> spark;
  private final PrintWriter out;

  GenerateCommand(Supplier<SparkSession> spark, PrintWriter out) {
    this.spark = spark;
    this.out = out;
  }

  SyntheticCorpusSpec toSpec() {
    return new SyntheticCorpusSpec(sequences, minLength, maxLength, numClasses, paddingShare, seed, idType,
        rowsPerFile, compression, rowGroupMb * 1024L * 1024L, pageCheckRows);
  }

  @Override
  public Integer call() throws JsonProcessingException {
    SyntheticCorpusSpec spec = toSpec();
    long start = System.nanoTime();
    CorpusGenerator.Written written = new CorpusGenerator(spark.get()).generate(spec, output, overwrite);
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("status", "generated");
    line.put("output", written.output());
    line.put("files", written.files());
    line.put("sequences", written.sequences());
    line.put("num_classes", spec.numClasses());
    line.put("min_length", spec.minLength());
    line.put("max_length", spec.maxLength());
    line.put("compression", spec.compression());
    line.put("bytes", written.bytes());
    line.put("elapsed_seconds", (System.nanoTime() - start) / 1e9);
    out.println(new ObjectMapper().writeValueAsString(line));
    out.flush();
    return ExitCodes.SUCCESS;
  }
}
