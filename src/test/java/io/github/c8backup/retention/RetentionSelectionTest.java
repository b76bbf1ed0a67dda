package io.github.c8backup.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.c8backup.catalog.CatalogEntry;
import io.github.c8backup.config.RetentionSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The retention rule as a table. Each row: the policy (keep-last, max-age, partial-grace), the
 * backups the components report ("id complete|partial age", age an ISO duration before now or
 * {@code ?} when no part names a time), and the IDs deleted, oldest first.
 */
class RetentionSelectionTest {

  private static final Instant NOW = Instant.parse("2026-11-26T03:00:00Z");

  static Stream<Arguments> table() {
    return Stream.of(
        row("keep-last 2: the two newest complete stay", 2, null, "PT2H",
            "50 complete P1D, 40 complete P2D, 30 complete P3D, 20 complete P4D", "20 30"),
        row("keep-last 1: only the newest complete stays", 1, null, "PT2H",
            "50 complete PT1H, 40 complete PT2H, 30 complete PT3H", "30 40"),
        row("keep-last above the count: nothing goes", 5, null, "PT2H",
            "50 complete P1D, 40 complete P2D", ""),
        row("max-age 7 days: older complete ones go", null, "P7D", "PT2H",
            "50 complete P1D, 40 complete P5D, 30 complete P8D, 20 complete P30D", "20 30"),
        row("max-age: the newest complete stays even when too old", null, "P7D", "PT2H",
            "50 complete P10D, 40 complete P20D", "40"),
        row("max-age: exactly max-age old is not older than it", null, "P7D", "PT2H",
            "50 complete P1D, 40 complete P7D", ""),
        row("both rules: young but beyond keep-last goes", 2, "P30D", "PT2H",
            "50 complete P1D, 40 complete P2D, 30 complete P3D", "30"),
        row("both rules: within keep-last but too old goes", 3, "P7D", "PT2H",
            "50 complete P1D, 40 complete P2D, 30 complete P8D", "30"),
        row("both rules: the newest complete stays though it breaks max-age", 3, "P1D", "PT2H",
            "50 complete P2D, 40 complete P3D", "40"),
        row("partial older than the grace goes, younger stays", 5, null, "PT2H",
            "60 partial PT1H, 50 complete P1D, 45 partial PT3H, 40 complete P2D", "45"),
        row("partial newer than the newest complete goes after the grace; the complete stays", 1, null, "PT2H",
            "60 partial PT5H, 50 complete P1D", "60"),
        row("partials do not count towards keep-last", 2, null, "PT2H",
            "60 partial PT10M, 50 complete P1D, 45 partial PT30M, 40 complete P2D, 30 complete P3D", "30"),
        row("only partials: all past the grace go (nothing complete to protect)", 1, null, "PT2H",
            "60 partial PT3H, 50 partial P1D", "50 60"),
        row("no time reported: a partial stays, a complete one is not aged", null, "P7D", "PT2H",
            "60 partial ?, 50 complete P1D, 40 complete ?, 30 complete P9D", "30"),
        row("no time reported: keep-last still counts it", 1, null, "PT2H",
            "50 complete ?, 40 complete ?", "40"),
        row("the order is the IDs', not the times': the highest complete ID is the newest", 1, null, "PT2H",
            "50 complete P3D, 40 complete P1D", "40"),
        row("no backups at all", 2, "P7D", "PT2H", "", ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void selectsExactlyTheExpiredBackups(String description, RetentionSettings policy, List<CatalogEntry> backups, List<Long> deleted) {
    // when
    RetentionSelection.Selection selection = RetentionSelection.select(backups, policy, NOW);

    // then
    assertThat(selection.deleteIds()).as(description).containsExactlyElementsOf(deleted);
    assertThat(selection.keepIds()).as("everything else is kept, newest first")
        .containsExactlyElementsOf(backups.stream().map(CatalogEntry::backupId).filter(id -> !deleted.contains(id))
            .sorted((a, b) -> Long.compare(b, a)).toList());
    backups.stream().filter(b -> Boolean.TRUE.equals(b.restorable())).mapToLong(CatalogEntry::backupId).max()
        .ifPresent(newest -> assertThat(selection.deleteIds()).as("the newest complete backup").doesNotContain(newest));
    assertThat(selection.delete()).allSatisfy(d -> assertThat(d.reason()).isNotBlank());
  }

  @Test
  void everyDecisionSaysWhichRuleDecidedIt() {
    var policy = new RetentionSettings(1, Duration.ofDays(7), Duration.ofHours(2), null);
    var selection = RetentionSelection.select(entries("50 complete P10D, 40 complete P1D, 30 partial PT3H, 20 partial PT1H"), policy, NOW);

    assertThat(selection.keep()).extracting(RetentionSelection.Decision::reason)
        .anySatisfy(r -> assertThat(r).contains("newest complete backup, never deleted"))
        .anySatisfy(r -> assertThat(r).contains("within partial-grace PT2H"));
    assertThat(selection.delete()).extracting(RetentionSelection.Decision::reason)
        .anySatisfy(r -> assertThat(r).contains("keep-last"))
        .anySatisfy(r -> assertThat(r).contains("partial-grace", "Zeebe backup 30 is IN_PROGRESS"));
  }

  @Test
  void refusesAPolicyWithoutARule() {
    assertThatThrownBy(() -> RetentionSelection.select(List.of(), new RetentionSettings(null, null, Duration.ofHours(2), null), NOW))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keep-last or max-age");
  }

  private static Arguments row(String description, Integer keepLast, String maxAge, String partialGrace, String backups, String deleted) {
    RetentionSettings policy = new RetentionSettings(keepLast, maxAge == null ? null : Duration.parse(maxAge), Duration.parse(partialGrace), null);
    List<Long> ids = deleted.isBlank() ? List.of() : Arrays.stream(deleted.split(" ")).map(Long::valueOf).toList();
    return Arguments.of(description, policy, entries(backups), ids);
  }

  private static List<CatalogEntry> entries(String backups) {
    List<CatalogEntry> entries = new ArrayList<>();
    if (backups.isBlank()) {
      return entries;
    }
    for (String backup : backups.split(",\\s*")) {
      String[] cells = backup.trim().split(" ");
      long id = Long.parseLong(cells[0]);
      boolean complete = cells[1].equals("complete");
      Instant takenAt = cells[2].equals("?") ? null : NOW.minus(Duration.parse(cells[2]));
      List<String> reasons = complete ? List.of() : List.of("Zeebe backup " + id + " is IN_PROGRESS");
      entries.add(new CatalogEntry(id, takenAt, complete, reasons, Set.of(), List.of()));
    }
    return entries;
  }
}
