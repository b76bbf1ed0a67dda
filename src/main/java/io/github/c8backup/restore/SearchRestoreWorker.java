package io.github.c8backup.restore;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.VariablesAsType;
import io.camunda.client.api.response.ActivatedJob;
import io.camunda.client.exception.CamundaError;
import io.github.c8backup.backup.ClusterSteps;
import io.github.c8backup.cluster.search.RestoreProgress;
import io.github.c8backup.cluster.search.SnapshotApi;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The search-engine half of a restore: deleting Camunda's indices by name, then restoring the
 * plan's snapshots one after another in the plan's order. Both are idempotent by asking the
 * search engine each time: an index already gone is skipped, a snapshot already restored is not
 * restored again.
 */
@Component
public class SearchRestoreWorker {

  private final ClusterSteps steps;

  public SearchRestoreWorker(ClusterSteps steps) {
    this.steps = steps;
  }

  private SnapshotApi search(RestoreRun run) {
    return steps.connect(run.cluster(), run.camundaVersion()).search()
        .orElseThrow(() -> new IllegalStateException("no search engine configured for cluster " + run.cluster()));
  }

  @JobWorker(type = RestoreJobTypes.DELETE_INDICES)
  public Map<String, Object> deleteIndices(ActivatedJob job, @VariablesAsType RestoreRun run) {
    try {
      if (run.restorePlan().restoreSnapshots().isEmpty()) {
        return Map.of("deletedIndices", List.of());
      }
      SnapshotApi search = search(run);
      List<String> prefixes = run.restorePlan().indexPrefixes();
      List<String> deleted = new ArrayList<>();
      for (String index : RestoreIndices.existing(search, prefixes)) {
        search.deleteIndex(index);
        deleted.add(index);
      }
      return Map.of("deletedIndices", deleted);
    } catch (RuntimeException e) {
      throw steps.incident(e, job, "Delete Camunda indices of " + run.cluster());
    }
  }

  /**
   * One pass over the plan's snapshots: the first one not yet restored is started (or waited
   * for); the answer says whether all are done. The BPMN loops over this task.
   */
  @JobWorker(type = RestoreJobTypes.RESTORE_SNAPSHOTS)
  public Map<String, Object> restoreNext(ActivatedJob job, @VariablesAsType RestoreRun run) {
    try {
      List<String> order = run.restorePlan().restoreSnapshots();
      if (order.isEmpty()) {
        return Map.of("snapshotsRestored", true, "restoredSnapshots", List.of());
      }
      SnapshotApi search = search(run);
      List<String> restored = new ArrayList<>();
      Map<String, Long> counts = new LinkedHashMap<>(run.restoredDocumentCounts() == null ? Map.of() : run.restoredDocumentCounts());
      for (String snapshot : order) {
        RestoreProgress progress = search.restoreProgress(snapshot);
        switch (progress.state()) {
          case DONE -> {
            restored.add(snapshot);
            for (String index : progress.indices()) {
              counts.putIfAbsent(index, search.documentCount(index));
            }
          }
          case NOT_STARTED -> {
            search.restoreSnapshot(snapshot);
            return Map.of("snapshotsRestored", false, "restoredSnapshots", restored, "restoringSnapshot", snapshot, "restoredDocumentCounts", counts);
          }
          case IN_PROGRESS -> {
            return Map.of("snapshotsRestored", false, "restoredSnapshots", restored, "restoringSnapshot", snapshot, "restoredDocumentCounts", counts);
          }
          case FAILED -> throw CamundaError.jobError("Restoring snapshot " + snapshot + " failed: " + progress.detail()
              + ". Check the search engine's log; delete the partly restored indices of that snapshot, then retry this step.", null, 0);
        }
      }
      return Map.of("snapshotsRestored", true, "restoredSnapshots", restored, "restoringSnapshot", "", "restoredDocumentCounts", counts);
    } catch (RuntimeException e) {
      throw steps.incident(e, job, "Restore snapshots of " + run.cluster());
    }
  }
}
