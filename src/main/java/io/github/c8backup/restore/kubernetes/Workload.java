package io.github.c8backup.restore.kubernetes;

import java.util.Map;

/**
 * A StatefulSet or Deployment as far as stopping and starting it goes.
 *
 * @param recordedReplicas the count recorded by stopComponents, null while not stopped by us
 */
record Workload(
    Kind kind,
    String namespace,
    String name,
    int replicas,
    int readyReplicas,
    Map<String, String> selector,
    Integer recordedReplicas) {

  enum Kind {
    STATEFULSET,
    DEPLOYMENT;

    @Override
    public String toString() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The count to start it with again: the recorded one once it was stopped by us. */
  int replicasBeforeRestore() {
    return recordedReplicas != null ? recordedReplicas : replicas;
  }

  boolean stoppedByUs() {
    return recordedReplicas != null && replicas == 0;
  }

  @Override
  public String toString() {
    return kind + " " + namespace + "/" + name;
  }
}
