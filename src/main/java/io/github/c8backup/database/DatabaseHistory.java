package io.github.c8backup.database;

import java.time.Instant;
import java.util.List;

/**
 * One history of a database: what it went through since it was created, branch by branch. Every
 * point-in-time recovery starts a new history (for PostgreSQL a timeline, numbered 1, 2, ...) that
 * shares its past with the history it branched from up to the recovery's target and leaves the rest
 * of that history behind. The newest history is the current one; an earlier one can still be
 * recovered as far as its archived change log reaches.
 *
 * @param number the history's number (PostgreSQL: the timeline ID)
 * @param parent the history it branched from, null for the first one
 * @param startedAt when it began (the recovery that created it finished), null for the first one
 * @param leftAt when a later recovery left it for a newer history, null while it is the current one
 * @param current whether the database runs on it now (the newest history)
 * @param periods when the running cluster was on this history's path: per history on the path, from
 *     when the cluster ran on it to when it was left or, for an ancestor, to where this history
 *     branched off it. A moment in one of them belongs to this history's past.
 * @param window the moments it can be recovered to; null when none (see {@code unavailable})
 * @param unavailable why there is no window, or null
 */
public record DatabaseHistory(
    int number,
    Integer parent,
    Instant startedAt,
    Instant leftAt,
    boolean current,
    List<Period> periods,
    RecoverableWindow window,
    String unavailable) {

  public DatabaseHistory {
    periods = List.copyOf(periods);
  }

  /**
   * A stretch of time spent on {@code history}: from {@code from} (null: since the beginning), up
   * to and excluding {@code until} (null: still going on).
   */
  public record Period(int history, Instant from, Instant until) {
    public boolean contains(Instant moment) {
      return (from == null || !moment.isBefore(from)) && (until == null || moment.isBefore(until));
    }
  }

  /** Whether something that happened at {@code moment} (a Zeebe checkpoint, say) is part of this history's past. */
  public boolean holds(Instant moment) {
    return periods.stream().anyMatch(period -> period.contains(moment));
  }

  /** "history 1: from ... to ... (left by the restore at ...)", for messages and the approval plan. */
  public String describe() {
    StringBuilder text = new StringBuilder("history ").append(number);
    if (current) {
      text.append(" (current)");
    }
    text.append(": ");
    text.append(window == null ? "nothing to recover (" + unavailable + ")"
        : "from " + window.earliest() + " to " + window.latest());
    if (leftAt != null) {
      text.append(" (left by the restore at ").append(leftAt).append(")");
    }
    return text.toString();
  }
}
