package io.github.c8backup.backup;

import java.time.Duration;
import java.time.Period;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.scheduling.support.CronExpression;

/**
 * A cluster's backup schedule as Zeebe's timer start event takes it: an ISO-8601 repeating
 * interval ({@code R/PT24H}, {@code R5/2026-01-01T02:00:00Z/P1D}) or a cron expression in the
 * six-field Spring format Zeebe uses ({@code 0 0 2 * * *}).
 */
public record BackupSchedule(String expression) {

  private static final String EXAMPLES = " (examples: R/PT24H, R/2026-01-01T02:00:00Z/P1D, '0 0 2 * * *')";
  private static final Pattern REPEATING = Pattern.compile("^R(\\d*)/(?:([^/]+)/)?(P[^/]+)$");

  public BackupSchedule {
    String problem = problem(expression);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    expression = expression.trim();
  }

  /** Why the text is not a schedule, or null when it is one. */
  public static String problem(String expression) {
    if (expression == null || expression.isBlank()) {
      return "Schedule is empty; use an ISO-8601 repeating interval such as R/PT24H or a cron expression such as '0 0 2 * * *'";
    }
    String text = expression.trim();
    if (text.startsWith("R")) {
      Matcher m = REPEATING.matcher(text);
      if (!m.matches()) {
        return "Schedule '" + text + "' is not an ISO-8601 repeating interval (R[n]/[start/]duration, e.g. R/PT24H)";
      }
      String duration = m.group(3);
      try {
        if (duration.contains("T")) {
          Duration d = Duration.parse(duration);
          if (d.isZero() || d.isNegative()) {
            return "Schedule '" + text + "' repeats every " + duration + ", which is not a positive interval" + EXAMPLES;
          }
        } else {
          Period.parse(duration);
        }
      } catch (RuntimeException e) {
        return "Schedule '" + text + "' has an invalid ISO-8601 duration '" + duration + "'" + EXAMPLES;
      }
      return null;
    }
    try {
      CronExpression.parse(text);
      return null;
    } catch (IllegalArgumentException e) {
      return "Schedule '" + text + "' is neither an ISO-8601 repeating interval (R/PT24H) nor a cron expression ("
          + e.getMessage() + ")";
    }
  }
}
