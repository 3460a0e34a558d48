package io.seqloss.slice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqloss.config.ConfigException;
import io.seqloss.config.InvalidRowPolicy;
import io.seqloss.input.Corpus;
import io.seqloss.input.CorpusReader;
import io.seqloss.job.JobConfig;
import io.seqloss.job.SequenceLossJob;
import io.seqloss.output.RunSummary;
import io.seqloss.testing.CorpusRow;
import io.seqloss.testing.GroupedCorpus;
import io.seqloss.testing.GroupedCorpus.Labelled;
import io.seqloss.testing.RandomCorpus;
import io.seqloss.testing.SparkTestBase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * --group-by and --length-buckets: every group's numbers equal a plain run over that group's rows
 * alone, whatever the partitioning; bad columns are usage errors; invalid rows are counted in their
 * group.
 */
class GroupByJobTest extends SparkTestBase {
  private static final List<StructField> EXTRAS =
      List.of(
          GroupedCorpus.field("domain", DataTypes.StringType),
          GroupedCorpus.field("year", DataTypes.IntegerType),
          GroupedCorpus.field("score", DataTypes.DoubleType));
  private static final String[] DOMAINS = {"news", "code", "chat", null};

  private List<Labelled> rows;
  private Path corpus;

  @BeforeEach
  void writeCorpus() {
    rows = new ArrayList<>();
    List<CorpusRow> random = RandomCorpus.rows(13, 150, 9, 5, true);
    for (int i = 0; i < random.size(); i++) {
      rows.add(new Labelled(random.get(i), Arrays.asList(DOMAINS[i % 4], 2020 + i % 3, 0.5 * i)));
    }
    corpus = GroupedCorpus.write(session(), tmp, "corpus", rows, EXTRAS, 5);
  }

  private RunSummary run(
      Path input,
      String out,
      List<String> groupBy,
      List<Integer> buckets,
      UnaryOperator<Dataset<Row>> split) {
    JobConfig config =
        JobConfig.builder()
            .inputPaths(List.of(input.toString()))
            .outputDir(tmp.resolve(out).toString())
            .groupBy(groupBy)
            .lengthBuckets(buckets)
            .build();
    Corpus read =
        new CorpusReader(session())
            .read(config.inputPaths(), null, config.columns(), InvalidRowPolicy.FAIL, groupBy);
    return new SequenceLossJob(session())
        .run(config, new Corpus(split.apply(read.rows()), read.layout(), read.files()));
  }

  /** A plain run (no groups) over {@code members} alone, written as a corpus named {@code name}. */
  private RunSummary runAlone(List<Labelled> members, String name) {
    return run(
        GroupedCorpus.write(session(), tmp, name + "-in", members, EXTRAS, 1),
        name,
        List.of(),
        List.of(),
        d -> d);
  }

  private static long nonzero(CorpusRow r) {
    long n = 0;
    for (float w : r.weights()) {
      n += w != 0 ? 1 : 0;
    }
    return n;
  }

  private static String bucketByHand(long n) {
    return n < 2 ? "[0, 2)" : n < 5 ? "[2, 5)" : "[5, inf)";
  }

  @Test
  void everyGroupEqualsAPlainRunOverItsRowsAlone() {
    RunSummary grouped =
        run(corpus, "grouped", List.of("domain"), List.of(2, 5), d -> d); // columnar
    // the groups by hand: domain x bucket
    Map<List<Object>, List<Labelled>> byHand = new LinkedHashMap<>();
    for (Labelled l : rows) {
      byHand
          .computeIfAbsent(
              Arrays.asList(l.extras().get(0), bucketByHand(nonzero(l.row()))),
              k -> new ArrayList<>())
          .add(l);
    }
    assertEquals(byHand.size(), grouped.slices().groups());
    assertEquals(byHand.size(), grouped.slices().groupResults().size());
    assertEquals(List.of("domain"), grouped.slices().groupBy());
    assertTrue(grouped.output().outputs().containsKey("per_group"));
    int i = 0;
    for (RunSummary.GroupResult g : grouped.slices().groupResults()) {
      List<Object> key = Arrays.asList(g.group().get("domain"), g.group().get("length_bucket"));
      List<Labelled> members = byHand.get(key);
      assertNotNull(members, "unexpected group " + key);
      RunSummary alone = runAlone(members, "alone" + i++);
      assertEquals(bits(alone.result().loss()), bits(g.loss()), key.toString());
      assertEquals(
          Objects.toString(alone.uncertainty().standardError()),
          Objects.toString(g.standardError()));
      assertEquals(alone.uncertainty().confidenceInterval(), g.confidenceInterval());
      assertEquals(bits(alone.result().accuracy()), bits(g.accuracy()));
      assertEquals(bits(alone.result().topKAccuracy()), bits(g.topKAccuracy()));
      assertEquals(alone.result().perplexity(), g.perplexity());
      assertEquals(alone.totals().sequences(), g.sequences());
      assertEquals(alone.totals().tokens(), g.tokens());
      assertEquals(bits(alone.totals().lossSum()), bits(g.lossSum()));
      assertEquals(bits(alone.totals().weightSum()), bits(g.weightSum()));
      assertEquals(alone.totals().nonzeroWeights(), g.nonzeroWeights());
      assertEquals(members.size(), g.sequences());
    }
    // per_group/ holds the same rows, the null domain its own group
    List<Row> perGroup =
        session().read().parquet(tmp.resolve("grouped/per_group").toString()).collectAsList();
    assertEquals(byHand.size(), perGroup.size());
    assertTrue(perGroup.stream().anyMatch(r -> r.isNullAt(0)), "the null domain is a group");
  }

  @Test
  void oneStringColumnLookedUpByDictionaryIdEqualsPlainRuns() {
    // one group column, no buckets: groups are found by the files' dictionary ids, and the five
    // files number the domains in different orders (each file starts at another domain)
    RunSummary grouped = run(corpus, "by-id", List.of("domain"), List.of(), d -> d);
    assertEquals(4, grouped.slices().groups());
    int i = 0;
    for (RunSummary.GroupResult g : grouped.slices().groupResults()) {
      Object domain = g.group().get("domain");
      List<Labelled> members =
          rows.stream().filter(l -> Objects.equals(l.extras().get(0), domain)).toList();
      RunSummary alone = runAlone(members, "domain-alone" + i++);
      assertEquals(members.size(), g.sequences(), String.valueOf(domain));
      assertEquals(bits(alone.result().loss()), bits(g.loss()), String.valueOf(domain));
      assertEquals(bits(alone.totals().weightSum()), bits(g.weightSum()));
      assertEquals(
          Objects.toString(alone.uncertainty().standardError()),
          Objects.toString(g.standardError()));
    }
  }

  @Test
  void groupColumnsKeepTheColumnarPath() {
    Corpus read =
        new CorpusReader(session())
            .read(
                List.of(corpus.toString()),
                null,
                io.seqloss.config.ColumnNames.DEFAULT,
                InvalidRowPolicy.FAIL,
                List.of("domain", "year"));
    io.seqloss.eval.CorpusEvaluation plan = io.seqloss.eval.CorpusEvaluation.plan(read);
    assertTrue(plan.isColumnar(), plan.reason());
  }

  @Test
  void perGroupIsBitIdenticalForAnyPartitioning() {
    run(corpus, "p1", List.of("domain", "year"), List.of(3), d -> d.coalesce(1));
    run(corpus, "p3", List.of("domain", "year"), List.of(3), d -> d.repartition(3));
    run(corpus, "p17", List.of("domain", "year"), List.of(3), d -> d.repartition(17));
    List<String> expected = perGroupRows("p1");
    assertEquals(4 * 3 * 2, expected.size());
    assertEquals(expected, perGroupRows("p3"));
    assertEquals(expected, perGroupRows("p17"));
  }

  @Test
  void theDriverAndTheExecutorMergeGiveTheSameGroups() {
    // with a date column too: the driver path turns day numbers into dates itself
    List<StructField> extras = new ArrayList<>(EXTRAS);
    extras.add(GroupedCorpus.field("day", DataTypes.DateType));
    List<Labelled> dated = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      List<Object> values = new ArrayList<>(rows.get(i).extras());
      values.add(i % 5 == 0 ? null : java.sql.Date.valueOf("2026-11-0" + (1 + i % 3)));
      dated.add(new Labelled(rows.get(i).row(), values));
    }
    Path input = GroupedCorpus.write(session(), tmp, "dated", dated, extras, 4);
    List<String> by = List.of("domain", "day", "year");
    RunSummary onDriver = run(input, "driver", by, List.of(3), d -> d.repartition(7));
    RunSummary onExecutors;
    session().conf().set("spark.seqloss.groups.driverMergeLimit", "0");
    try {
      onExecutors = run(input, "executors", by, List.of(3), d -> d.repartition(7));
    } finally {
      session().conf().unset("spark.seqloss.groups.driverMergeLimit");
    }
    // 4 domains x 4 days (one null) x 3 years x 2 buckets, of which the rows reach 60 combinations
    assertTrue(onDriver.slices().groups() > 20, "groups: " + onDriver.slices().groups());
    assertEquals(onExecutors.slices(), onDriver.slices()); // the same listing in the same order
    assertEquals(perGroupRows("executors"), perGroupRows("driver"));
    assertEquals(
        1,
        java.util.Arrays.stream(tmp.resolve("driver/per_group").toFile().list())
            .filter(f -> f.startsWith("part-"))
            .count(),
        "the driver writes one file");
    // the listing is sorted as Spark sorts: nulls first
    assertEquals(null, onDriver.slices().groupResults().get(0).group().get("domain"));
  }

  @Test
  void theCorpusNumbersOfAGroupedRunAreThoseOfAPlainRun() {
    // a grouped run adds each sequence's sums to its group only and takes the corpus's from the
    // groups: the same bits as a plain run, whether the driver or the executors merge the groups
    RunSummary plain = run(corpus, "plain", List.of(), List.of(), d -> d.repartition(3));
    RunSummary onDriver =
        run(corpus, "grouped-driver", List.of("domain", "year"), List.of(3), d -> d.repartition(5));
    RunSummary onExecutors;
    session().conf().set("spark.seqloss.groups.driverMergeLimit", "1");
    try {
      onExecutors =
          run(corpus, "grouped-executors", List.of("domain"), List.of(), d -> d.repartition(2));
    } finally {
      session().conf().unset("spark.seqloss.groups.driverMergeLimit");
    }
    for (RunSummary grouped : List.of(onDriver, onExecutors)) {
      assertEquals(plain.result(), grouped.result());
      assertEquals(plain.uncertainty(), grouped.uncertainty());
      assertEquals(plain.totals(), grouped.totals());
      assertEquals(plain.calibration(), grouped.calibration());
    }
    assertEquals(rows.size(), plain.totals().sequences());
  }

  private List<String> perGroupRows(String out) {
    return session()
        .read()
        .parquet(tmp.resolve(out).resolve("per_group").toString())
        .collectAsList()
        .stream()
        .map(Row::toString)
        .sorted()
        .collect(Collectors.toList());
  }

  @Test
  void aMissingOrUnsupportedColumnIsAUsageErrorNamingIt() {
    JobConfig missing =
        JobConfig.builder()
            .inputPaths(List.of(corpus.toString()))
            .outputDir(tmp.resolve("m").toString())
            .groupBy(List.of("language"))
            .build();
    ConfigException e =
        assertThrows(ConfigException.class, () -> new SequenceLossJob(session()).run(missing));
    assertTrue(
        e.getMessage().contains("--group-by column 'language' is not a column"), e.getMessage());
    JobConfig unsupported =
        JobConfig.builder()
            .inputPaths(List.of(corpus.toString()))
            .outputDir(tmp.resolve("u").toString())
            .groupBy(List.of("score"))
            .build();
    e = assertThrows(ConfigException.class, () -> new SequenceLossJob(session()).run(unsupported));
    assertTrue(e.getMessage().contains("'score' has type double"), e.getMessage());
  }

  @Test
  void invalidRowsAreCountedInTheirGroup() {
    List<Labelled> withInvalid = new ArrayList<>(rows.subList(0, 20));
    CorpusRow bad =
        CorpusRow.of("bad", new float[][] {{0, 1, 2, 3, 4}}, new int[] {7}, new float[] {1});
    withInvalid.add(new Labelled(bad, Arrays.asList("news", 2020, 0.0)));
    Path input = GroupedCorpus.write(session(), tmp, "with-invalid", withInvalid, EXTRAS, 2);
    JobConfig config =
        JobConfig.builder()
            .inputPaths(List.of(input.toString()))
            .outputDir(tmp.resolve("i").toString())
            .invalidRowPolicy(InvalidRowPolicy.SKIP)
            .groupBy(List.of("domain"))
            .build();
    RunSummary s = new SequenceLossJob(session()).run(config);
    assertEquals(1, s.totals().invalidRows());
    RunSummary.GroupResult news =
        s.slices().groupResults().stream()
            .filter(g -> "news".equals(g.group().get("domain")))
            .findFirst()
            .orElseThrow();
    assertEquals(1, news.invalidRows());
    assertEquals(5, news.sequences()); // rows 0, 4, 8, 12, 16
    assertEquals(
        s.totals().sequences(),
        s.slices().groupResults().stream().mapToLong(g -> g.sequences()).sum());
  }

  private static long bits(Double d) {
    return Double.doubleToLongBits(d);
  }
}
