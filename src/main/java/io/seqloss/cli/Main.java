package io.seqloss.cli;

import io.seqloss.config.ConfigException;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The entry point of the application jar (spark-submit's {@code --class}). */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    SparkSessionHolder holder = new SparkSessionHolder();
    int code;
    try {
      code = run(args, holder, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    } finally {
      holder.stop();
    }
    System.exit(code);
  }

  /** Runs the command line with a given session source and streams; returns the exit code. */
  public static int run(String[] args, Supplier<SparkSession> spark, PrintWriter out, PrintWriter err) {
    EvaluateCommand command = new EvaluateCommand(spark, out);
    CommandLine cli = new CommandLine(command)
        .addSubcommand("generate", new GenerateCommand(spark, out))
        .addSubcommand("baseline", new BaselineCommand(spark, out))
        .setOut(out)
        .setErr(err)
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler((e, commandLine, parseResult) -> report(e, out, err));
    try {
      File config = configFile(args);
      if (config != null) {
        // The file holds the evaluation's defaults: set on the top command only, not on subcommands.
        cli.getCommandSpec().defaultValueProvider(loadDefaults(config, cli));
      }
    } catch (ConfigException e) {
      return report(e, out, err);
    }
    return cli.execute(args);
  }

  private static int report(Throwable e, PrintWriter out, PrintWriter err) {
    FailureClassifier.Classified c = FailureClassifier.classify(e);
    err.println("seqloss: error: " + c.message());
    if (c.exitCode() == ExitCodes.FAILURE) {
      e.printStackTrace(err);
    }
    Map<String, Object> failed = new LinkedHashMap<>();
    failed.put("status", "failed");
    failed.put("exit_code", c.exitCode());
    failed.put("error", c.message());
    try {
      out.println(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(failed));
    } catch (com.fasterxml.jackson.core.JsonProcessingException ignored) {
      // the stderr line above already carries the error
    }
    out.flush();
    err.flush();
    return c.exitCode();
  }

  /** The file named by --config, found before parsing because it supplies the defaults of the parse. */
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

  /** Defaults from a properties file; unknown keys are refused so that a typo is not silently ignored. */
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
        throw new ConfigException(String.format("--config %s: unknown key '%s'; known keys: %s", file, key, known));
      }
    }
    return new CommandLine.PropertiesDefaultProvider(properties);
  }

  /** Creates the Spark session on first use, so that --help and usage errors never start Spark. */
  static final class SparkSessionHolder implements Supplier<SparkSession> {
    private SparkSession session;

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

    synchronized void stop() {
      if (session != null) {
        session.stop();
      }
    }
  }
}
