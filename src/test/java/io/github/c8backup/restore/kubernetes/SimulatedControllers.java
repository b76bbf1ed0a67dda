package io.github.c8backup.restore.kubernetes;

import static io.github.c8backup.restore.kubernetes.HelmChartFixtures.BROKERS;
import static io.github.c8backup.restore.kubernetes.HelmChartFixtures.NAMESPACE;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What Kubernetes' controllers and the restore application do in a real cluster, done by hand on
 * the fabric8 mock server, which runs no controllers: no pod ready after a scale-down, a restore
 * Job finished with a pod and its log. Also drains the requests the server recorded.
 */
final class SimulatedControllers {

  private SimulatedControllers() {}

  /** The StatefulSet and Deployment controllers after a scale-down: no pod is ready any more. */
  static void scaledDown(KubernetesClient client) {
    var sts = client.apps().statefulSets().inNamespace(NAMESPACE).withName(BROKERS).get();
    sts.getStatus().setReadyReplicas(0);
    client.apps().statefulSets().resource(sts).updateStatus();
    for (var d : client.apps().deployments().inNamespace(NAMESPACE).list().getItems()) {
      d.getStatus().setReadyReplicas(0);
      client.apps().deployments().resource(d).updateStatus();
    }
  }

  /** The Job controller and the restore application finished broker {@code nodeId}'s restore Job. */
  static void restoreJobFinished(
      KubernetesClient client, KubernetesMockServer server, long backupId, int nodeId, boolean succeeded, String log) {
    String jobName = BROKERS + "-restore-" + backupId + "-" + nodeId;
    Job current = client.batch().v1().jobs().inNamespace(NAMESPACE).withName(jobName).get();
    if (current == null) {
      throw new IllegalStateException("Job " + jobName + " was never created");
    }
    Job job = new JobBuilder(current).withNewStatus()
        .withSucceeded(succeeded ? 1 : 0)
        .withFailed(succeeded ? 0 : 1)
        .addNewCondition()
        .withType(succeeded ? "Complete" : "Failed")
        .withStatus("True")
        .withReason(succeeded ? null : "BackoffLimitExceeded")
        .endCondition()
        .endStatus().build();
    client.batch().v1().jobs().resource(job).updateStatus();
    String pod = jobName + "-x7k2q";
    client.pods().resource(new PodBuilder().withNewMetadata().withName(pod).withNamespace(NAMESPACE)
        .addToLabels(RestoreLabels.JOB_NAME, jobName).endMetadata().build()).create();
    server.expect().get().withPath("/api/v1/namespaces/" + NAMESPACE + "/pods/" + pod + "/log?pretty=false")
        .andReturn(200, log).always();
  }

  /** Every request the server received since the last call, oldest first. */
  static List<RecordedRequest> takeRequests(KubernetesMockServer server) {
    List<RecordedRequest> requests = new ArrayList<>();
    try {
      RecordedRequest request;
      while ((request = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
        requests.add(request);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return requests;
  }
}
