package io.seqloss.input;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqloss.cli.ExitCodes;
import io.seqloss.testing.CliRun;
import io.seqloss.testing.Corpora;
import io.seqloss.testing.SparkTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Hidden files ({@code _*}, {@code .*}) beside the data files are not part of the corpus anywhere:
 * not in the evaluation, not in the V probe, not in {@code input_files}. Spark's own listing keeps
 * {@code _metadata*} files in {@code inputFiles()}, which once made seqloss take V from such a
 * file.
 */
class HiddenFilesTest extends SparkTestBase {
  private static final StructType SCHEMA = Corpora.schema(true, DataTypes.StringType, true);

  private static List<Float> f(float... v) {
    return Corpora.boxed(v);
  }

  @Test
  void metadataFilesDoNotDecideVAndAreNotCounted() throws Exception {
    Path dir = tmp.resolve("corpus");
    // Two rows with V = 3. By hand: row a: logsumexp(1,2,3) - 1 = 2.40760596..., row b:
    // logsumexp(0,0,1) - 0 =
    // 1.55144471...; equal weights, so the corpus loss is their mean.
    Corpora.writeOneFile(
        session(),
        List.<Row>of(
            RowFactory.create("a", List.of(f(1, 2, 3)), List.of(0), f(1)),
            RowFactory.create("b", List.of(f(0, 0, 1)), List.of(0), f(1))),
        SCHEMA,
        dir.resolve("part-0.parquet"));
    // An old summary file with V = 2, sorted before the data file, and a note that is not Parquet
    // at all.
    Corpora.writeOneFile(
        session(),
        List.<Row>of(RowFactory.create("z", List.of(f(5, 6)), List.of(1), f(1))),
        SCHEMA,
        dir.resolve("_metadata_old.parquet"));
    Files.writeString(dir.resolve("_metadata_notes"), "hand-written notes, not Parquet");

    CliRun run =
        CliRun.of(session(), "--input", dir.toString(), "--output", tmp.resolve("out").toString());

    assertEquals(ExitCodes.SUCCESS, run.exitCode(), run.stderr());
    JsonNode summary = new ObjectMapper().readTree(run.lastStdoutLine());
    double a = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 1;
    double b = Math.log(2 + Math.exp(1));
    assertEquals((a + b) / 2, summary.get("loss").asDouble(), 1e-12);
    assertEquals(3, summary.get("num_classes").asInt());
    assertEquals(1, summary.get("input_files").asInt());
    assertEquals(2, summary.get("sequences").asLong());
    assertEquals(0, summary.get("invalid_rows").asLong());
  }
}
