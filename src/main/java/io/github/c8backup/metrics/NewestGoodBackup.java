package io.github.c8backup.metrics;

import java.time.Instant;

/**
 * What a cluster's components say about its newest good backup.
 *
 * @param at when it was taken, for {@link Status#FOUND}
 * @param problem why it is not known, for {@link Status#UNKNOWN}
 */
public record NewestGoodBackup(Status status, Instant at, String problem) {

  public enum Status {
    /** A backup complete in every component (a point in time a restore reaches, for RDBMS clusters). */
    FOUND,
    /** The components answered and hold none. */
    NONE,
    /** A component did not answer; ask again later. */
    UNKNOWN
  }

  public static NewestGoodBackup found(Instant at) {
    return new NewestGoodBackup(Status.FOUND, at, null);
  }

  public static NewestGoodBackup none() {
    return new NewestGoodBackup(Status.NONE, null, null);
  }

  public static NewestGoodBackup unknown(String problem) {
    return new NewestGoodBackup(Status.UNKNOWN, null, problem);
  }
}
