package io.seqloss.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the executors of one application did, read from their logs: each task attempt they start or
 * finish is a line ("Running task 12.1 in stage 4.0 (TID 93)": index 12, attempt 1, stage 4). The
 * evaluation is told from the other jobs by its task indexes: it is the only job with many tasks.
 */
public final class ExecutorLogs {
  private static final Pattern TASK =
      Pattern.compile("(Running|Finished) task (\\d+)\\.(\\d+) in stage (\\d+)\\.");

  /** One line of an executor log about a task attempt. */
  record Event(Path log, boolean finished, int index, int attempt, int stage) {
    String attemptKey() {
      return stage + "/" + index + "." + attempt;
    }
  }

  private final List<Event> events = new ArrayList<>();
  private final Set<Integer> evaluationStages = new HashSet<>();

  /**
   * @param logs the stderr files of the application's executors
   * @param evaluationTaskIndex a task index only the evaluation reaches
   */
  public ExecutorLogs(List<Path> logs, int evaluationTaskIndex) {
    for (Path log : logs) {
      Matcher m = TASK.matcher(readQuietly(log));
      while (m.find()) {
        Event e =
            new Event(
                log,
                m.group(1).equals("Finished"),
                Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)),
                Integer.parseInt(m.group(4)));
        events.add(e);
        if (e.index() >= evaluationTaskIndex) {
          evaluationStages.add(e.stage());
        }
      }
    }
  }

  /** Evaluation task attempts that finished. */
  public long finishedEvaluationTasks() {
    return finishedEvaluationTasks("");
  }

  /** Evaluation task attempts that finished, in the logs whose path contains the given part. */
  public long finishedEvaluationTasks(String logPathPart) {
    return events.stream()
        .filter(
            e ->
                e.finished()
                    && evaluationStages.contains(e.stage())
                    && e.log().toString().contains(logPathPart))
        .count();
  }

  /**
   * The highest attempt number of any task started, in any stage (0: none was retried; -1: no
   * task).
   */
  public int highestAttempt() {
    return events.stream().mapToInt(Event::attempt).max().orElse(-1);
  }

  /** Evaluation tasks that finished on a second or later attempt: Spark retried them. */
  public long retriedEvaluationTasks() {
    return events.stream()
        .filter(e -> e.finished() && e.attempt() > 0 && evaluationStages.contains(e.stage()))
        .count();
  }

  /**
   * Whether an executor whose log path contains the given part has started an evaluation task and
   * not finished it: running it now or, if it has died, lost it.
   */
  public boolean runsEvaluationTask(String logPathPart) {
    Set<String> open = new HashSet<>();
    for (Event e : events) {
      if (e.log().toString().contains(logPathPart) && evaluationStages.contains(e.stage())) {
        if (e.finished()) {
          open.remove(e.attemptKey());
        } else {
          open.add(e.attemptKey());
        }
      }
    }
    return !open.isEmpty();
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException | RuntimeException e) {
      return ""; // a log being created or rotated: read it on the next poll
    }
  }
}
