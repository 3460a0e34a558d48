package io.seqloss.cli;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * A command line that picocli cannot parse: the error in one line and a pointer to {@code --help},
 * as git and kubectl do, rather than the whole usage text; then the failure JSON (exit code 2).
 */
final class UsageErrors implements IParameterExceptionHandler {
  private final String[] args;
  private final FailureReport failures;

  UsageErrors(String[] args, FailureReport failures) {
    this.args = args;
    this.failures = failures;
  }

  @Override
  public int handleParseException(ParameterException e, String[] ignored) {
    CommandLine command = e.getCommandLine();
    int exitCode = command.getExitCodeExceptionMapper().getExitCode(e);
    if (failures.claim()) {
      List<String> notes = new ArrayList<>();
      StringWriter suggestions =
          new StringWriter(); // "Possible solutions: ..." for a mistyped option
      PrintWriter writer = new PrintWriter(suggestions);
      if (CommandLine.UnmatchedArgumentException.printSuggestions(e, writer)) {
        writer.flush();
        notes.add(suggestions.toString().strip());
      }
      notes.add("Try '" + launcher(command.getCommandSpec()) + " --help' for more information.");
      failures.print(exitCode, message(e), null, notes);
    }
    return exitCode;
  }

  /** picocli's message, naming the --config file when the bad value came from it. */
  private String message(ParameterException e) {
    File config = Main.configFile(args);
    if (config != null
        && e.getArgSpec() instanceof OptionSpec option
        && option.command() == e.getCommandLine().getCommandSpec().root()
        && !given(option)) {
      return "--config " + config + ": " + e.getMessage();
    }
    return e.getMessage();
  }

  private boolean given(OptionSpec option) {
    return Arrays.stream(args)
        .anyMatch(
            arg ->
                Arrays.stream(option.names())
                    .anyMatch(name -> arg.equals(name) || arg.startsWith(name + "=")));
  }

  /** How the user started the command: submit.sh, then the subcommand's name. */
  private static String launcher(CommandSpec spec) {
    return "./submit.sh" + spec.qualifiedName(" ").replaceFirst("^\\S+", "");
  }
}
