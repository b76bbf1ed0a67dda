package io.github.c8backup.restore.kubernetes;

import static io.github.c8backup.restore.kubernetes.RestoreLabels.REPLICAS_BEFORE_RESTORE;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.Optional;

/**
 * Scales the cluster's workloads to zero and back. The replica count before the restore is kept
 * in an annotation on the workload itself, written in the same patch that sets the replicas to
 * zero: there is never a moment where a workload is at zero and its count is lost, and a restore
 * resumed after the orchestrator died finds the count where it left it.
 */
final class Workloads {

  private final KubernetesClient client;
  private final String namespace;

  Workloads(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  Optional<Workload> statefulSet(String name) {
    return Optional.ofNullable(statefulSets(name).get()).map(this::of);
  }

  Optional<Workload> deployment(String name) {
    return Optional.ofNullable(deployments(name).get()).map(this::of);
  }

  Workload of(StatefulSet sts) {
    return new Workload(
        Workload.Kind.STATEFULSET,
        namespace,
        sts.getMetadata().getName(),
        orZero(sts.getSpec().getReplicas()),
        sts.getStatus() == null ? 0 : orZero(sts.getStatus().getReadyReplicas()),
        sts.getSpec().getSelector().getMatchLabels(),
        recorded(sts));
  }

  private Workload of(Deployment deployment) {
    return new Workload(
        Workload.Kind.DEPLOYMENT,
        namespace,
        deployment.getMetadata().getName(),
        orZero(deployment.getSpec().getReplicas()),
        deployment.getStatus() == null ? 0 : orZero(deployment.getStatus().getReadyReplicas()),
        deployment.getSpec().getSelector().getMatchLabels(),
        recorded(deployment));
  }

  /** Records the current count unless one is recorded already (a resumed stop), then scales to 0. */
  void scaleToZeroRecording(Workload workload) {
    if (workload.stoppedByUs()) {
      return;
    }
    String count = Integer.toString(workload.replicasBeforeRestore());
    switch (workload.kind()) {
      case STATEFULSET -> statefulSets(workload.name()).edit(sts -> new StatefulSetBuilder(sts)
          .editMetadata().addToAnnotations(REPLICAS_BEFORE_RESTORE, count).endMetadata()
          .editSpec().withReplicas(0).endSpec()
          .build());
      case DEPLOYMENT -> deployments(workload.name()).edit(d -> new DeploymentBuilder(d)
          .editMetadata().addToAnnotations(REPLICAS_BEFORE_RESTORE, count).endMetadata()
          .editSpec().withReplicas(0).endSpec()
          .build());
    }
  }

  /** Scales back to the recorded count and drops the annotation; untouched if nothing is recorded. */
  void scaleBackToRecorded(Workload workload) {
    if (workload.recordedReplicas() == null) {
      return;
    }
    int count = workload.recordedReplicas();
    switch (workload.kind()) {
      case STATEFULSET -> statefulSets(workload.name()).edit(sts -> new StatefulSetBuilder(sts)
          .editMetadata().removeFromAnnotations(REPLICAS_BEFORE_RESTORE).endMetadata()
          .editSpec().withReplicas(count).endSpec()
          .build());
      case DEPLOYMENT -> deployments(workload.name()).edit(d -> new DeploymentBuilder(d)
          .editMetadata().removeFromAnnotations(REPLICAS_BEFORE_RESTORE).endMetadata()
          .editSpec().withReplicas(count).endSpec()
          .build());
    }
  }

  /** Scaled to zero, nothing ready, and no pod with its selector left (pods terminate after the scale). */
  boolean stopped(Workload workload) {
    return workload.replicas() == 0
        && workload.readyReplicas() == 0
        && client.pods().inNamespace(namespace).withLabels(workload.selector()).list().getItems().isEmpty();
  }

  private io.fabric8.kubernetes.client.dsl.RollableScalableResource<StatefulSet> statefulSets(String name) {
    return client.apps().statefulSets().inNamespace(namespace).withName(name);
  }

  private io.fabric8.kubernetes.client.dsl.RollableScalableResource<Deployment> deployments(String name) {
    return client.apps().deployments().inNamespace(namespace).withName(name);
  }

  private static Integer recorded(HasMetadata resource) {
    Map<String, String> annotations = resource.getMetadata().getAnnotations();
    String value = annotations == null ? null : annotations.get(REPLICAS_BEFORE_RESTORE);
    if (value == null) {
      return null;
    }
    try {
      return Integer.valueOf(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalStateException(
          resource.getKind() + " " + resource.getMetadata().getName() + " has annotation "
              + REPLICAS_BEFORE_RESTORE + "='" + value + "', not a replica count; fix or remove it",
          e);
    }
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }
}
