package io.github.c8backup.restore;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.github.c8backup.backup.Components;
import java.util.List;
import java.util.Map;

/** The variables of a {@code camunda-restore} instance that workers read. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RestoreRun(
    String cluster,
    Long backupId,
    String camundaVersion,
    Components components,
    RestorePlan restorePlan,
    List<String> restoredSnapshots,
    Map<String, Long> restoredDocumentCounts) {

  public long requireBackupId() {
    if (backupId == null) {
      throw new IllegalStateException("variable backupId is missing; the resolve step sets it");
    }
    return backupId;
  }
}
