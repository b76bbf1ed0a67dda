package io.github.c8backup.config;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Retention of the database's base backups and archived change log, kept in step with Zeebe's own
 * retention window ({@code orchestrator.clusters.<name>.database.retention}). The rule itself is
 * not configurable; these settings can only make it keep more (see
 * {@code io.github.c8backup.database.DatabaseRetentionRequest}).
 *
 * @param enabled whether the step deletes anything; off, it only reports that it is off
 * @param keepAtLeast the fewest base backups kept, whatever Zeebe still holds (at least 1: the newest)
 * @param clockTolerance how far the database server's and the brokers' clocks may disagree; every
 *     comparison of their times is shifted by it towards keeping more
 */
public record DatabaseRetentionSettings(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("1") @Min(1) int keepAtLeast,
    @NotNull @DefaultValue("PT1M") Duration clockTolerance) {

  /** The defaults, for a cluster whose configuration was built without Spring's binding. */
  public static DatabaseRetentionSettings defaults() {
    return new DatabaseRetentionSettings(true, 1, Duration.ofMinutes(1));
  }

  @AssertTrue(message = "clock-tolerance must not be negative")
  public boolean isToleranceNotNegative() {
    return clockTolerance == null || !clockTolerance.isNegative();
  }
}
