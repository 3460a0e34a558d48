package io.seqloss.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqloss.testing.CliRun;
import io.seqloss.testing.SparkTestBase;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ReaderSettingsTest extends SparkTestBase {
  @Test
  void aCorpusWithChunksLargerThanParquetsBuffersGivesTheSameBitsReadEitherWay() throws Exception {
    // 3 rows of 200 x 8000 floats in one row group: a 19 MB logits chunk, beyond the 8 MB default
    // buffer.
    String corpus = tmp.resolve("corpus").toString();
    CliRun generated =
        CliRun.of(
            session(),
            "generate",
            "--output",
            corpus,
            "--sequences",
            "3",
            "--rows-per-file",
            "3",
            "--num-classes",
            "8000",
            "--min-length",
            "200",
            "--max-length",
            "200",
            "--compression",
            "uncompressed");
    assertEquals(0, generated.exitCode(), generated.stdout() + generated.stderr());
    java.util.List<String> files;
    try (var listed = java.nio.file.Files.list(tmp.resolve("corpus"))) {
      files = listed.map(Path::toString).filter(f -> f.endsWith(".parquet")).toList();
    }
    OptionalInt chosen = ReaderSettings.choose(session(), files).allocationBytes();
    assertTrue(chosen.isPresent() && chosen.getAsInt() > 19_000_000, "read buffers " + chosen);

    JsonNode tuned = evaluate(corpus, "tuned");
    session()
        .conf()
        .set(ReaderSettings.ALLOCATION_KEY, ReaderSettings.PARQUET_DEFAULT_ALLOCATION_BYTES);
    JsonNode parquetDefault;
    try {
      parquetDefault = evaluate(corpus, "default");
    } finally {
      session().conf().unset(ReaderSettings.ALLOCATION_KEY);
    }
    assertEquals(parquetDefault.get("loss_sum").asDouble(), tuned.get("loss_sum").asDouble(), 0.0);
    assertEquals(
        parquetDefault.get("weight_sum").asDouble(), tuned.get("weight_sum").asDouble(), 0.0);
    assertEquals(3, tuned.get("sequences").asLong());
  }

  private JsonNode evaluate(String corpus, String name) throws Exception {
    CliRun run = CliRun.of(session(), "--input", corpus, "--output", tmp.resolve(name).toString());
    assertEquals(0, run.exitCode(), run.stdout() + run.stderr());
    return new ObjectMapper().readTree(run.lastStdoutLine());
  }

  @Test
  void batchesHoldAboutEightMegabytesOfDecodedValues() {
    assertEquals(1, ReaderSettings.rowsFor(8_192_843)); // V = 32000, T = 64: one row a batch
    assertEquals(1, ReaderSettings.rowsFor(100e6));
    assertEquals(4096, ReaderSettings.rowsFor(120)); // narrow rows: Spark's default
    assertEquals(4096, ReaderSettings.rowsFor(0));
    assertEquals(8, ReaderSettings.rowsFor(1 << 20));
  }

  @Test
  void readBuffersGrowToTheLargestChunkOnlyWhenItExceedsParquetsDefault() {
    long gigabyte = 1L << 30;
    assertEquals(OptionalInt.empty(), ReaderSettings.allocationFor(0, gigabyte));
    assertEquals(OptionalInt.empty(), ReaderSettings.allocationFor(8 << 20, gigabyte));
    assertEquals(OptionalInt.of(123_000_000), ReaderSettings.allocationFor(123_000_000, gigabyte));
    assertEquals(
        OptionalInt.of(256 << 20), ReaderSettings.allocationFor(5 * gigabyte, 8 * gigabyte));
    // an eighth of the executor's heap at most: one array must be easy to place
    assertEquals(OptionalInt.of(64 << 20), ReaderSettings.allocationFor(123_000_000, gigabyte / 2));
    assertEquals(OptionalInt.empty(), ReaderSettings.allocationFor(123_000_000, 64L << 20));
  }

  @Test
  void settingsApplyForTheBodyOnlyAndLeaveTheUsersAlone() {
    ReaderSettings settings = new ReaderSettings(OptionalInt.of(3), OptionalInt.of(50 << 20));
    String seen =
        settings.applyTo(
            session(),
            () ->
                session().conf().get(ReaderSettings.BATCH_ROWS_KEY)
                    + "/"
                    + session().conf().get(ReaderSettings.ALLOCATION_KEY));
    assertEquals("3/" + (50 << 20), seen);
    assertFalse(session().conf().contains(ReaderSettings.BATCH_ROWS_KEY));
    assertFalse(session().conf().contains(ReaderSettings.ALLOCATION_KEY));

    session().conf().set(ReaderSettings.ALLOCATION_KEY, 1 << 20);
    try {
      assertTrue(
          ReaderSettings.choose(session(), java.util.List.of()).allocationBytes().isEmpty(),
          "a read buffer size the user set is kept");
    } finally {
      session().conf().unset(ReaderSettings.ALLOCATION_KEY);
    }
  }
}
