package io.seqloss.config;

import io.seqloss.loss.LossSettings;
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

  private JobConfig(Builder b) {
    if (b.inputPaths == null || b.inputPaths.isEmpty()) {
      throw new ConfigException("--input is required: one or more Parquet or Arrow files, directories or globs");
    }
    for (String p : b.inputPaths) {
      if (p == null || p.isBlank()) {
        throw new ConfigException("--input contains an empty path");
      }
    }
    if (b.outputDir == null || b.outputDir.isBlank()) {
      throw new ConfigException("--output is required: the directory to write summary.json and results to");
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
    this.ignoreIndex = b.ignoreIndex;
    this.classWeightsFile = b.classWeightsFile;
    this.topK = b.topK;
    this.format = b.format;
    this.perSequence = b.perSequence;
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
   * {@code --per-sequence}: also write per_sequence/ when the reduction's result is not per sequence
   * (always written when it is); what {@code compare} pairs.
   */
  public boolean perSequence() {
    return perSequence;
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

    public Builder perSequence(boolean write) {
      this.perSequence = write;
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
