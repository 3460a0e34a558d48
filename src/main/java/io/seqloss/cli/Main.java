package io.seqloss.cli;

import io.seqloss.config.ConfigException;
import io.seqloss.job.DriverFatalErrors;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The entry point of the application jar (spark-submit's {@code --class}). */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    DriverFatalErrors.install(); // an Error in any driver thread ends the run instead of hanging it
    // UTF-8 whatever the locale: the last stdout line is JSON that XCom and pandas read as UTF-8.
    PrintWriter out =
        new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
    PrintWriter err =
        new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    FailureReport failures = new FailureReport(out, err);
    SparkSessionHolder holder = new SparkSessionHolder();
    TerminationHook termination = TerminationHook.install(failures, holder::cancelAllJobs);
    int code = run(args, holder, failures, out, err);
    termination.disarm();
    holder.stop();
    System.exit(code);
  }

  /** Runs the command line with a given session source and streams; returns the exit code. */
  public static int run(
      String[] args, Supplier<SparkSession> spark, PrintWriter out, PrintWriter err) {
    return run(args, spark, new FailureReport(out, err), out, err);
  }

  private static int run(
      String[] args,
      Supplier<SparkSession> spark,
      FailureReport failures,
      PrintWriter out,
      PrintWriter err) {
    try {
      CommandLine cli =
          new CommandLine(new EvaluateCommand(spark, out))
              .addSubcommand("generate", new GenerateCommand(spark, out))
              .addSubcommand("compare", new CompareCommand(spark, out))
              .setOut(out)
              .setErr(err)
              .setCaseInsensitiveEnumValuesAllowed(true)
              .setExitCodeExceptionMapper(FailureClassifier::exitCode)
              .setParameterExceptionHandler(new UsageErrors(args, failures))
              .setExecutionExceptionHandler(failures);
      File config = configFile(args);
      if (config != null) {
        // The file holds the evaluation's defaults: set on the top command only, not on
        // subcommands.
        cli.getCommandSpec().defaultValueProvider(loadDefaults(config, cli));
      }
      return cli.execute(args);
    } catch (Throwable e) {
      // Errors (FSError on a full disk, OutOfMemoryError) pass through picocli: they report here.
      return failures.report(e, FailureClassifier.exitCode(e));
    }
  }

  /**
   * The file named by --config, found before parsing because it supplies the defaults of the parse.
   */
  static File configFile(String[] args) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        return new File(args[i + 1]);
      }
      if (args[i].startsWith("--config=")) {
        return new File(args[i].substring("--config=".length()));
      }
    }
    return null;
  }

  /**
   * Defaults from a properties file; unknown keys are refused so that a typo is not silently
   * ignored.
   */
  static CommandLine.IDefaultValueProvider loadDefaults(File file, CommandLine cli) {
    Properties properties = new Properties();
    try (InputStream in = new FileInputStream(file)) {
      properties.load(in);
    } catch (IOException e) {
      throw new ConfigException("--config " + file + ": cannot read it: " + e.getMessage(), e);
    }
    Set<String> known = new TreeSet<>();
    for (OptionSpec option : cli.getCommandSpec().options()) {
      known.add(option.longestName().replaceFirst("^-+", ""));
    }
    for (String key : properties.stringPropertyNames()) {
      if (!known.contains(key)) {
        throw new ConfigException(
            String.format("--config %s: unknown key '%s'; known keys: %s", file, key, known));
      }
    }
    return new CommandLine.PropertiesDefaultProvider(properties);
  }

  /** Creates the Spark session on first use, so that --help and usage errors never start Spark. */
  static final class SparkSessionHolder implements Supplier<SparkSession> {
    private volatile SparkSession session;

    @Override
    public synchronized SparkSession get() {
      if (session == null) {
        SparkSession.Builder builder = SparkSession.builder().appName("seqloss");
        if (!new SparkConf().contains("spark.master")) {
          builder.master("local[*]"); // run as a plain java program: local mode
        }
        session = builder.getOrCreate();
      }
      return session;
    }

    /**
     * For the shutdown hook: cancels the running jobs and any the main thread starts after (it runs
     * on until the JVM halts). Unlocked, as the main thread may hold the lock while Spark starts.
     */
    void cancelAllJobs() {
      SparkSession started = session;
      if (started != null) {
        SparkContext sc = started.sparkContext();
        sc.addSparkListener(
            new SparkListener() {
              @Override
              public void onJobStart(SparkListenerJobStart job) {
                sc.cancelJob(job.jobId(), "seqloss is terminating");
              }
            });
        sc.cancelAllJobs();
      }
    }

    synchronized void stop() {
      if (session != null) {
        session.stop();
      }
    }
  }
}
