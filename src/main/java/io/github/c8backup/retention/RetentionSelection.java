package io.github.c8backup.retention;

import io.github.c8backup.catalog.CatalogEntry;
import io.github.c8backup.config.RetentionSettings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which backups of a cluster retention deletes, decided from what the components report now (the
 * {@link io.github.c8backup.catalog.BackupCatalog}) and nothing else. A pure function, so the rule
 * reads as a table in its test.
 *
 * <p>The rule, with backups ordered newest first by ID (Zeebe only accepts IDs above its highest,
 * so ID order is time order) and "complete" meaning restorable in the catalog (every configured
 * component holds its part complete, the restore preflight's own rules):
 * <ol>
 *   <li>The newest complete backup is always kept, whatever the rules say.
 *   <li>Any other complete backup is deleted when it violates either rule: it is not among the
 *       newest {@code keep-last} complete ones, or it was taken more than {@code max-age} ago.
 *       A complete backup whose parts name no time is not aged (kept unless beyond keep-last).
 *   <li>A backup that is not complete (a partial one: a failed backup whose removal did not
 *       finish, a part left behind) is deleted once it was taken more than {@code partial-grace}
 *       ago; one whose parts name no time is kept and reported, never guessed.
 * </ol>
 * When was a backup taken: the latest start time any of its parts reports
 * ({@link CatalogEntry#takenAt()}), so an age is never overstated.
 */
final class RetentionSelection {

  private RetentionSelection() {}

  /** One backup and why it goes or stays. */
  public record Decision(long backupId, Instant takenAt, boolean complete, String reason) {}

  /**
   * @param delete oldest first, the order deletions run in: a run cut short keeps the newer ones
   * @param keep newest first
   */
  public record Selection(List<Decision> delete, List<Decision> keep) {

    public List<Long> deleteIds() {
      return delete.stream().map(Decision::backupId).toList();
    }

    public List<Long> keepIds() {
      return keep.stream().map(Decision::backupId).toList();
    }
  }

  /**
   * @param entries every backup ID the components know, judged (restorable true or false)
   * @param policy a policy with at least one rule ({@link RetentionSettings#hasPolicy()})
   */
  public static Selection select(List<CatalogEntry> entries, RetentionSettings policy, Instant now) {
    if (!policy.hasPolicy()) {
      throw new IllegalArgumentException("a retention policy needs keep-last or max-age");
    }
    List<CatalogEntry> newestFirst = entries.stream().sorted(Comparator.comparingLong(CatalogEntry::backupId).reversed()).toList();
    Instant ageLimit = policy.maxAge() == null ? null : now.minus(policy.maxAge());
    Instant partialLimit = now.minus(policy.partialGrace());
    List<Decision> delete = new ArrayList<>();
    List<Decision> keep = new ArrayList<>();
    int completeRank = 0;
    for (CatalogEntry entry : newestFirst) {
      boolean complete = Boolean.TRUE.equals(entry.restorable());
      Instant takenAt = entry.takenAt();
      if (complete) {
        int rank = completeRank++;
        if (rank == 0) {
          keep.add(new Decision(entry.backupId(), takenAt, true, "the newest complete backup, never deleted"));
        } else if (policy.keepLast() != null && rank >= policy.keepLast()) {
          delete.add(new Decision(entry.backupId(), takenAt, true,
              "complete, but not among the newest " + policy.keepLast() + " complete backups (keep-last)"));
        } else if (ageLimit != null && takenAt != null && takenAt.isBefore(ageLimit)) {
          delete.add(new Decision(entry.backupId(), takenAt, true,
              "complete, but taken at " + takenAt + ", more than " + policy.maxAge() + " ago (max-age)"));
        } else {
          keep.add(new Decision(entry.backupId(), takenAt, true, keptComplete(policy, rank, takenAt)));
        }
      } else if (takenAt == null) {
        keep.add(new Decision(entry.backupId(), null, false,
            "not complete, but no part says when it was taken, so its age is unknown; kept (remove it by hand if it is void)"));
      } else if (takenAt.isBefore(partialLimit)) {
        delete.add(new Decision(entry.backupId(), takenAt, false,
            "not complete (" + String.join("; ", entry.reasons()) + ") and taken at " + takenAt + ", more than "
                + policy.partialGrace() + " ago (partial-grace)"));
      } else {
        keep.add(new Decision(entry.backupId(), takenAt, false,
            "not complete, but taken at " + takenAt + ", within partial-grace " + policy.partialGrace()));
      }
    }
    return new Selection(List.copyOf(delete.reversed()), List.copyOf(keep));
  }

  private static String keptComplete(RetentionSettings policy, int rank, Instant takenAt) {
    List<String> why = new ArrayList<>();
    if (policy.keepLast() != null) {
      why.add("among the newest " + policy.keepLast() + " complete backups");
    }
    if (policy.maxAge() != null) {
      why.add(takenAt == null ? "no part says when it was taken, so max-age cannot apply" : "younger than " + policy.maxAge());
    }
    return "complete, " + String.join(" and ", why) + " (complete backup " + (rank + 1) + " from the newest)";
  }
}
