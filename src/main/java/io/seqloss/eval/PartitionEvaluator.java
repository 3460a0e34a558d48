package io.seqloss.eval;

import io.seqloss.config.InvalidRowPolicy;
import io.seqloss.config.Reduction;
import io.seqloss.fastpath.InternalRowFrames;
import io.seqloss.fastpath.SnappyPages;
import io.seqloss.input.IdKind;
import io.seqloss.input.InputLayout;
import io.seqloss.input.InvalidInputException;
import io.seqloss.input.RowProblem;
import io.seqloss.loss.TokenPosition;
import io.seqloss.output.OutputSchemas;
import io.seqloss.reduce.CorpusTotals;
import io.seqloss.reduce.CorpusTotalsAccumulator;
import io.seqloss.reduce.Ratios;
import io.seqloss.reduce.StepSums;
import io.seqloss.reduce.TimestepTotals;
import io.seqloss.slice.GroupSpec;
import io.seqloss.slice.GroupTable;
import io.seqloss.slice.GroupTotalsAccumulator;
import io.seqloss.stats.RunStatistics;
import io.seqloss.stats.RunStatisticsAccumulator;
import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.stream.IntStream;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.SpecificInternalRow;
import org.apache.spark.sql.types.DataTypes;

/**
 * Evaluates one partition of canonical rows. It streams: one row in memory at a time, output rows
 * (per sequence or per token, when the reduction keeps that axis) handed on as they are made, and
 * the partition's {@link CorpusTotals} added to the accumulator once its input is exhausted. For a
 * per-timestep result the output rows are (timestep, {@link StepSums} share) pairs for the job to
 * aggregate by timestep: one per resident step at the end, one per token beyond those steps.
 */
public final class PartitionEvaluator implements FlatMapFunction<Iterator<InternalRow>, Row> {
  private static final long serialVersionUID = 1L;

  /** What the output rows of a pass are. */
  public enum Emit {
    /**
     * The rows of the result: per_sequence or per_token, per-timestep shares; none for a scalar
     * result.
     */
    RESULTS,
    /**
     * The per_sequence rows whatever the reduction ({@code --per-sequence}); totals accumulate as
     * for RESULTS.
     */
    SEQUENCES,
    /** The invalid rows with their reasons (the second pass of a --on-invalid=skip run). */
    INVALID_ROWS,
    /**
     * The partial group totals ({@link GroupTable#partialSchema}): the second pass of a run with
     * more groups than the driver merges.
     */
    GROUP_PARTIALS
  }

  private final EvaluationSpec spec;
  private final Emit emit;
  private final CorpusTotalsAccumulator accumulator;

  /** The report's statistics (null: none gathered in this pass). */
  private final RunStatisticsAccumulator statistics;

  /** A long id column stored as int in the files (see InputLayout): read as int, widened. */
  private final boolean intIds;

  /** Where the pass writes its id keys for the duplicate-id count (null: not in this pass). */
  private IdKeyFiles idKeys;

  /**
   * Whether the per_sequence rows are made as Spark's internal rows (see {@link #toInternalRows}).
   */
  private boolean internalRows;

  /** Where the pass sends its group totals (null: none, or handed on as rows). */
  private GroupTotalsAccumulator groupTotals;

  /**
   * The internal per_sequence row, filled anew for each sequence (see {@link #internalId}: Spark's
   * writer copies a row before it asks for the next) instead of boxing every value into a new row.
   * Made in the task: each task deserializes its own evaluator.
   */
  private transient SpecificInternalRow internalSequenceRow;

  public PartitionEvaluator(EvaluationSpec spec, Emit emit, CorpusTotalsAccumulator accumulator) {
    this(spec, emit, accumulator, null);
  }

  public PartitionEvaluator(
      EvaluationSpec spec,
      Emit emit,
      CorpusTotalsAccumulator accumulator,
      RunStatisticsAccumulator statistics) {
    this.spec = spec;
    this.emit = emit;
    this.accumulator = accumulator;
    this.statistics = statistics;
    this.intIds = DataTypes.IntegerType.equals(spec.layout().rawIdType());
  }

  /**
   * Also writes the key of every row's id (valid or not; derived ids have none) to {@code files},
   * one file per partition, for {@code DuplicateIds}: the count then needs no second read.
   */
  public PartitionEvaluator withIdKeys(IdKeyFiles files) {
    this.idKeys = spec.layout().idKind() == IdKind.DERIVED ? null : files;
    return this;
  }

  /**
   * Makes the per_sequence rows as Spark's internal rows, for {@link InternalRowFrames}: the id
   * stays the input's bytes instead of becoming a Java string, and no serializer converts the row
   * back. Only for a pass whose every output row is a per_sequence row without group columns; it is
   * then evaluated with {@link #evaluateToInternalRows}.
   */
  public PartitionEvaluator toInternalRows() {
    boolean sequencesOnly =
        emit == Emit.SEQUENCES
            || emit == Emit.RESULTS && spec.reduction().shape() == Reduction.Shape.PER_SEQUENCE;
    if (!sequencesOnly || spec.groups() != null) {
      throw new IllegalArgumentException(
          "internal rows are for per_sequence rows without group columns, not for a "
              + emit
              + " pass of a "
              + spec.reduction().shape()
              + " result"
              + (spec.groups() == null ? "" : " with groups"));
    }
    this.internalRows = true;
    return this;
  }

  /**
   * Also adds each task's group totals to {@code accumulator} (a run with groups: its RESULTS or
   * SEQUENCES pass).
   */
  public PartitionEvaluator withGroupTotals(GroupTotalsAccumulator accumulator) {
    this.groupTotals = accumulator;
    return this;
  }

  @Override
  public Iterator<Row> call(Iterator<InternalRow> input) {
    return evaluate(CanonicalRows.of(input));
  }

  /**
   * Evaluates canonical rows, taking the columnar path's hint about null logit values row by row.
   */
  public Iterator<Row> evaluate(CanonicalRows input) {
    checkRowForm(false);
    return typed(rows(input));
  }

  /** As {@link #evaluate}, for an evaluator made with {@link #toInternalRows}. */
  public Iterator<InternalRow> evaluateToInternalRows(CanonicalRows input) {
    checkRowForm(true);
    return typed(rows(input));
  }

  private void checkRowForm(boolean internal) {
    if (internalRows != internal) {
      throw new IllegalStateException(
          "this evaluator makes " + (internalRows ? "internal" : "external") + " rows");
    }
  }

  /** The rows of {@link #rows}, all of the one form the evaluator makes. */
  @SuppressWarnings("unchecked")
  private static <T> Iterator<T> typed(Iterator<?> rows) {
    return (Iterator<T>) rows;
  }

  /**
   * The output rows: {@link Row}s, or {@link InternalRow}s for an evaluator made with {@link
   * #toInternalRows} (then every output row is a per_sequence row).
   */
  private Iterator<?> rows(CanonicalRows input) {
    SnappyPages.forThisTask(); // before this task's reader decompresses its first page
    SequenceEvaluator evaluator =
        new SequenceEvaluator(
            spec.layout(),
            spec.columns(),
            spec.numClasses(),
            spec.numClassesSource(),
            spec.scoring().newScorer(spec.numClasses()));
    CorpusTotals totals = new CorpusTotals();
    TimestepTotals steps = new TimestepTotals();
    if (spec.bootstrap() != null && accumulator != null) {
      totals.enableBootstrap(spec.bootstrap().replicates(), spec.bootstrap().seed());
    }
    // A run with groups sends its group totals to the driver, or hands them on as its rows (its
    // result is a scalar, see JobConfig).
    GroupTable groups =
        spec.groups() == null
            ? null
            : emit == Emit.GROUP_PARTIALS
                ? new GroupTable(spec.groups())
                : groupTotals != null
                    ? GroupTable.forDriver(spec.groups(), groupTotals.limit())
                    : null;
    RunStatistics share = statistics == null ? null : statistics.newShare();
    IdKeyFiles.Collector keys = idKeys == null ? null : new IdKeyFiles.Collector();
    return new Iterator<Object>() {
      private Object next;

      /**
       * Rows made from the last input row (at the end: from the whole partition) not yet handed on.
       */
      private Iterator<?> pending = Collections.emptyIterator();

      private boolean inputDone;

      @Override
      public boolean hasNext() {
        while (next == null) {
          if (pending.hasNext()) {
            next = pending.next();
          } else if (inputDone) {
            return false;
          } else if (input.hasNext()) {
            InternalRow row = input.next();
            evaluator.setLogitValuesMayBeNull(input.logitValuesMayBeNull());
            pending = process(input, row, evaluator, totals, steps, groups, share, keys);
            if (groups != null && groups.isFull()) {
              pending = groups.drain(); // a scalar run's process() hands on nothing itself
            }
          } else {
            inputDone = true;
            if (groups != null && accumulator != null) {
              groups.sumOfAll().addSumsTo(totals);
            }
            if (accumulator != null) {
              accumulator.add(totals);
            }
            if (share != null) {
              statistics.add(share);
            }
            if (groupTotals != null && groups != null) {
              groupTotals.add(groups);
            }
            if (keys != null) {
              idKeys.write(TaskContext.getPartitionId(), keys);
            }
            pending = emit == Emit.GROUP_PARTIALS ? groups.drain() : stepShares(steps);
          }
        }
        return true;
      }

      @Override
      public Object next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Object row = next;
        next = null;
        return row;
      }
    };
  }

  /** The partition's sums of its resident steps, one (timestep, share) row per step reached. */
  private static Iterator<Row> stepShares(TimestepTotals steps) {
    return IntStream.range(0, steps.length())
        .mapToObj(t -> RowFactory.create(t, steps.step(t).toShare()))
        .iterator();
  }

  /**
   * One (timestep, share) row per token of the evaluated row from step {@code from} on, made as
   * they are taken: the evaluator's arrays hold the row until the next input row is read.
   */
  private static Iterator<Row> tokenShares(SequenceEvaluator evaluator, int from) {
    TokenScorer scores = evaluator.scores();
    return IntStream.range(from, evaluator.length())
        .mapToObj(
            t ->
                RowFactory.create(
                    t,
                    StepSums.tokenShare(
                        evaluator.weightedLoss(t),
                        evaluator.weight(t),
                        scores.weightedCorrect(t),
                        scores.weightedTopK(t))))
        .iterator();
  }

  /** The output rows of one input row: usually one or none. */
  private Iterator<?> process(
      CanonicalRows input,
      InternalRow row,
      SequenceEvaluator evaluator,
      CorpusTotals totals,
      TimestepTotals steps,
      GroupTable groups,
      RunStatistics share,
      IdKeyFiles.Collector keys) {
    if (spec.layout().idKind() != IdKind.DERIVED && row.isNullAt(InputLayout.ID)) {
      return single(
          invalidRow(
              row,
              null,
              new RowProblem(spec.columns().id(), "is null; expected a sequence id"),
              totals,
              groups));
    }
    long key = sequenceKey(row);
    if (keys != null) {
      keys.add(key);
    }
    RowProblem problem = evaluator.evaluate(row, key);
    if (problem != null) {
      return single(invalidRow(row, readId(row), problem, totals, groups));
    }
    if (emit == Emit.INVALID_ROWS) {
      return Collections.emptyIterator();
    }
    Reduction reduction = spec.reduction();
    int length = evaluator.length();
    double denominator =
        Ratios.denominator(reduction, evaluator.weightSum(), evaluator.nonzeroWeights());
    TokenScorer scores = evaluator.scores();
    if (groups == null) {
      totals.addSequence(
          evaluator.lossSum(),
          evaluator.weightSum(),
          length,
          evaluator.nonzeroWeights(),
          denominator == 0.0);
      totals.addRatioTerms(key, evaluator.lossSum(), denominator);
      totals.addMetricSums(scores.correctSum(), scores.topKSum());
    } else {
      // The sums go to the sequence's group only; the task's corpus sums are the groups' sums,
      // merged exactly at its end (GroupTable.sumOfAll): the same bits, half the exact adds.
      totals.addSequenceCounts(length, evaluator.nonzeroWeights(), denominator == 0.0);
      totals.addBootstrapTerms(key, evaluator.lossSum(), denominator);
      groups
          .of(row, evaluator.nonzeroWeights(), input.groupDictionaryId(), input.dictionaryEpoch())
          .addSequence(
              evaluator.lossSum(),
              evaluator.weightSum(),
              denominator,
              length,
              evaluator.nonzeroWeights(),
              scores.correctSum(),
              scores.topKSum());
    }
    if (share != null && share.addSequence(scores, length, denominator)) {
      share.keepWorst(scores, length, denominator, readId(row));
    }
    switch (reduction.shape()) {
      case PER_TOKEN:
        if (emit == Emit.RESULTS) {
          double[] losses = new double[length];
          for (int t = 0; t < length; t++) {
            losses[t] = evaluator.weightedLoss(t);
          }
          return single(RowFactory.create(readId(row), losses));
        }
        break;
      case PER_TIMESTEP:
        if (emit == Emit.RESULTS) {
          int resident = Math.min(length, TimestepTotals.RESIDENT_STEPS);
          for (int t = 0; t < resident; t++) {
            steps.addToken(
                t,
                evaluator.weightedLoss(t),
                evaluator.weight(t),
                scores.weightedCorrect(t),
                scores.weightedTopK(t));
          }
          return tokenShares(evaluator, resident); // the steps beyond, if any
        }
        break;
      default:
        break;
    }
    return emit == Emit.SEQUENCES || reduction.shape() == Reduction.Shape.PER_SEQUENCE
        ? single(sequenceRow(row, evaluator, denominator))
        : Collections.emptyIterator();
  }

  /**
   * A per_sequence/ row; a grouped run's rows end with their group key, so that compare can group
   * them.
   */
  private Object sequenceRow(InternalRow row, SequenceEvaluator evaluator, double denominator) {
    TokenScorer scores = evaluator.scores();
    if (internalRows) {
      return internalSequenceRow(row, evaluator, denominator);
    }
    Object[] values = {
      readId(row),
      Ratios.divideOrZero(evaluator.lossSum(), denominator),
      evaluator.weightSum(),
      (long) evaluator.length(),
      Ratios.divideOrZero(scores.correctSum(), denominator),
      Ratios.divideOrZero(scores.topKSum(), denominator),
      evaluator.lossSum(),
      evaluator.nonzeroWeights()
    };
    GroupSpec groups = spec.groups();
    if (groups == null) {
      return RowFactory.create(values);
    }
    Object[] key =
        GroupTable.keyValues(
            groups, row, groups.hasBuckets() ? groups.bucketOf(evaluator.nonzeroWeights()) : null);
    Object[] all = java.util.Arrays.copyOf(values, values.length + key.length);
    System.arraycopy(key, 0, all, values.length, key.length);
    return RowFactory.create(all);
  }

  /** {@link #sequenceRow} as the one internal row of this task, in per_sequence's columns. */
  private InternalRow internalSequenceRow(
      InternalRow row, SequenceEvaluator evaluator, double denominator) {
    if (internalSequenceRow == null) {
      internalSequenceRow =
          new SpecificInternalRow(OutputSchemas.perSequence(spec.layout().idType()));
    }
    SpecificInternalRow out = internalSequenceRow;
    TokenScorer scores = evaluator.scores();
    if (spec.layout().idKind() == IdKind.LONG) {
      out.setLong(0, intIds ? row.getInt(InputLayout.ID) : row.getLong(InputLayout.ID));
    } else {
      out.update(0, internalId(row));
    }
    out.setDouble(1, Ratios.divideOrZero(evaluator.lossSum(), denominator));
    out.setDouble(2, evaluator.weightSum());
    out.setLong(3, evaluator.length());
    out.setDouble(4, Ratios.divideOrZero(scores.correctSum(), denominator));
    out.setDouble(5, Ratios.divideOrZero(scores.topKSum(), denominator));
    out.setDouble(6, evaluator.lossSum());
    out.setLong(7, evaluator.nonzeroWeights());
    return out;
  }

  private static Iterator<Object> single(Object row) {
    return row == null ? Collections.emptyIterator() : Collections.singletonList(row).iterator();
  }

  private Row invalidRow(
      InternalRow row, Object id, RowProblem problem, CorpusTotals totals, GroupTable groups) {
    String file = row.getUTF8String(InputLayout.FILE).toString();
    long rowIndex = row.getLong(InputLayout.ROW);
    String idText = id == null ? "null" : id.toString();
    if (spec.invalidRowPolicy() == InvalidRowPolicy.FAIL) {
      throw new InvalidInputException(
          problem.describe(file, rowIndex, idText)
              + " (use --on-invalid=skip to exclude such rows and list them in invalid/)");
    }
    totals.addInvalidRow();
    if (groups != null) {
      groups.ofInvalid(row).addInvalidRow();
    }
    if (emit == Emit.INVALID_ROWS) {
      return RowFactory.create(
          id == null ? null : idText,
          file,
          rowIndex,
          problem.column(),
          problem.describe(file, rowIndex, idText));
    }
    return null;
  }

  /**
   * {@link TokenPosition#keyOf} of the row's id, without making the id object: only outputs and
   * error messages need that, and for a scalar result on short rows it was a noticeable share of
   * the time.
   */
  private long sequenceKey(InternalRow row) {
    return switch (spec.layout().idKind()) {
      case DERIVED ->
          SequenceKeys.derived(row.getUTF8String(InputLayout.FILE), row.getLong(InputLayout.ROW));
      case LONG -> intIds ? row.getInt(InputLayout.ID) : row.getLong(InputLayout.ID);
      default -> SequenceKeys.of(row.getUTF8String(InputLayout.ID));
    };
  }

  /**
   * {@link #readId} in Spark's internal form. An ASCII string id is the input's bytes, valid until
   * the next input row is read: Spark's writer copies each row before it asks for the next.
   */
  private Object internalId(InternalRow row) {
    return switch (spec.layout().idKind()) {
      case DERIVED -> InternalRowFrames.string((String) readId(row));
      case LONG -> readId(row);
      default -> InternalRowFrames.string(row.getUTF8String(InputLayout.ID));
    };
  }

  /** The sequence id as written to outputs: a long or a string; derived ids are "file#row". */
  private Object readId(InternalRow row) {
    if (spec.layout().idKind() == IdKind.DERIVED) {
      return row.getUTF8String(InputLayout.FILE) + "#" + row.getLong(InputLayout.ROW);
    }
    if (row.isNullAt(InputLayout.ID)) {
      return null;
    }
    return switch (spec.layout().idKind()) {
      // the id column keeps its type in the files (see InputLayout): an int is widened here
      case LONG -> intIds ? (long) row.getInt(InputLayout.ID) : row.getLong(InputLayout.ID);
      default -> row.getUTF8String(InputLayout.ID).toString();
    };
  }
}
