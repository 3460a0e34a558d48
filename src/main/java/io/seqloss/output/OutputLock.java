package io.seqloss.output;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.seqloss.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One run at a time per output: a lock file {@code .DIR.seqloss-lock} beside the output, created
 * only if absent, holding the run's id and a heartbeat that a daemon thread refreshes. Another run
 * refuses while the heartbeat is fresh, and takes the lock over once it is stale, or at once when
 * the holder was a process of this host that no longer exists (a killed driver, retried at once).
 * Settings (Hadoop configuration, so {@code --conf spark.hadoop.KEY=VALUE}): {@value
 * #HEARTBEAT_KEY} and {@value #STALE_KEY}, in milliseconds.
 */
final class OutputLock {
  private static final Logger LOG = LogManager.getLogger(OutputLock.class);
  static final String HEARTBEAT_KEY = "seqloss.lock.heartbeat.ms";
  static final String STALE_KEY = "seqloss.lock.stale.ms";
  static final long DEFAULT_HEARTBEAT_MILLIS = 10_000;
  static final long DEFAULT_STALE_MILLIS = 60_000;
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .configure(
              DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
              false); // later versions may add fields

  private static final String HOST = lookUpHostName();

  /** The lock file's content. */
  record Holder(String runId, long heartbeatMillis, String host, long pid) {}

  private final FileSystem fs;
  private final Path file;
  private final String runId;
  private final ScheduledExecutorService heartbeat;
  private volatile boolean released;

  private OutputLock(FileSystem fs, Path file, String runId, long heartbeatMillis) {
    this.fs = fs;
    this.file = file;
    this.runId = runId;
    this.heartbeat =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "seqloss-lock-heartbeat");
              t.setDaemon(true);
              return t;
            });
    heartbeat.scheduleWithFixedDelay(
        this::beat, heartbeatMillis, heartbeatMillis, TimeUnit.MILLISECONDS);
  }

  static Path fileFor(Path target) {
    return new Path(target.getParent(), "." + target.getName() + ".seqloss-lock");
  }

  static OutputLock acquire(
      FileSystem outputFs, Path target, String runId, Configuration conf, String dir) {
    long heartbeatMillis = conf.getLong(HEARTBEAT_KEY, DEFAULT_HEARTBEAT_MILLIS);
    long staleMillis = conf.getLong(STALE_KEY, DEFAULT_STALE_MILLIS);
    if (heartbeatMillis < 1 || staleMillis <= heartbeatMillis) {
      throw new ConfigException(
          String.format(
              "%s (%d) must be at least 1 and below %s (%d)",
              HEARTBEAT_KEY, heartbeatMillis, STALE_KEY, staleMillis));
    }
    // The raw local file system: no .crc file beside the lock, which the heartbeat rewrites.
    FileSystem fs =
        outputFs instanceof ChecksumFileSystem local ? local.getRawFileSystem() : outputFs;
    Path file = fileFor(target);
    try {
      for (int attempt = 0; attempt < 3; attempt++) {
        if (tryCreate(fs, file, runId)) {
          LOG.info("run {} holds the lock {}", runId, file);
          return new OutputLock(fs, file, runId, heartbeatMillis);
        }
        takeOverIfDead(fs, file, staleMillis, dir);
      }
    } catch (IOException e) {
      throw new ConfigException(
          "--output "
              + dir
              + ": cannot create the lock file "
              + file
              + " beside it: "
              + e.getMessage(),
          e);
    }
    throw new ConfigException(
        "--output " + dir + ": another run is taking over the lock " + file + " right now");
  }

  private static boolean tryCreate(FileSystem fs, Path file, String runId) throws IOException {
    if (fs.exists(file)) {
      return false;
    }
    try (OutputStream out = fs.create(file, false)) {
      out.write(MAPPER.writeValueAsBytes(holder(runId)));
    } catch (FileAlreadyExistsException e) {
      return false;
    }
    return true;
  }

  /**
   * Refuses while the holder is alive; deletes the lock of a dead holder so the next attempt can
   * take it.
   */
  private static void takeOverIfDead(FileSystem fs, Path file, long staleMillis, String dir)
      throws IOException {
    FileStatus status;
    try {
      status = fs.getFileStatus(file);
    } catch (java.io.FileNotFoundException gone) {
      return; // released meanwhile
    }
    Optional<Holder> holder = read(fs, file);
    // An unreadable lock is one being written: its mtime is as good a heartbeat.
    long lastBeat =
        Math.max(status.getModificationTime(), holder.map(Holder::heartbeatMillis).orElse(0L));
    long age = System.currentTimeMillis() - lastBeat;
    String who =
        holder
            .map(h -> "run " + h.runId() + " (host " + h.host() + ", pid " + h.pid() + ")")
            .orElse("a run whose id cannot be read yet");
    boolean holderGone = holder.isPresent() && isGoneFromThisHost(holder.get());
    if (age < staleMillis && !holderGone) {
      throw new ConfigException(
          String.format(
              "--output %s is locked by %s: lock file %s, last heartbeat %s "
                  + "(%d s ago). Another seqloss run is writing this output; wait for it to finish, or choose another "
                  + "--output. A lock whose heartbeat is %d s old is taken over.",
              dir, who, file, Instant.ofEpochMilli(lastBeat), age / 1000, staleMillis / 1000));
    }
    LOG.warn(
        "taking over the lock {} of {}: {}",
        file,
        who,
        holderGone
            ? "its process no longer exists on this host"
            : "its last heartbeat, "
                + Instant.ofEpochMilli(lastBeat)
                + ", is "
                + age / 1000
                + " s old");
    fs.delete(file, false);
  }

  private static boolean isGoneFromThisHost(Holder holder) {
    return holder.host().equals(hostName()) && ProcessHandle.of(holder.pid()).isEmpty();
  }

  private static Optional<Holder> read(FileSystem fs, Path file) {
    try (InputStream in = fs.open(file)) {
      return Optional.of(MAPPER.readValue(in, Holder.class));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static Holder holder(String runId) {
    return new Holder(runId, System.currentTimeMillis(), hostName(), ProcessHandle.current().pid());
  }

  private static String hostName() {
    return HOST;
  }

  private static String lookUpHostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown";
    }
  }

  /**
   * Refreshes the heartbeat, unless the lock has been taken over (then it is no longer this run's
   * to write).
   */
  private synchronized void beat() {
    if (released) {
      return;
    }
    try {
      if (!isHeld()) {
        LOG.error(
            "the lock {} is no longer held by run {}: another run took it over; this run will not commit",
            file,
            runId);
        heartbeat.shutdown();
        return;
      }
      try (OutputStream out = fs.create(file, true)) {
        out.write(MAPPER.writeValueAsBytes(holder(runId)));
      }
    } catch (IOException | RuntimeException e) {
      // Keep beating: an exception escaping here would cancel the schedule silently, and the lock
      // would go stale while the run still works.
      LOG.warn("cannot refresh the heartbeat of the lock {}: {}", file, e.toString());
    }
  }

  private boolean isHeld() {
    return read(fs, file).map(h -> h.runId().equals(runId)).orElse(false);
  }

  /** Fails unless this run still holds the lock: a run that lost it must not commit. */
  synchronized void checkHeld() throws IOException {
    if (released || !isHeld()) {
      throw new IOException(
          "run "
              + runId
              + " no longer holds the lock "
              + file
              + " (its heartbeat stopped for "
              + "too long and another run took it over), so it does not replace the output");
    }
  }

  /** Stops the heartbeat and deletes the lock file if it is still this run's. Idempotent. */
  void release() {
    synchronized (this) {
      if (released) {
        return;
      }
      released = true;
    }
    heartbeat.shutdownNow();
    try {
      if (isHeld()) {
        fs.delete(file, false);
      }
    } catch (IOException e) {
      LOG.warn(
          "cannot delete the lock file {}: {}; the next run takes it over once it is stale",
          file,
          e.toString());
    }
  }
}
