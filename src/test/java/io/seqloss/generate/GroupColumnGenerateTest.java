package io.seqloss.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.seqloss.config.InputFormat;
import io.seqloss.input.FormatSources;
import io.seqloss.testing.CliRun;
import io.seqloss.testing.SparkTestBase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

/**
 * {@code generate --group-column NAME --groups N}: a string column for slicing, the same values in
 * Parquet and Arrow, about uniform, and nothing else in the corpus changed by it; a grouped run
 * over the Arrow files gives the Parquet files' per-group results bit for bit.
 */
class GroupColumnGenerateTest extends SparkTestBase {
  private static SyntheticCorpusSpec spec(long seed, GroupColumn group) {
    return new SyntheticCorpusSpec(
        20_000,
        1,
        1,
        2,
        0,
        seed,
        SyntheticCorpusSpec.IdType.LONG,
        5_000,
        "uncompressed",
        1 << 20,
        1,
        SyntheticCorpusSpec.DEFAULT_TARGET_BOOST,
        group);
  }

  @Test
  void valuesAreTheNamedLabelsAboutUniformAndDependOnSeedAndIndexOnly() {
    SyntheticSequences corpus = new SyntheticSequences(spec(7, new GroupColumn("domain", 100)));
    Map<String, Integer> counts = new HashMap<>();
    for (long i = 0; i < 20_000; i++) {
      String group = corpus.sequence(i).group();
      assertTrue(group.matches("domain-\\d{2}"), group);
      counts.merge(group, 1, Integer::sum);
    }
    // all 100 labels domain-00 .. domain-99 and nothing else
    TreeSet<String> expected = new TreeSet<>();
    for (int g = 0; g < 100; g++) {
      expected.add(String.format("domain-%02d", g));
    }
    assertEquals(expected, new TreeSet<>(counts.keySet()));
    // Pearson's chi-square against uniform, 99 degrees of freedom: P(X > 160) is about 1e-4
    double chi2 = 0;
    for (int n : counts.values()) {
      chi2 += (n - 200.0) * (n - 200.0) / 200.0;
    }
    assertTrue(chi2 < 160, "chi-square " + chi2 + " for counts " + counts);

    // another seed: another assignment (two independent draws agree on about 1 row in 100)
    SyntheticSequences other = new SyntheticSequences(spec(8, new GroupColumn("domain", 100)));
    int same = 0;
    for (long i = 0; i < 20_000; i++) {
      same += corpus.sequence(i).group().equals(other.sequence(i).group()) ? 1 : 0;
    }
    assertTrue(same < 400, same + " of 20000 rows in the same group under another seed");
    assertEquals("g-0", new GroupColumn("g", 3).label(0));
    assertEquals("lang-9", new GroupColumn("lang", 10).label(9));
    assertEquals("lang-010", new GroupColumn("lang", 101).label(10));
  }

  @Test
  void theColumnChangesNoOtherValue() {
    SyntheticSequences plain = new SyntheticSequences(spec(7, null));
    SyntheticSequences grouped = new SyntheticSequences(spec(7, new GroupColumn("domain", 100)));
    for (long i = 0; i < 2_000; i++) {
      SyntheticSequences.Sequence a = plain.sequence(i);
      SyntheticSequences.Sequence b = grouped.sequence(i);
      assertEquals(a.id(), b.id());
      assertTrue(java.util.Arrays.deepEquals(a.logits(), b.logits()), "logits of row " + i);
      assertArrayEquals(a.targets(), b.targets());
      assertArrayEquals(a.weights(), b.weights());
      assertEquals(null, a.group());
    }
    assertEquals(4, plain.schema().size());
    assertEquals(
        List.of("id", "logits", "targets", "weights", "domain"),
        List.of(grouped.schema().fieldNames()));
  }

  private CliRun generate(String dir, String... options) {
    return ArrowGenerateTest.generate(session(), tmp.resolve(dir), options);
  }

  private List<Row> idAndGroup(InputFormat format, String dir) {
    return FormatSources.open(session(), format, List.of(tmp.resolve(dir).toString()))
        .select("id", "domain")
        .orderBy("id")
        .collectAsList();
  }

  @Test
  void parquetAndArrowHoldTheSameGroupsAndTheSameLossAsWithoutTheColumn() throws Exception {
    CliRun parquet = generate("parquet", "--group-column", "domain", "--groups", "7");
    assertEquals(0, parquet.exitCode(), parquet.stderr());
    JsonNode line = new ObjectMapper().readTree(parquet.lastStdoutLine());
    assertEquals("domain", line.get("group_column").asText());
    assertEquals(7, line.get("groups").asInt());
    CliRun arrow =
        generate(
            "arrow",
            "--format",
            "arrow",
            "--rows-per-batch",
            "5",
            "--group-column",
            "domain",
            "--groups",
            "7");
    assertEquals(0, arrow.exitCode(), arrow.stderr());
    assertEquals(0, generate("plain").exitCode());

    List<Row> groups = idAndGroup(InputFormat.PARQUET, "parquet");
    assertEquals(25, groups.size());
    assertEquals(groups, idAndGroup(InputFormat.ARROW, "arrow"));
    for (Row r : groups) {
      assertTrue(r.getString(1).matches("domain-[0-6]"), r.toString());
    }
    assertTrue(groups.stream().map(r -> r.getString(1)).distinct().count() > 3, groups.toString());
    assertEquals(
        DataTypes.StringType,
        session()
            .read()
            .parquet(tmp.resolve("parquet").toString())
            .schema()
            .apply("domain")
            .dataType());

    // the same logits, targets and weights: the same sums, bit for bit
    JsonNode plain = summary("plain", "out-plain");
    JsonNode grouped = summary("parquet", "out-parquet");
    assertEquals(plain.get("loss_sum").asDouble(), grouped.get("loss_sum").asDouble());
    assertEquals(plain.get("weight_sum").asDouble(), grouped.get("weight_sum").asDouble());
    assertEquals(plain.get("loss").asDouble(), grouped.get("loss").asDouble());
  }

  @Test
  void badGroupOptionsAreUsageErrors() {
    generate("a", "--groups", "5").assertUsageError("--groups 5 needs --group-column NAME");
    generate("b", "--group-column", "d", "--groups", "0")
        .assertUsageError("--groups must be at least 1, got 0");
    generate("c", "--group-column", "weights")
        .assertUsageError("--group-column weights is one of the corpus's own columns");
  }

  /** Issue 13: --group-by works on Arrow input, with Parquet's per-group results bit for bit. */
  @Test
  void aGroupedRunOverArrowGivesTheParquetPerGroupResults() throws Exception {
    assertEquals(0, generate("parquet", "--group-column", "domain", "--groups", "4").exitCode());
    assertEquals(
        0,
        generate(
                "arrow",
                "--format",
                "arrow",
                "--rows-per-batch",
                "4",
                "--group-column",
                "domain",
                "--groups",
                "4")
            .exitCode());
    String[] grouped = {"--group-by", "domain", "--length-buckets", "4", "--bootstrap", "20"};
    ObjectNode fromParquet = summary("parquet", "g-parquet", grouped);
    ObjectNode fromArrow = summary("arrow", "g-arrow", grouped);
    // up to 4 domains x 2 length buckets; 25 rows leave a combination empty now and then
    int groups = fromParquet.get("groups").asInt();
    assertTrue(groups >= 5, fromParquet.toString());
    assertEquals(fromParquet, fromArrow);
    List<Row> parquetGroups = perGroup("g-parquet");
    assertEquals(groups, parquetGroups.size());
    assertEquals(parquetGroups, perGroup("g-arrow"));
  }

  private List<Row> perGroup(String out) {
    return session()
        .read()
        .parquet(tmp.resolve(out).resolve("per_group").toString())
        .orderBy("domain", "length_bucket")
        .collectAsList();
  }

  /** The summary's numbers, without the run's paths and times. */
  private ObjectNode summary(String corpus, String out, String... options) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--input",
                tmp.resolve(corpus).toString(),
                "--output",
                tmp.resolve(out).toString()));
    args.addAll(List.of(options));
    CliRun run = CliRun.of(session(), args.toArray(String[]::new));
    assertEquals(0, run.exitCode(), run.stderr());
    ObjectNode summary = (ObjectNode) new ObjectMapper().readTree(run.lastStdoutLine());
    summary.remove(
        List.of(
            "input_paths", "output_dir", "elapsed_seconds", "num_classes_source", "input_format"));
    return summary;
  }
}
