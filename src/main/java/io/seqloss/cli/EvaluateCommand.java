package io.seqloss.cli;

import io.seqloss.config.ColumnNames;
import io.seqloss.config.InputFormat;
import io.seqloss.config.InvalidRowPolicy;
import io.seqloss.config.Reduction;
import io.seqloss.job.JobConfig;
import io.seqloss.job.SequenceLossJob;
import io.seqloss.job.Versions;
import io.seqloss.loss.CandidateSampler;
import io.seqloss.loss.LossSettings;
import io.seqloss.output.RunSummary;
import io.seqloss.output.SummaryJson;
import java.io.File;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code seqloss --input PATH... --output DIR [options]}: evaluate a corpus. */
@Command(
    name = "seqloss",
    mixinStandardHelpOptions = true,
    versionProvider = EvaluateCommand.Version.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Computes TensorFlow's sequence_loss over a Parquet or Arrow IPC corpus of [T][V] logits, [T] targets and "
          + "[T] weights.",
      "Prints the run summary as JSON on the last line of stdout and writes it to DIR/summary.json."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:other failure (Spark, cluster, I/O); worth a retry",
      "2:usage or configuration error",
      "3:invalid input data (missing/corrupt file, wrong schema, invalid row)"
    },
    footer = {
      "%nOptions may also be set in a properties file (--config), keyed by long option name without",
      "dashes, for example 'average-across-batch=false'. Flags override the file."
    })
public final class EvaluateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--input",
      arity = "1..*",
      paramLabel = "PATH",
      description =
          "Parquet or Arrow IPC files, directories or globs of the corpus (one row per sequence).")
  List<String> inputs;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description =
          "Input format (${COMPLETION-CANDIDATES}); default: arrow when the data files end in .arrow, "
              + ".feather or .ipc (Arrow IPC stream or file format), else parquet.")
  InputFormat format;

  @Option(
      names = "--output",
      paramLabel = "DIR",
      description = "Result directory; replaced only when the run succeeds.")
  String output;

  @Option(
      names = "--average-across-timesteps",
      arity = "1",
      paramLabel = "<bool>",
      defaultValue = "true",
      description =
          "Divide by the sum of weights over the timestep axis (default: ${DEFAULT-VALUE}).")
  boolean averageAcrossTimesteps;

  @Option(
      names = "--average-across-batch",
      arity = "1",
      paramLabel = "<bool>",
      defaultValue = "true",
      description = "Divide by the sum of weights over the batch axis (default: ${DEFAULT-VALUE}).")
  boolean averageAcrossBatch;

  @Option(
      names = "--sum-over-timesteps",
      arity = "1",
      paramLabel = "<bool>",
      defaultValue = "false",
      description =
          "Divide by the count of non-zero weights over the timestep axis (default: ${DEFAULT-VALUE}).")
  boolean sumOverTimesteps;

  @Option(
      names = "--sum-over-batch",
      arity = "1",
      paramLabel = "<bool>",
      defaultValue = "false",
      description =
          "Divide by the count of non-zero weights over the batch axis (default: ${DEFAULT-VALUE}).")
  boolean sumOverBatch;

  @Option(
      names = "--loss",
      paramLabel = "NAME",
      defaultValue = "sparse_softmax_cross_entropy",
      description =
          "Per-token loss: sparse_softmax_cross_entropy, sampled_softmax, label_smoothed_cross_entropy, "
              + "brier, or the name of a class implementing io.seqloss.loss.TokenLoss shipped with --jars "
              + "(default: ${DEFAULT-VALUE}).")
  String loss;

  @Option(
      names = "--num-sampled",
      paramLabel = "N",
      description =
          "sampled_softmax: distinct classes drawn per token besides the target, 1..V (required).")
  Integer numSampled;

  @Option(
      names = "--sampler",
      paramLabel = "SAMPLER",
      description =
          "sampled_softmax: the candidate sampler (${COMPLETION-CANDIDATES}; default: log_uniform).")
  CandidateSampler sampler;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description =
          "sampled_softmax: seed of the draws; each token's draw derives from (seed, sequence id, "
              + "timestep) (default: 0).")
  Long seed;

  @Option(
      names = "--label-smoothing",
      paramLabel = "EPSILON",
      description =
          "label_smoothed_cross_entropy: the smoothing in [0, 1], as PyTorch's label_smoothing (required).")
  Double labelSmoothing;

  @Option(
      names = "--ignore-index",
      paramLabel = "N",
      description = "Targets equal to N (for example -100) count as weight 0, even outside [0, V).")
  Long ignoreIndex;

  @Option(
      names = "--class-weights",
      paramLabel = "FILE",
      description =
          "Text file of V weights, one per class (PyTorch's weight=); each token's weight is "
              + "multiplied by its target's.")
  String classWeights;

  @Option(
      names = "--top-k",
      paramLabel = "K",
      defaultValue = "5",
      description = "k of the top-k accuracy metric (default: ${DEFAULT-VALUE}).")
  int topK;

  @Option(
      names = "--per-sequence",
      arity = "0..1",
      paramLabel = "<bool>",
      defaultValue = "false",
      fallbackValue = "true",
      description =
          "Also write DIR/per_sequence/ (each sequence's loss, sums and metrics) whatever the reduction; "
              + "it is always written when the result is per sequence. compare pairs two runs' tables "
              + "(default: ${DEFAULT-VALUE}).")
  boolean perSequence;

  @Option(
      names = "--confidence",
      paramLabel = "LEVEL",
      defaultValue = "0.95",
      description =
          "Level of the confidence intervals of the loss and of every group's loss "
              + "(default: ${DEFAULT-VALUE}).")
  double confidence;

  @Option(
      names = "--bootstrap",
      paramLabel = "B",
      defaultValue = "0",
      description =
          "Poisson bootstrap replicates of the scalar loss, for a percentile interval beside the "
              + "delta-method one; 0: off (default: ${DEFAULT-VALUE}).")
  int bootstrap;

  @Option(
      names = "--bootstrap-seed",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Seed of the bootstrap; each sequence's counts derive from (seed, sequence id, replicate) "
              + "(default: ${DEFAULT-VALUE}).")
  long bootstrapSeed;

  @Option(
      names = "--group-by",
      paramLabel = "COL",
      split = ",",
      description =
          "Also report the scalar result of every group of rows with equal values of these columns "
              + "(string, int, long, boolean or date) in DIR/per_group/.")
  List<String> groupBy;

  @Option(
      names = "--length-buckets",
      paramLabel = "EDGE",
      split = ",",
      description =
          "Also group by length_bucket, each sequence's count of non-zero-weight tokens cut at these "
              + "edges, for example 16,32,64 gives [0, 16), [16, 32), [32, 64), [64, inf).")
  List<Integer> lengthBuckets;

  @Option(
      names = "--num-classes",
      paramLabel = "V",
      description =
          "Number of classes V; default: the length of the first step of the first row of the first file.")
  Integer numClasses;

  @Option(
      names = "--on-invalid",
      paramLabel = "POLICY",
      defaultValue = "fail",
      description =
          "What to do with invalid rows (${COMPLETION-CANDIDATES}). fail: stop at the first one (exit 3); "
              + "skip: exclude them and list them in DIR/invalid/ (default: ${DEFAULT-VALUE}).")
  InvalidRowPolicy onInvalid;

  @Option(
      names = "--id-col",
      paramLabel = "NAME",
      defaultValue = "id",
      description =
          "Sequence id column, string or long; optional in the data (default: ${DEFAULT-VALUE}).")
  String idCol;

  @Option(
      names = "--logits-col",
      paramLabel = "NAME",
      defaultValue = "logits",
      description = "Logits column, array<array<float|double>> (default: ${DEFAULT-VALUE}).")
  String logitsCol;

  @Option(
      names = "--targets-col",
      paramLabel = "NAME",
      defaultValue = "targets",
      description = "Targets column, array<int|long> (default: ${DEFAULT-VALUE}).")
  String targetsCol;

  @Option(
      names = "--weights-col",
      paramLabel = "NAME",
      defaultValue = "weights",
      description =
          "Weights column, array<float|double|int>; absent means all 1 (default: ${DEFAULT-VALUE}).")
  String weightsCol;

  @Option(
      names = "--no-report",
      description =
          "Write no report.html (and skip the statistics only it shows: loss by position, histogram, "
              + "worst sequences).")
  boolean noReport;

  @Option(
      names = "--report-worst",
      paramLabel = "N",
      defaultValue = "20",
      description =
          "How many of the worst sequences (highest per-sequence loss) report.html lists. Default: 20.")
  int reportWorst;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "Properties file of option defaults (submit.sh passes conf/seqloss.properties).")
  File config;

  private final Supplier<SparkSession> spark;
  private final PrintWriter out;

  EvaluateCommand(Supplier<SparkSession> spark, PrintWriter out) {
    this.spark = spark;
    this.out = out;
  }

  /** Builds and validates the run's configuration; every problem here is a usage error. */
  JobConfig toJobConfig() {
    LossSettings lossSettings = new LossSettings(loss, numSampled, sampler, seed, labelSmoothing);
    return JobConfig.builder()
        .inputPaths(inputs)
        .outputDir(output)
        .reduction(
            Reduction.of(
                averageAcrossTimesteps, averageAcrossBatch, sumOverTimesteps, sumOverBatch))
        .columns(new ColumnNames(idCol, logitsCol, targetsCol, weightsCol))
        .numClasses(numClasses)
        .invalidRowPolicy(onInvalid)
        .loss(lossSettings)
        .ignoreIndex(ignoreIndex)
        .classWeightsFile(classWeights)
        .topK(topK)
        .report(!noReport)
        .reportWorst(reportWorst)
        .format(format)
        .perSequence(perSequence)
        .confidence(confidence)
        .bootstrap(bootstrap, bootstrapSeed)
        .groupBy(groupBy)
        .lengthBuckets(lengthBuckets)
        .build();
  }

  @Override
  public Integer call() {
    JobConfig jobConfig = toJobConfig();
    RunSummary summary = new SequenceLossJob(spark.get()).run(jobConfig);
    spec.commandLine().getErr().println(HumanSummary.of(summary));
    out.println(SummaryJson.toJson(summary));
    out.flush();
    return ExitCodes.SUCCESS;
  }

  /** {@code --version}. */
  static final class Version implements picocli.CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"seqloss " + Versions.seqloss()};
    }
  }
}
