package io.seqloss.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqloss.config.ConfigException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The output directory's safety rules, on the local file system: what may be replaced (issue 11
 * case 1), the lock and the commit (case 3), an unwritable location (case 6) and the leftovers of
 * killed runs (case 7). Each test builds its situation by hand and checks the directories after.
 */
class OutputDirectoryTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long DAY = TimeUnit.DAYS.toMillis(1);
  @TempDir Path tmp;

  private final Configuration conf = new Configuration();

  private OutputDirectory prepare(Path out, Path... inputs) {
    List<String> in =
        inputs.length == 0
            ? List.of(tmp.resolve("corpus").toString())
            : Stream.of(inputs).map(Path::toString).toList();
    return OutputDirectory.prepare(out.toString(), in, conf);
  }

  /** A complete output as a run writes it: a per_sequence/ directory and summary.json. */
  private void writeOutput(Path out, String summary) throws Exception {
    OutputDirectory o = prepare(out);
    Path perSequence = Files.createDirectories(Path.of(URI.create(o.stagingPath("per_sequence"))));
    Files.writeString(perSequence.resolve("part-0.parquet"), "rows");
    o.writeSummary(summary);
    o.commit();
  }

  private static ConfigException refused(Runnable run, String... fragments) {
    ConfigException e = assertThrows(ConfigException.class, run::run);
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), () -> "missing '" + f + "' in: " + e.getMessage());
    }
    return e;
  }

  // --- case 1: never replace an input, or anything seqloss did not write -----------------------

  @Test
  void anOutputThatIsContainsOrLiesInsideAnInputIsRefusedHoweverItIsSpelt() throws Exception {
    Path data = Files.createDirectories(tmp.resolve("data"));
    Path corpus = Files.createDirectories(data.resolve("corpus"));
    Files.writeString(corpus.resolve("part-0.parquet"), "input");
    Path link = Files.createSymbolicLink(tmp.resolve("link"), corpus);

    refused(() -> prepare(corpus, corpus), "is --input");
    refused(() -> prepare(data, corpus), "contains --input " + corpus);
    refused(() -> prepare(corpus.resolve("results"), corpus), "lies inside --input");
    refused(() -> prepare(data, link), "contains --input " + link); // the link resolves into data/
    refused(() -> prepare(link.resolve("results"), corpus), "lies inside");
    refused(
        () -> OutputDirectory.prepare(data.toString(), List.of(corpus + "/part-*.parquet"), conf),
        "contains --input " + corpus + "/part-*.parquet");
    refused(
        () -> OutputDirectory.prepare(data.toString(), List.of(tmp + "/d*/corpus"), conf),
        "lies inside");
    refused(
        () -> OutputDirectory.prepare(data.toString(), List.of("file://" + corpus), conf),
        "contains");
    refused(
        () ->
            OutputDirectory.prepare(
                data.resolve("x/../corpus").toString(), List.of(corpus.toString()), conf),
        "is --input");

    assertEquals("input", Files.readString(corpus.resolve("part-0.parquet")));
    try (Stream<Path> beside = Files.list(data)) {
      assertEquals(List.of(corpus), beside.toList(), "a refused run leaves nothing behind");
    }
    // A sibling whose name merely starts like the input's does not overlap it.
    prepare(tmp.resolve("data-results"), data).abort();
  }

  @Test
  void aSeqlossOutputHoldingAnythingItsRunDidNotWriteIsNotReplaced() throws Exception {
    Path out = tmp.resolve("o1c");
    writeOutput(out, "{\"loss\":1}");
    JsonNode marker = JSON.readTree(out.resolve("_SEQLOSS").toFile());
    assertEquals(
        List.of("per_sequence", "summary.json"),
        JSON.convertValue(marker.get("entries"), List.class).stream().sorted().toList());
    assertTrue(
        marker.get("run_id").asText().length() > 0 && marker.get("created_at_millis").asLong() > 0,
        "" + marker);

    Files.createDirectories(out.resolve("corpus"))
        .resolve("part-0.parquet")
        .toFile()
        .createNewFile();
    refused(() -> prepare(out), "--output " + out + " holds corpus", "move corpus out of");
    assertTrue(Files.exists(out.resolve("corpus/part-0.parquet")));

    Files.delete(out.resolve("corpus/part-0.parquet"));
    Files.delete(out.resolve("corpus"));
    Files.writeString(out.resolve("notes.txt"), "mine");
    refused(() -> prepare(out), "holds notes.txt");
  }

  @Test
  void aDirectoryWithAHandMadeSummaryIsNotASeqlossOutput() throws Exception {
    Path sj = Files.createDirectories(tmp.resolve("sj"));
    Files.writeString(sj.resolve("part-0.parquet"), "input");
    Files.writeString(sj.resolve("summary.json"), "{}");
    refused(() -> prepare(sj), "not a seqloss output", "delete it");
    assertEquals("input", Files.readString(sj.resolve("part-0.parquet")));
  }

  @Test
  void anOutputOfAVersionBeforeTheMarkerIsReplacedWhenItHoldsOnlyItsOwnOutputs() throws Exception {
    Path old = Files.createDirectories(tmp.resolve("old").resolve("per_sequence"));
    Files.writeString(old.resolve("part-0.parquet"), "rows");
    Path out = old.getParent();
    // Through Hadoop's local file system, as earlier versions wrote it: with .summary.json.crc
    // beside it.
    try (OutputStream summary =
        FileSystem.getLocal(conf)
            .create(new org.apache.hadoop.fs.Path(out.resolve("summary.json").toString()))) {
      summary.write(
          ("{\"loss\":null,\"outputs\":{\"summary\":\"summary.json\",\"per_sequence\":\"per_sequence/\"},"
                  + "\"seqloss_version\":\"0.9.0\"}")
              .getBytes(StandardCharsets.UTF_8));
    }
    assertTrue(Files.exists(out.resolve(".summary.json.crc")));
    Files.createDirectories(out.resolve("corpus"));
    refused(() -> prepare(out), "holds corpus");

    Files.delete(out.resolve("corpus"));
    OutputDirectory o = prepare(out);
    o.writeSummary("{\"new\":true}");
    o.commit();
    assertEquals("{\"new\":true}\n", Files.readString(out.resolve("summary.json")));
    assertFalse(Files.exists(out.resolve("per_sequence")));
  }

  // --- case 3: one run at a time, and a commit that never renames into a directory --------------

  @Test
  void aSecondRunIsRefusedWhileTheFirstHoldsTheLockAndMayRunOnceItIsReleased() throws Exception {
    Path out = tmp.resolve("out");
    OutputDirectory first = prepare(out);
    Path lock = tmp.resolve(".out.seqloss-lock");
    JsonNode holder = JSON.readTree(lock.toFile());
    String firstRun = holder.get("run_id").asText();

    refused(
        () -> prepare(out),
        "is locked by run " + firstRun,
        "lock file file:" + lock,
        "last heartbeat "
            + Instant.ofEpochMilli(holder.get("heartbeat_millis").asLong())
                .toString()
                .substring(0, 16));
    first.writeSummary("{}");
    first.commit();
    assertFalse(Files.exists(lock), "released on commit");

    OutputDirectory second = prepare(out);
    assertNotEquals(firstRun, JSON.readTree(lock.toFile()).get("run_id").asText());
    second.abort();
    assertFalse(Files.exists(lock), "released on abort");
    assertEquals("{}\n", Files.readString(out.resolve("summary.json")));
  }

  @Test
  void theHeartbeatIsRefreshedWhileTheRunHoldsTheLock() throws Exception {
    conf.setLong("seqloss.lock.heartbeat.ms", 50);
    conf.setLong("seqloss.lock.stale.ms", 10_000);
    OutputDirectory run = prepare(tmp.resolve("out"));
    Path lock = tmp.resolve(".out.seqloss-lock");
    long first = heartbeat(lock, -1);
    long later = heartbeat(lock, first);
    assertTrue(later > first, "heartbeat " + first + " never refreshed");
    run.abort();
  }

  /**
   * The first heartbeat read other than {@code not}, retried while the heartbeat thread rewrites
   * the file.
   */
  private static long heartbeat(Path lock, long not) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (System.currentTimeMillis() < deadline) {
      JsonNode node = readWhole(lock);
      if (node != null && node.get("heartbeat_millis").asLong() != not) {
        return node.get("heartbeat_millis").asLong();
      }
      Thread.sleep(20);
    }
    return not;
  }

  private static JsonNode readWhole(Path lock) {
    try {
      JsonNode node =
          JSON.readTree(lock.toFile()); // empty or partial while the heartbeat rewrites it
      return node.has("heartbeat_millis") ? node : null;
    } catch (Exception e) {
      return null;
    }
  }

  @Test
  void aLockWhoseHeartbeatIsStaleIsTakenOver() throws Exception {
    conf.setLong("seqloss.lock.stale.ms", 60_000);
    Path lock = tmp.resolve(".out.seqloss-lock");
    long twoMinutesAgo = System.currentTimeMillis() - 120_000;
    Files.writeString(
        lock,
        "{\"run_id\":\"crashed-run\",\"heartbeat_millis\":"
            + twoMinutesAgo
            + ",\"host\":\"another-host\",\"pid\":1}");
    Files.setLastModifiedTime(lock, FileTime.fromMillis(twoMinutesAgo));

    OutputDirectory run = prepare(tmp.resolve("out"));
    assertNotEquals("crashed-run", JSON.readTree(lock.toFile()).get("run_id").asText());
    run.abort();
  }

  @Test
  void aFreshLockOfAProcessThatNoLongerExistsOnThisHostIsTakenOverAtOnce() throws Exception {
    Process ended = new ProcessBuilder("true").start();
    ended.waitFor();
    Path lock = tmp.resolve(".out.seqloss-lock");
    String host = InetAddress.getLocalHost().getHostName();
    Files.writeString(
        lock,
        "{\"run_id\":\"killed-run\",\"heartbeat_millis\":"
            + System.currentTimeMillis()
            + ",\"host\":\""
            + host
            + "\",\"pid\":"
            + ended.pid()
            + "}");
    OutputDirectory run = prepare(tmp.resolve("out"));
    assertNotEquals("killed-run", JSON.readTree(lock.toFile()).get("run_id").asText());
    run.abort();

    // The same fresh lock from a live process (this one) is respected.
    Files.writeString(
        lock,
        "{\"run_id\":\"live-run\",\"heartbeat_millis\":"
            + System.currentTimeMillis()
            + ",\"host\":\""
            + host
            + "\",\"pid\":"
            + ProcessHandle.current().pid()
            + "}");
    refused(() -> prepare(tmp.resolve("out")), "locked by run live-run");
  }

  @Test
  void anOutputThatAppearsBetweenTheRenamesIsNeitherEnteredNorReplaced() throws Exception {
    Path out = tmp.resolve("out");
    writeOutput(out, "{\"run\":1}");
    OutputDirectory run = prepare(out);
    run.writeSummary("{\"run\":2}");
    // Another writer (a run of a seqloss version without the lock, say) creates out in the window.
    System.setProperty(OutputDirectory.COMMIT_DELAY_PROPERTY, "3000");
    try {
      Thread creator =
          new Thread(
              () -> {
                try {
                  while (Files.exists(out)) {
                    Thread.sleep(5);
                  }
                  Files.createDirectories(out.resolve("theirs"));
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      creator.start();
      UncheckedIOException e = assertThrows(UncheckedIOException.class, run::commit);
      creator.join();
      assertTrue(e.getMessage().contains("appeared during the commit"), e.getMessage());
    } finally {
      System.clearProperty(OutputDirectory.COMMIT_DELAY_PROPERTY);
    }
    run.abort();
    try (Stream<Path> inside = Files.list(out)) {
      assertEquals(
          List.of(out.resolve("theirs")),
          inside.toList(),
          "nothing of this run inside the other's");
    }
    List<String> beside = leftovers("out");
    assertEquals(1, beside.size(), "only the set-aside previous output: " + beside);
    assertTrue(beside.get(0).startsWith(".out.seqloss-previous-"), beside.toString());
  }

  // --- case 6: an unwritable location is a usage error before any work ---------------------------

  @Test
  void anOutputUnderARegularFileIsAUsageErrorNamingTheParent() throws Exception {
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    refused(() -> prepare(file.resolve("out")), "--output " + file.resolve("out"), "is a file");
    refused(() -> prepare(file.resolve("sub/out")), "cannot create its parent directory");
  }

  @Test
  void aLocationWhereMkdirsReturnsFalseIsAUsageErrorNamingTheStagingDirectory() throws Exception {
    conf.set("fs." + ReadOnlyFileSystem.SCHEME + ".impl", ReadOnlyFileSystem.class.getName());
    conf.setBoolean("fs." + ReadOnlyFileSystem.SCHEME + ".impl.disable.cache", true);
    String out = ReadOnlyFileSystem.SCHEME + "://" + tmp.resolve("out");
    ConfigException e =
        refused(
            () -> OutputDirectory.prepare(out, List.of(tmp.resolve("in").toString()), conf),
            "is not writable",
            ".out.seqloss-staging-");
    assertTrue(e.getMessage().contains(tmp.toString()), e.getMessage());
    assertEquals(List.of(), leftovers("out"), "no staging directory, and the lock released");
  }

  // --- case 7: leftovers are aged by the time the run recorded, and a previous output comes back
  // --

  @Test
  void leftoversAreAgedByTheTimeInTheirNamesNotByTheirModificationTime() throws Exception {
    Files.createDirectories(tmp.resolve("eval"));
    long now = System.currentTimeMillis();
    Path oldStaging = hidden(".eval.seqloss-staging-" + stamp(now - 8 * DAY) + "-a", now);
    Path oldPrevious = hidden(".eval.seqloss-previous-" + stamp(now - 8 * DAY) + "-b", now);
    // Set aside an hour ago, but written (mtime) a month ago: a rename keeps the mtime.
    Path recentPrevious =
        hidden(
            ".eval.seqloss-previous-" + stamp(now - TimeUnit.HOURS.toMillis(1)) + "-c",
            now - 30 * DAY);
    Path recentStaging =
        hidden(
            ".eval.seqloss-staging-" + stamp(now - TimeUnit.HOURS.toMillis(1)) + "-d",
            now - 30 * DAY);
    Path olderVersionStaging =
        hidden(".eval.seqloss-staging-1111", now - 8 * DAY); // no time: by mtime
    Path olderVersionPrevious =
        hidden(".eval.seqloss-previous-2222", now - 30 * DAY); // no time: kept
    Path otherOutputs =
        hidden(".eval-2.seqloss-staging-" + stamp(now - 8 * DAY) + "-e", now - 8 * DAY);
    Path unrelated = hidden(".eval.backup", now - 30 * DAY);

    prepare(tmp.resolve("eval")).abort();

    for (Path gone : List.of(oldStaging, oldPrevious, olderVersionStaging)) {
      assertFalse(Files.exists(gone), gone + " must be removed");
    }
    for (Path kept :
        List.of(recentPrevious, recentStaging, olderVersionPrevious, otherOutputs, unrelated)) {
      assertTrue(Files.exists(kept), kept + " must stay");
    }
  }

  @Test
  void aPreviousOutputIsRestoredWhenTheOutputIsMissingWhateverItsAge() throws Exception {
    long now = System.currentTimeMillis();
    Path older = hidden(".eval.seqloss-previous-" + stamp(now - 20 * DAY) + "-a", now - 40 * DAY);
    Path newest = hidden(".eval.seqloss-previous-" + stamp(now - 10 * DAY) + "-b", now - 40 * DAY);
    Files.writeString(newest.resolve("summary.json"), "{\"kept\":true}");
    Files.writeString(
        newest.resolve("_SEQLOSS"),
        "{\"seqloss_version\":\"dev\",\"run_id\":\"b\","
            + "\"created_at_millis\":1,\"entries\":[\"part-0.parquet\",\"summary.json\"]}");
    Path eval = tmp.resolve("eval");

    OutputDirectory failing = prepare(eval);
    failing.abort(); // the run after the killed one fails: the restored output must still be there

    assertEquals("{\"kept\":true}", Files.readString(eval.resolve("summary.json")));
    assertFalse(Files.exists(newest));
    assertFalse(
        Files.exists(older), "once the output is back, an older previous output is aged as usual");
  }

  private Path hidden(String name, long modifiedMillis) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(name));
    Files.writeString(dir.resolve("part-0.parquet"), "x");
    Files.setLastModifiedTime(dir, FileTime.fromMillis(modifiedMillis));
    return dir;
  }

  private static String stamp(long millis) {
    return DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
        .withZone(ZoneOffset.UTC)
        .format(Instant.ofEpochMilli(millis));
  }

  private List<String> leftovers(String name) throws Exception {
    try (Stream<Path> beside = Files.list(tmp)) {
      return beside
          .map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("." + name + ".seqloss-"))
          .sorted()
          .toList();
    }
  }
}
