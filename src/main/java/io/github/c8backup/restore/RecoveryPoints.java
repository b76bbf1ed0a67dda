package io.github.c8backup.restore;

import io.github.c8backup.cluster.zeebe.BackupRuntimeState;
import io.github.c8backup.cluster.zeebe.BackupRuntimeState.BackupRange;
import io.github.c8backup.database.RecoverableWindow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which moments an 8.9 RDBMS cluster can be restored to: inside the database's recoverable window
 * AND, on every partition, inside one Zeebe backup range (from its first to its last checkpoint;
 * reference 7.5, 9). The database is recovered to the moment, then Zeebe restores to a checkpoint
 * no earlier than the database's state. The answer is decided before anything is stopped; a
 * refusal names the nearest valid moments on either side.
 */
public final class RecoveryPoints {

  /** A closed interval of restorable moments. */
  public record Span(Instant from, Instant to) {
    boolean contains(Instant instant) {
      return !instant.isBefore(from) && !instant.isAfter(to);
    }

    @Override
    public String toString() {
      return from + " .. " + to;
    }
  }

  /** The verdict for one requested moment; {@code target} null means "latest". */
  public record Verdict(boolean accepted, Instant recoveryPoint, String reason, List<Span> restorable) {}

  private final List<Span> restorable;
  private final String unavailable;

  private RecoveryPoints(List<Span> restorable, String unavailable) {
    this.restorable = restorable;
    this.unavailable = unavailable;
  }

  /**
   * @param database the database's window, empty when there is no base backup
   * @param zeebe Zeebe's runtime state
   * @param partitionCount the cluster's partitions, each of which must be covered
   */
  public static RecoveryPoints of(Optional<RecoverableWindow> database, BackupRuntimeState zeebe, int partitionCount) {
    if (database.isEmpty()) {
      return new RecoveryPoints(List.of(), "the database has no base backup to recover from");
    }
    if (zeebe.ranges().isEmpty()) {
      return new RecoveryPoints(List.of(), "Zeebe reports no backup ranges: continuous backups are off or none was taken yet");
    }
    List<Span> spans = List.of(new Span(database.get().earliest(), database.get().latest()));
    Map<Integer, List<BackupRange>> ranges = zeebe.rangesByPartition();
    for (int partition = 1; partition <= partitionCount; partition++) {
      List<BackupRange> own = ranges.getOrDefault(partition, List.of());
      if (own.isEmpty()) {
        return new RecoveryPoints(List.of(), "partition " + partition + " has no backup range");
      }
      List<Span> partitionSpans = new ArrayList<>();
      for (BackupRange range : own) {
        Instant from = range.start().checkpointTimestamp();
        Instant to = range.end().checkpointTimestamp();
        if (from == null || to == null) {
          return new RecoveryPoints(List.of(), "partition " + partition + ": Zeebe's backup range has no checkpoint times");
        }
        partitionSpans.add(new Span(from, to));
      }
      spans = intersect(spans, partitionSpans);
    }
    return new RecoveryPoints(spans, spans.isEmpty() ? "the database's window and Zeebe's backup ranges do not overlap" : null);
  }

  public List<Span> restorable() {
    return restorable;
  }

  /**
   * Accepts {@code target} when it lies in a restorable span; null ("latest") takes the end of the
   * last span. A refusal names the nearest valid moments before and after the target.
   */
  public Verdict check(Instant target) {
    if (restorable.isEmpty()) {
      return new Verdict(false, null, "Nothing can be restored: " + unavailable, restorable);
    }
    if (target == null) {
      return new Verdict(true, restorable.getLast().to(), null, restorable);
    }
    if (restorable.stream().anyMatch(span -> span.contains(target))) {
      return new Verdict(true, target, null, restorable);
    }
    Optional<Instant> before = restorable.stream().map(Span::to).filter(end -> end.isBefore(target)).max(Comparator.naturalOrder());
    Optional<Instant> after = restorable.stream().map(Span::from).filter(start -> start.isAfter(target)).min(Comparator.naturalOrder());
    String reason = target + " cannot be restored: it lies "
        + (before.isEmpty() ? "before the earliest restorable moment" : after.isEmpty() ? "after the latest restorable moment" : "in a gap")
        + ". Nearest valid moments: " + before.map(b -> b + " (before)").orElse("none before") + ", "
        + after.map(a -> a + " (after)").orElse("none after") + ". Restorable: " + restorable;
    return new Verdict(false, null, reason, restorable);
  }

  private static List<Span> intersect(List<Span> a, List<Span> b) {
    List<Span> result = new ArrayList<>();
    for (Span x : a) {
      for (Span y : b) {
        Instant from = x.from().isAfter(y.from()) ? x.from() : y.from();
        Instant to = x.to().isBefore(y.to()) ? x.to() : y.to();
        if (!from.isAfter(to)) {
          result.add(new Span(from, to));
        }
      }
    }
    result.sort(Comparator.comparing(Span::from));
    return List.copyOf(result);
  }
}
