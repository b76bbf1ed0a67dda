package io.github.c8backup.database;

import java.time.Duration;
import java.time.Instant;

/**
 * What the database side of retention needs to know from Zeebe, asked from Zeebe just before
 * (never remembered from an earlier run).
 *
 * @param zeebeOldestStart the start of Zeebe's oldest backup range across partitions, by the
 *     brokers' clock: the oldest moment a Zeebe restore could still be asked for. The database
 *     keeps the newest base backup that ends at or before it (minus {@code clockTolerance}), or
 *     its oldest if none does, and every newer one.
 * @param zeebeNewest Zeebe's newest backup, by the brokers' clock. The run takes it after the
 *     database backup; if it is dated before the newest base backup ended (beyond the tolerance),
 *     the two clocks cannot be compared and nothing is deleted.
 * @param clockTolerance how far the two clocks may disagree; shifts every comparison towards
 *     keeping more
 * @param keepAtLeast the fewest base backups kept (at least 1)
 */
public record DatabaseRetentionRequest(Instant zeebeOldestStart, Instant zeebeNewest, Duration clockTolerance, int keepAtLeast) {

  public DatabaseRetentionRequest {
    if (zeebeOldestStart == null || zeebeNewest == null || clockTolerance == null || clockTolerance.isNegative()) {
      throw new IllegalArgumentException("Retention needs Zeebe's oldest and newest backup times and a non-negative tolerance");
    }
    keepAtLeast = Math.max(1, keepAtLeast);
  }
}
