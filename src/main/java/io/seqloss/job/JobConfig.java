package io.seqloss.job;

import io.seqloss.config.ColumnNames;
import io.seqloss.config.ConfigException;
import io.seqloss.config.InputFormat;
import io.seqloss.config.InvalidRowPolicy;
import io.seqloss.config.Reduction;
import io.seqloss.loss.LossSettings;
import io.seqloss.loss.TokenLosses;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Everything one evaluation run needs, validated once when built. Immutable, and serializable so
 * that executors receive exactly the settings the driver checked.
 */
public final class JobConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  private final List<String> inputPaths;
  private final String outputDir;
  private final Reduction reduction;
  private final ColumnNames columns;
  private final Integer numClasses; // null: taken from the data
  private final InvalidRowPolicy invalidRowPolicy;
  private final LossSettings loss;
  private final Long ignoreIndex; // null: none
  private final String classWeightsFile; // null: none
  private final int topK;

  /** The default k of top-k accuracy. */
  public static final int DEFAULT_TOP_K = 5;

  private final InputFormat format; // null: detected from the file names
  private final boolean perSequence;
  private final double confidence;
  private final int bootstrapReplicates; // 0: off
  private final long bootstrapSeed;
  private final List<String> groupBy;
  private final List<Integer> lengthBuckets;

  /** The default level of confidence intervals. */
  public static final double DEFAULT_CONFIDENCE = 0.95;

  /** The most bootstrap replicates a run may ask for (each costs two exact sums on every task). */
  public static final int MAX_BOOTSTRAP = 10_000;

  private final boolean report;
  private final int reportWorst;

  /** The default number of worst sequences listed in report.html. */
  public static final int DEFAULT_REPORT_WORST = 20;

  private JobConfig(Builder b) {
    if (b.inputPaths == null || b.inputPaths.isEmpty()) {
      throw new ConfigException(
          "--input is required: one or more Parquet or Arrow files, directories or globs");
    }
    for (String p : b.inputPaths) {
      if (p == null || p.isBlank()) {
        throw new ConfigException("--input contains an empty path");
      }
    }
    if (b.outputDir == null || b.outputDir.isBlank()) {
      throw new ConfigException(
          "--output is required: the directory to write summary.json and results to");
    }
    if (b.numClasses != null && b.numClasses < 1) {
      throw new ConfigException("--num-classes must be at least 1, got " + b.numClasses);
    }
    this.inputPaths = List.copyOf(b.inputPaths);
    this.outputDir = b.outputDir;
    this.reduction = Objects.requireNonNull(b.reduction, "reduction");
    this.columns = Objects.requireNonNull(b.columns, "columns");
    this.numClasses = b.numClasses;
    this.invalidRowPolicy = Objects.requireNonNull(b.invalidRowPolicy, "invalidRowPolicy");
    if (b.topK < 1) {
      throw new ConfigException("--top-k must be at least 1, got " + b.topK);
    }
    if (b.classWeightsFile != null && b.classWeightsFile.isBlank()) {
      throw new ConfigException("--class-weights must name a file");
    }
    this.loss = Objects.requireNonNull(b.loss, "loss");
    TokenLosses.check(
        loss); // the one check of --loss: a user class is loaded now, before any data is read
    this.ignoreIndex = b.ignoreIndex;
    this.classWeightsFile = b.classWeightsFile;
    this.topK = b.topK;
    this.format = b.format;
    this.perSequence = b.perSequence;
    if (!(b.confidence > 0 && b.confidence < 1)) {
      throw new ConfigException(
          "--confidence must be a level strictly between 0 and 1, such as 0.95, got "
              + b.confidence);
    }
    if (b.bootstrapReplicates != 0
        && (b.bootstrapReplicates < 2 || b.bootstrapReplicates > MAX_BOOTSTRAP)) {
      throw new ConfigException(
          "--bootstrap must be 0 (off) or a number of replicates in [2, "
              + MAX_BOOTSTRAP
              + "], got "
              + b.bootstrapReplicates);
    }
    this.confidence = b.confidence;
    this.bootstrapReplicates = b.bootstrapReplicates;
    this.bootstrapSeed = b.bootstrapSeed;
    this.groupBy = checkGroupBy(b.groupBy == null ? List.of() : b.groupBy);
    this.lengthBuckets = checkLengthBuckets(b.lengthBuckets == null ? List.of() : b.lengthBuckets);
    if (bootstrapReplicates > 0 && reduction.shape() != Reduction.Shape.SCALAR) {
      throw new ConfigException(
          "--bootstrap resamples the scalar result, so it needs a scalar reduction (average or "
              + "sum over both axes); got a "
              + reduction.shape().notation()
              + " result");
    }
    if ((!groupBy.isEmpty() || !lengthBuckets.isEmpty())
        && reduction.shape() != Reduction.Shape.SCALAR) {
      throw new ConfigException(
          "--group-by and --length-buckets give each group's scalar result, so they need a "
              + "scalar reduction (average or sum over both axes); got a "
              + reduction.shape().notation()
              + " result. Group per_sequence/ by its id instead, or run the scalar reduction separately");
    }
    if (b.reportWorst < 0 || b.reportWorst > 1_000) {
      throw new ConfigException(
          "--report-worst must be between 0 and 1000 (the page lists them all), got "
              + b.reportWorst);
    }
    this.report = b.report;
    this.reportWorst = b.reportWorst;
  }

  private static List<String> checkGroupBy(List<String> columns) {
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (String c : columns) {
      if (c == null || c.isBlank()) {
        throw new ConfigException("--group-by contains an empty column name: " + columns);
      }
      if (!seen.add(c)) {
        throw new ConfigException("--group-by names column '" + c + "' twice");
      }
      if (c.equals("length_bucket")) {
        throw new ConfigException(
            "--group-by cannot name 'length_bucket': that is the column --length-buckets adds");
      }
    }
    return List.copyOf(columns);
  }

  private static List<Integer> checkLengthBuckets(List<Integer> edges) {
    for (int i = 0; i < edges.size(); i++) {
      Integer edge = edges.get(i);
      if (edge == null || edge < 1) {
        throw new ConfigException(
            "--length-buckets edges must be positive token counts, got " + edge);
      }
      if (i > 0 && edge <= edges.get(i - 1)) {
        throw new ConfigException(
            "--length-buckets edges must increase strictly, got "
                + edges.get(i - 1)
                + " then "
                + edge);
      }
    }
    return List.copyOf(edges);
  }

  public static Builder builder() {
    return new Builder();
  }

  public List<String> inputPaths() {
    return inputPaths;
  }

  public String outputDir() {
    return outputDir;
  }

  public Reduction reduction() {
    return reduction;
  }

  public ColumnNames columns() {
    return columns;
  }

  public OptionalInt numClasses() {
    return numClasses == null ? OptionalInt.empty() : OptionalInt.of(numClasses);
  }

  public InvalidRowPolicy invalidRowPolicy() {
    return invalidRowPolicy;
  }

  public String lossName() {
    return loss.name();
  }

  /** The {@code --loss} and its options. */
  public LossSettings loss() {
    return loss;
  }

  /** {@code --ignore-index}: targets equal to it count as weight 0. */
  public java.util.Optional<Long> ignoreIndex() {
    return java.util.Optional.ofNullable(ignoreIndex);
  }

  /** {@code --class-weights}: the file of one weight per class. */
  public java.util.Optional<String> classWeightsFile() {
    return java.util.Optional.ofNullable(classWeightsFile);
  }

  /** {@code --top-k}: the k of top-k accuracy. */
  public int topK() {
    return topK;
  }

  /** The input format named by {@code --format}; empty: detected from the data file names. */
  public java.util.Optional<InputFormat> format() {
    return java.util.Optional.ofNullable(format);
  }

  /**
   * {@code --per-sequence}: also write per_sequence/ when the reduction's result is not per
   * sequence (always written when it is); what {@code compare} pairs.
   */
  public boolean perSequence() {
    return perSequence;
  }

  /** {@code --confidence}: the level of every confidence interval. */
  public double confidence() {
    return confidence;
  }

  /** {@code --bootstrap}: Poisson bootstrap replicates of the scalar result; 0 when off. */
  public int bootstrapReplicates() {
    return bootstrapReplicates;
  }

  /**
   * {@code --bootstrap-seed}: seeds every sequence's replicate counts, with its id and the
   * replicate.
   */
  public long bootstrapSeed() {
    return bootstrapSeed;
  }

  /**
   * {@code --group-by}: the corpus columns whose values define the groups; empty when not grouping.
   */
  public List<String> groupBy() {
    return groupBy;
  }

  /**
   * {@code --length-buckets}: edges of the length_bucket slice (non-zero-weight tokens); empty when
   * none.
   */
  public List<Integer> lengthBuckets() {
    return lengthBuckets;
  }

  /** Whether the run reports per-group results. */
  public boolean hasGroups() {
    return !groupBy.isEmpty() || !lengthBuckets.isEmpty();
  }

  /** False with {@code --no-report}: no report.html, and none of the statistics only it shows. */
  public boolean report() {
    return report;
  }

  /** {@code --report-worst}: how many of the worst sequences report.html lists. */
  public int reportWorst() {
    return reportWorst;
  }

  /** Collects settings; {@link #build()} validates them all at once. */
  public static final class Builder {
    private List<String> inputPaths;
    private String outputDir;
    private Reduction reduction = Reduction.tensorflowDefault();
    private ColumnNames columns = ColumnNames.DEFAULT;
    private Integer numClasses;
    private InvalidRowPolicy invalidRowPolicy = InvalidRowPolicy.FAIL;
    private LossSettings loss = LossSettings.crossEntropy();
    private Long ignoreIndex;
    private String classWeightsFile;
    private int topK = DEFAULT_TOP_K;
    private InputFormat format;
    private boolean perSequence;
    private boolean report = true;
    private int reportWorst = DEFAULT_REPORT_WORST;
    private double confidence = DEFAULT_CONFIDENCE;
    private int bootstrapReplicates;
    private long bootstrapSeed;
    private List<String> groupBy;
    private List<Integer> lengthBuckets;

    public Builder perSequence(boolean write) {
      this.perSequence = write;
      return this;
    }

    public Builder confidence(double level) {
      this.confidence = level;
      return this;
    }

    public Builder bootstrap(int replicates, long seed) {
      this.bootstrapReplicates = replicates;
      this.bootstrapSeed = seed;
      return this;
    }

    public Builder groupBy(List<String> columns) {
      this.groupBy = columns;
      return this;
    }

    public Builder lengthBuckets(List<Integer> edges) {
      this.lengthBuckets = edges;
      return this;
    }

    public Builder report(boolean on) {
      this.report = on;
      return this;
    }

    public Builder reportWorst(int n) {
      this.reportWorst = n;
      return this;
    }

    public Builder inputPaths(List<String> paths) {
      this.inputPaths = paths;
      return this;
    }

    public Builder outputDir(String dir) {
      this.outputDir = dir;
      return this;
    }

    public Builder reduction(Reduction r) {
      this.reduction = r;
      return this;
    }

    public Builder columns(ColumnNames c) {
      this.columns = c;
      return this;
    }

    public Builder numClasses(Integer v) {
      this.numClasses = v;
      return this;
    }

    public Builder invalidRowPolicy(InvalidRowPolicy p) {
      this.invalidRowPolicy = p;
      return this;
    }

    /** A loss without options (sparse_softmax_cross_entropy, brier or a class name). */
    public Builder lossName(String name) {
      this.loss = LossSettings.named(name);
      return this;
    }

    public Builder loss(LossSettings settings) {
      this.loss = settings;
      return this;
    }

    public Builder ignoreIndex(Long index) {
      this.ignoreIndex = index;
      return this;
    }

    public Builder classWeightsFile(String file) {
      this.classWeightsFile = file;
      return this;
    }

    public Builder topK(int k) {
      this.topK = k;
      return this;
    }

    public Builder format(InputFormat f) {
      this.format = f;
      return this;
    }

    public JobConfig build() {
      return new JobConfig(this);
    }
  }
}
