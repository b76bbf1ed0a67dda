package io.github.c8backup.cluster.search;

import java.util.List;
import java.util.Objects;

/**
 * How far the restore of one snapshot has come, judged from the indices the snapshot holds.
 *
 * @param state see {@link State}
 * @param indices every index the snapshot holds, in the snapshot's order
 * @param missing those of {@code indices} that do not exist in the cluster (yet)
 * @param detail one sentence for an operator: counts, missing and still recovering indices
 */
public record RestoreProgress(State state, List<String> indices, List<String> missing, String detail) {

  public RestoreProgress {
    Objects.requireNonNull(state, "state");
    indices = List.copyOf(indices);
    missing = List.copyOf(missing);
  }

  public enum State {
    /** None of the snapshot's indices exists: the restore was not accepted yet, or not sent. */
    NOT_STARTED,
    /** Some indices are missing, or exist with primaries not active yet (still being recovered). */
    IN_PROGRESS,
    /** Every index of the snapshot exists with all primaries active and a health that is not red. */
    DONE,
    /** The snapshot itself does not exist, failed or is incompatible: nothing can be restored from it. */
    FAILED
  }
}
