package io.github.c8backup.sandbox.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Names of the indices the simulated components own, grouped into the parts their backups
 * snapshot one after another. Names follow the real ones (index name plus schema version plus "_");
 * the grouping follows the real backup priorities: import positions first, then the main
 * list-view/task indices, then operations, then the remaining runtime indices, then definitions,
 * then (8.8+) the identity indices (reference 3).
 */
final class CamundaIndices {

  static final String LIST_VIEW = "operate-list-view-8.3.0_";

  private CamundaIndices() {}

  /** Operate's six backup parts in 8.6/8.7 ({@code camunda_operate_..._part_n_of_6}). */
  static List<List<String>> operateParts() {
    return List.of(
        List.of("operate-import-position-8.3.0_"),
        List.of(LIST_VIEW),
        List.of("operate-batch-operation-1.0.0_", "operate-operation-8.4.1_"),
        List.of("operate-flownode-instance-8.3.1_", "operate-variable-8.3.0_", "operate-incident-8.3.1_",
            "operate-sequence-flow-8.3.0_", "operate-event-8.3.0_", "operate-post-importer-queue-8.3.0_"),
        List.of("operate-decision-instance-8.3.0_", "operate-message-8.5.0_", "operate-job-8.6.0_"),
        List.of("operate-process-8.3.0_", "operate-decision-8.3.0_", "operate-decision-requirements-8.3.0_",
            "operate-metric-8.3.0_", "operate-user-1.2.0_", "operate-migration-steps-repository-1.1.0_"));
  }

  /** Tasklist's six backup parts in 8.6/8.7 ({@code camunda_tasklist_..._part_n_of_6}). */
  static List<List<String>> tasklistParts() {
    return List.of(
        List.of("tasklist-import-position-8.2.0_"),
        List.of("tasklist-task-8.5.0_"),
        List.of("tasklist-task-variable-8.3.0_", "tasklist-draft-task-variable-8.3.0_"),
        List.of("tasklist-variable-8.3.0_", "tasklist-flownode-instance-8.3.0_", "tasklist-process-instance-8.3.0_"),
        List.of("tasklist-process-8.4.0_", "tasklist-form-8.4.0_", "tasklist-metric-8.3.0_"),
        List.of("tasklist-user-1.4.0_", "tasklist-web-session-1.1.0_", "tasklist-migration-steps-repository-1.1.0_"));
  }

  /**
   * The combined parts of {@code camunda_webapps_..._part_n_of_M} (8.8+): Operate's and Tasklist's
   * indices by priority plus the shared {@code camunda-*} identity indices. M is 6 here; real
   * clusters produce 5 to 7 depending on which optional indices exist (reference 3.2).
   */
  static List<List<String>> webappsParts() {
    List<List<String>> operate = operateParts();
    List<List<String>> tasklist = webappsTasklistParts();
    List<List<String>> parts = new ArrayList<>();
    for (int i = 0; i < operate.size() - 1; i++) {
      parts.add(Stream.concat(operate.get(i).stream(), tasklist.get(i).stream()).toList());
    }
    parts.add(Stream.of(operate.getLast(), tasklist.getLast(), identityIndices()).flatMap(List::stream).toList());
    return parts;
  }

  private static List<List<String>> webappsTasklistParts() {
    // 8.8 bumped the task template to 8.8.0; the rest of Tasklist kept its names
    List<List<String>> parts = new ArrayList<>(tasklistParts());
    parts.set(1, List.of("tasklist-task-8.8.0_"));
    return parts;
  }

  private static List<String> identityIndices() {
    return List.of("camunda-user-8.8.0_", "camunda-authorization-8.8.0_", "camunda-role-8.8.0_",
        "camunda-group-8.8.0_", "camunda-tenant-8.8.0_", "camunda-mapping-rule-8.8.0_",
        "camunda-web-session-8.8.0_");
  }

  /** Optimize's two parts: import/position indices, then all other Optimize indices (reference 4). */
  static List<List<String>> optimizeParts() {
    return List.of(
        List.of("optimize-position-based-import-index_v3", "optimize-timestamp-based-import-index_v5",
            "optimize-import-index_v3"),
        List.of("optimize-process-instance-order_v8", "optimize-metadata_v3", "optimize-process-definition_v6",
            "optimize-single-process-report_v11", "optimize-dashboard_v8", "optimize-settings_v3"));
  }

  /** The parts with every index behind the cluster's index prefix ({@link SimulatorSettings#indexName}). */
  static List<List<String>> prefixed(List<List<String>> parts, SimulatorSettings settings) {
    return parts.stream().map(part -> part.stream().map(settings::indexName).toList()).toList();
  }

  static List<String> flatten(List<List<String>> parts) {
    return parts.stream().flatMap(List::stream).toList();
  }
}
