package io.seqloss.cli;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * A command line that picocli cannot parse: the error in one line and a pointer to {@code --help}, as
 * git and kubectl do, rather than the whole usage text; then the failure JSON, exit code 2.
 */
final class UsageErrors {
  private UsageErrors() {}

  static int report(ParameterException e, String[] args, FailureReport failures) {
    if (failures.claim()) {
      CommandLine command = e.getCommandLine();
      List<String> notes = new ArrayList<>();
      StringWriter suggestions = new StringWriter(); // "Did you mean: ..." for a mistyped option
      PrintWriter writer = new PrintWriter(suggestions);
      if (CommandLine.UnmatchedArgumentException.printSuggestions(e, writer)) {
        writer.flush();
        notes.add(suggestions.toString().strip());
      }
      notes.add("Try '" + launcher(command.getCommandSpec()) + " --help' for more information.");
      failures.print(ExitCodes.USAGE, message(e, args), null, notes);
    }
    return ExitCodes.USAGE;
  }

  /** picocli's message, naming the --config file when the bad value came from it. */
  static String message(ParameterException e, String[] args) {
    File config = Main.configFile(args);
    if (config != null && e.getArgSpec() instanceof OptionSpec option
        && option.command() == e.getCommandLine().getCommandSpec().root() && !given(option, args)) {
      return "--config " + config + ": " + e.getMessage();
    }
    return e.getMessage();
  }

  private static boolean given(OptionSpec option, String[] args) {
    return Arrays.stream(args).anyMatch(arg -> Arrays.stream(option.names())
        .anyMatch(name -> arg.equals(name) || arg.startsWith(name + "=")));
  }

  /** How the user started the command: submit.sh, then the subcommand's name. */
  private static String launcher(CommandSpec spec) {
    String sub = spec.qualifiedName(" ").replaceFirst("^\\S+", "");
    return "./submit.sh" + sub;
  }
}
