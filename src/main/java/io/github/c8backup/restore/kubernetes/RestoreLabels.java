package io.github.c8backup.restore.kubernetes;

import java.util.LinkedHashMap;
import java.util.Map;

/** Labels and annotations the orchestrator puts on what it creates or changes. */
final class RestoreLabels {

  static final String PREFIX = "backup-orchestrator.c8backup.io/";

  /** On a scaled-down workload: its replica count before the restore, read by startComponents. */
  static final String REPLICAS_BEFORE_RESTORE = PREFIX + "replicas-before-restore";

  static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  static final String MANAGER = "camunda-backup-orchestrator";
  static final String CLUSTER = PREFIX + "cluster";
  static final String BACKUP_ID = PREFIX + "backup-id";
  static final String NODE_ID = PREFIX + "node-id";

  /** Set on a Job's pods by the Job controller (also as batch.kubernetes.io/job-name from 1.27). */
  static final String JOB_NAME = "job-name";

  private RestoreLabels() {}

  static Map<String, String> ofCluster(String cluster) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(MANAGED_BY, MANAGER);
    labels.put(CLUSTER, cluster);
    return labels;
  }

  static Map<String, String> ofBroker(String cluster, long backupId, int nodeId) {
    Map<String, String> labels = ofCluster(cluster);
    labels.put(BACKUP_ID, Long.toString(backupId));
    labels.put(NODE_ID, Integer.toString(nodeId));
    return labels;
  }
}
