package io.github.c8backup.database;

import java.time.Instant;
import java.util.List;

/**
 * What a point-in-time recovery will do, decided before anything is written, for the approval
 * task and the log.
 *
 * @param baseBackup the backup it starts from: the newest usable one complete at or before the target
 * @param target the requested moment, or null for the newest recoverable one
 * @param recoversTo the exact moment the database will reflect: every transaction committed at or
 *     before it, none after ({@code target}, or the window's latest when asked for the newest)
 * @param window the recoverable window the decision was made against
 * @param settings the recovery settings written for the server, one {@code name = value} per line
 */
public record RecoveryPlan(
    BaseBackup baseBackup,
    Instant target,
    Instant recoversTo,
    RecoverableWindow window,
    List<String> settings) {

  public RecoveryPlan {
    settings = List.copyOf(settings);
  }
}
