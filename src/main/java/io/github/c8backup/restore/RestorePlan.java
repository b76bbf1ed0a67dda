package io.github.c8backup.restore;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * What a restore will do, decided by the preflight while the cluster is still untouched, shown in
 * the approval task and then followed step by step. Names only: no URL or credential.
 *
 * @param indexPrefixes the prefixes of the indices the restore deletes (Camunda's own, per version
 *     and per deployed component); the names found at preflight are in {@code deleteIndices}, and
 *     the delete step lists again at its time, with the same prefixes
 * @param restoreSnapshots the snapshots in the order they are restored: web apps parts in part
 *     order, Optimize part 1 then 2, the records snapshot last
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RestorePlan(
    long backupId,
    String camundaVersion,
    String backupVersion,
    int partitionCount,
    String platform,
    List<String> stop,
    List<String> indexPrefixes,
    List<String> deleteIndices,
    List<String> restoreSnapshots,
    List<String> brokers,
    List<String> start) {

  /** The plan as text for the approval form. */
  public String asText() {
    StringBuilder text = new StringBuilder();
    text.append("Backup ").append(backupId).append(" (Camunda ").append(backupVersion).append(", ")
        .append(partitionCount).append(" partitions), platform ").append(platform).append("\n\n");
    section(text, "1. Stop", stop);
    section(text, "2. Delete these indices by name (prefixes " + indexPrefixes + ")", deleteIndices);
    section(text, "3. Restore these snapshots, in this order", restoreSnapshots);
    section(text, "4. Restore the brokers", brokers);
    section(text, "5. Start, then wait for health and a leader on every partition", start);
    return text.toString();
  }

  private static void section(StringBuilder text, String title, List<String> lines) {
    text.append(title).append(":\n");
    if (lines.isEmpty()) {
      text.append("   (nothing)\n");
    }
    lines.forEach(line -> text.append("   - ").append(line).append("\n"));
    text.append("\n");
  }
}
