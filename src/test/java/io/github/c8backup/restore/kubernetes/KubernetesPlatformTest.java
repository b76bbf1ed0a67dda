package io.github.c8backup.restore.kubernetes;

import static io.github.c8backup.restore.kubernetes.HelmChartFixtures.BROKERS;
import static io.github.c8backup.restore.kubernetes.HelmChartFixtures.CLUSTER;
import static io.github.c8backup.restore.kubernetes.HelmChartFixtures.NAMESPACE;
import static io.github.c8backup.restore.kubernetes.HelmChartFixtures.boundDataClaim;
import static io.github.c8backup.restore.kubernetes.HelmChartFixtures.brokerPod;
import static io.github.c8backup.restore.kubernetes.HelmChartFixtures.cluster;
import static io.github.c8backup.restore.kubernetes.HelmChartFixtures.deployment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.github.c8backup.config.CamundaVersion;
import io.github.c8backup.config.KubernetesSettings;
import io.github.c8backup.restore.ClusterPlatform.BrokerRestore;
import io.github.c8backup.restore.ClusterPlatform.BrokerRestore.State;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class KubernetesPlatformTest {

  private static final long BACKUP_ID = 42;
  private static final String RESTORE_LOG = """
      Starting RestoreApp using Java 21
      Successfully restored partition 1 from backup 42
      Successfully restored broker from backup 42
      """;

  // a fresh in-memory API server per test, set by the extension
  private KubernetesMockServer server;
  private KubernetesClient client;
  private KubernetesPlatform platform;

  @Test
  void stopScalesEveryWorkloadToZeroAndRecordsItsReplicas() {
    // given
    seed88Cluster();
    // when
    platform.stopComponents();
    // then
    StatefulSet brokers = statefulSet();
    assertThat(brokers.getSpec().getReplicas()).isZero();
    assertThat(brokers.getMetadata().getAnnotations()).containsEntry(RestoreLabels.REPLICAS_BEFORE_RESTORE, "3");
    assertThat(deploymentReplicas("prod-optimize")).isZero();
    assertThat(deploymentReplicas("prod-connectors")).isZero();
    assertThat(client.apps().deployments().inNamespace(NAMESPACE).withName("prod-connectors").get()
        .getMetadata().getAnnotations()).containsEntry(RestoreLabels.REPLICAS_BEFORE_RESTORE, "2");
  }

  @Test
  void stopResumedAfterACrashKeepsTheCountsRecordedFirst() {
    // given
    seed88Cluster();
    platform.stopComponents();
    takeRequests();
    // when
    platform.stopComponents();
    // then
    assertThat(mutating(takeRequests())).isEmpty();
    assertThat(statefulSet().getMetadata().getAnnotations()).containsEntry(RestoreLabels.REPLICAS_BEFORE_RESTORE, "3");
  }

  @Test
  void stopRefusesBrokersAtZeroWithoutARecordedCount() {
    // given
    seed88Cluster();
    client.apps().statefulSets().inNamespace(NAMESPACE).withName(BROKERS).edit(s -> {
      s.getSpec().setReplicas(0);
      return s;
    });
    takeRequests();
    // when / then
    assertThatThrownBy(platform::stopComponents).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no count was recorded");
    assertThat(mutating(takeRequests())).isEmpty();
  }

  @Test
  void componentsCountAsStoppedOnlyOnceNoPodOfAWorkloadRemains() {
    // given
    seed88Cluster();
    client.pods().resource(brokerPod(0)).create();
    platform.stopComponents();
    clearReadyReplicas();
    // when
    boolean whilePodTerminates = platform.componentsStopped();
    client.pods().inNamespace(NAMESPACE).withName(BROKERS + "-0").delete();
    boolean afterPodIsGone = platform.componentsStopped();
    // then
    assertThat(whilePodTerminates).isFalse();
    assertThat(afterPodIsGone).isTrue();
  }

  @Test
  void describeListsEveryStepAndChangesNothing() {
    // given
    seed88Cluster();
    List<HasMetadata> before = snapshot();
    takeRequests();
    // when
    List<String> plan = platform.describe(BACKUP_ID, 3);
    // then
    assertThat(mutating(takeRequests())).isEmpty();
    assertThat(snapshot()).isEqualTo(before);
    assertThat(plan).contains(
        "scale deployment camunda/prod-optimize 1 → 0",
        "scale deployment camunda/prod-connectors 2 → 0",
        "scale statefulset camunda/prod-zeebe 3 → 0",
        "run Job prod-zeebe-restore-42-0 (image camunda/camunda:8.8.3, /usr/local/camunda/bin/restore "
            + "--backupId=42, node id 0, /usr/local/camunda/data on PVC data-prod-zeebe-0)",
        "scale statefulset camunda/prod-zeebe back to 3",
        "scale deployment camunda/prod-connectors back to 2");
    assertThat(plan).anyMatch(line -> line.startsWith("delete PVC data-prod-zeebe-0..2"));
  }

  @Test
  void failingPreflightMutatesNothing() {
    // given: the release is named differently than configured
    platform = new KubernetesPlatform(CLUSTER, cluster(CamundaVersion.V8_8), client);
    client.apps().deployments().resource(deployment("prod-optimize", 1)).create();
    takeRequests();
    // when / then
    assertThatThrownBy(() -> platform.describe(BACKUP_ID, 3)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("camunda/prod-zeebe").hasMessageContaining("broker-stateful-set");
    assertThat(mutating(takeRequests())).isEmpty();
  }

  @Test
  void brokerRestoreReplacesEachDataClaimAndRunsOneRestoreJobPerBroker() {
    // given
    seed88Cluster();
    stopped();
    // when
    platform.startBrokerRestore(BACKUP_ID);
    // then
    for (int n = 0; n < 3; n++) {
      int nodeId = n;
      PersistentVolumeClaim claim = claim(nodeId);
      assertThat(claim.getSpec().getVolumeName()).as("a fresh, unbound claim").isNull();
      assertThat(claim.getSpec().getStorageClassName()).isEqualTo("ssd");
      assertThat(claim.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("32Gi");
      assertThat(claim.getMetadata().getLabels()).containsEntry(RestoreLabels.BACKUP_ID, "42");

      Job job = job("prod-zeebe-restore-42-" + nodeId);
      assertThat(job.getSpec().getBackoffLimit()).isZero();
      assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(1800L);
      assertThat(job.getMetadata().getLabels()).containsEntry(RestoreLabels.CLUSTER, CLUSTER)
          .containsEntry(RestoreLabels.BACKUP_ID, "42").containsEntry(RestoreLabels.NODE_ID, "" + nodeId);
      var pod = job.getSpec().getTemplate().getSpec();
      assertThat(pod.getRestartPolicy()).isEqualTo("Never");
      assertThat(pod.getInitContainers()).isEmpty();
      assertThat(pod.getServiceAccountName()).isEqualTo(BROKERS);
      assertThat(job.getSpec().getTemplate().getMetadata().getLabels())
          .doesNotContainKey("app.kubernetes.io/component");
      assertThat(pod.getVolumes()).anySatisfy(volume -> {
        assertThat(volume.getName()).isEqualTo("data");
        assertThat(volume.getPersistentVolumeClaim().getClaimName()).isEqualTo("data-prod-zeebe-" + nodeId);
      });
      Container restore = pod.getContainers().getFirst();
      assertThat(pod.getContainers()).hasSize(1);
      assertThat(restore.getImage()).isEqualTo("camunda/camunda:8.8.3");
      assertThat(restore.getCommand()).containsExactly("/usr/local/camunda/bin/restore", "--backupId=42");
      assertThat(restore.getReadinessProbe()).isNull();
      assertThat(restore.getVolumeMounts()).anySatisfy(mount -> {
        assertThat(mount.getName()).isEqualTo("data");
        assertThat(mount.getMountPath()).isEqualTo("/usr/local/camunda/data");
      });
      assertThat(env(restore))
          .containsEntry("ZEEBE_BROKER_CLUSTER_NODEID", "" + nodeId)
          .containsEntry("SPRING_PROFILES_ACTIVE", "restore")
          .containsEntry("CAMUNDA_DATA_BACKUP_STORE", "S3")
          .containsEntry("CAMUNDA_DATA_BACKUP_S3_BUCKETNAME", "camunda-backups")
          .containsKey("CAMUNDA_DATA_BACKUP_S3_SECRETKEY")
          .doesNotContainKey("JAVA_TOOL_OPTIONS");
      assertThat(restore.getEnvFrom()).hasSize(1);
    }
  }

  @Test
  void brokerRestoreStartedTwiceCreatesAndDeletesNothingTheSecondTime() {
    // given
    seed88Cluster();
    stopped();
    platform.startBrokerRestore(BACKUP_ID);
    takeRequests();
    // when
    platform.startBrokerRestore(BACKUP_ID);
    // then
    assertThat(mutating(takeRequests())).isEmpty();
    assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()).hasSize(3);
  }

  @Test
  void brokerRestoreResumedLeavesTheClaimOfABrokerWhoseJobRunsAlone() {
    // given: the orchestrator died after broker 0's Job was created
    seed88Cluster();
    stopped();
    platform.startBrokerRestore(BACKUP_ID);
    client.batch().v1().jobs().inNamespace(NAMESPACE).withName("prod-zeebe-restore-42-1").delete();
    client.batch().v1().jobs().inNamespace(NAMESPACE).withName("prod-zeebe-restore-42-2").delete();
    client.persistentVolumeClaims().inNamespace(NAMESPACE).withName("data-prod-zeebe-2").delete();
    client.persistentVolumeClaims().resource(boundDataClaim(2)).create();
    takeRequests();
    // when
    platform.startBrokerRestore(BACKUP_ID);
    // then
    assertThat(mutating(takeRequests())).containsExactly(
        "DELETE /api/v1/namespaces/camunda/persistentvolumeclaims/data-prod-zeebe-2",
        "POST /apis/batch/v1/namespaces/camunda/jobs",
        "POST /api/v1/namespaces/camunda/persistentvolumeclaims",
        "POST /apis/batch/v1/namespaces/camunda/jobs");
  }

  @Test
  void brokerRestoreRefusesWhileBrokersRun() {
    // given
    seed88Cluster();
    takeRequests();
    // when / then
    assertThatThrownBy(() -> platform.startBrokerRestore(BACKUP_ID)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not stopped");
    assertThat(mutating(takeRequests())).isEmpty();
    assertThat(claim(0).getSpec().getVolumeName()).isEqualTo("pvc-old-0");
  }

  @Test
  void brokerRestoreWaitsForAClaimThatIsStillTerminating() {
    // given: broker 1's old claim is held by its pvc-protection finalizer
    seed88Cluster();
    client.persistentVolumeClaims().inNamespace(NAMESPACE).withName("data-prod-zeebe-1").edit(c -> {
      c.getMetadata().setFinalizers(List.of("kubernetes.io/pvc-protection"));
      return c;
    });
    stopped();
    // when / then
    assertThatThrownBy(() -> platform.startBrokerRestore(BACKUP_ID))
        .isInstanceOf(DataVolumeStillTerminatingException.class)
        .hasMessageContaining("data-prod-zeebe-1");
    assertThat(jobNames()).containsExactlyInAnyOrder("prod-zeebe-restore-42-0", "prod-zeebe-restore-42-2");
  }

  @Test
  void brokerRestoreIsNotStartedBeforeAnyJobExists() {
    // given
    seed88Cluster();
    stopped();
    // when
    BrokerRestore restore = platform.brokerRestore(BACKUP_ID);
    // then
    assertThat(restore.state()).isEqualTo(State.NOT_STARTED);
    assertThat(restore.brokers()).hasSize(3);
  }

  @Test
  void brokerRestoreIsInProgressWhileAJobRuns() {
    // given
    seed88Cluster();
    stopped();
    platform.startBrokerRestore(BACKUP_ID);
    succeeded(0, RESTORE_LOG);
    // when
    BrokerRestore restore = platform.brokerRestore(BACKUP_ID);
    // then
    assertThat(restore.state()).isEqualTo(State.IN_PROGRESS);
    assertThat(restore.brokers()).extracting(BrokerRestore.Broker::state)
        .containsExactly(State.COMPLETED, State.IN_PROGRESS, State.IN_PROGRESS);
  }

  @Test
  void brokerRestoreCompletesWhenEveryJobSucceededAndLoggedTheSuccessLine() {
    // given
    seed88Cluster();
    stopped();
    platform.startBrokerRestore(BACKUP_ID);
    for (int nodeId = 0; nodeId < 3; nodeId++) {
      succeeded(nodeId, RESTORE_LOG);
    }
    // when
    BrokerRestore restore = platform.brokerRestore(BACKUP_ID);
    // then
    assertThat(restore.state()).isEqualTo(State.COMPLETED);
    assertThat(restore.brokers()).allSatisfy(broker ->
        assertThat(broker.detail()).isEqualTo("Successfully restored broker from backup 42"));
  }

  @Test
  void brokerRestoreFailsWhenASucceededJobLacksTheSuccessLine() {
    // given
    seed88Cluster();
    stopped();
    platform.startBrokerRestore(BACKUP_ID);
    succeeded(0, RESTORE_LOG);
    succeeded(1, "Starting RestoreApp\nSuccessfully restored broker from backup 41\n");
    succeeded(2, RESTORE_LOG);
    // when
    BrokerRestore restore = platform.brokerRestore(BACKUP_ID);
    // then
    assertThat(restore.state()).isEqualTo(State.FAILED);
    assertThat(restore.failureReason()).startsWith("broker 1: ")
        .contains("Successfully restored broker from backup 41");
  }

  @Test
  void brokerRestoreFailsWithTheLogTailWhenAJobFailed() {
    // given
    seed88Cluster();
    stopped();
    platform.startBrokerRestore(BACKUP_ID);
    succeeded(0, RESTORE_LOG);
    failed(2, "Brokers's data directory /usr/local/camunda/data is not empty. Aborting restore");
    // when
    BrokerRestore restore = platform.brokerRestore(BACKUP_ID);
    // then
    assertThat(restore.state()).isEqualTo(State.FAILED);
    assertThat(restore.failureReason()).contains("broker 2", "prod-zeebe-restore-42-2 failed", "BackoffLimitExceeded",
        "is not empty");
  }

  @Test
  void startScalesBackToTheRecordedCountsAndRemovesTheRestoreJobs() {
    // given
    seed88Cluster();
    stopped();
    platform.startBrokerRestore(BACKUP_ID);
    for (int nodeId = 0; nodeId < 3; nodeId++) {
      succeeded(nodeId, RESTORE_LOG);
    }
    // when
    platform.startComponents();
    // then
    assertThat(statefulSet().getSpec().getReplicas()).isEqualTo(3);
    assertThat(statefulSet().getMetadata().getAnnotations()).doesNotContainKey(RestoreLabels.REPLICAS_BEFORE_RESTORE);
    assertThat(deploymentReplicas("prod-optimize")).isEqualTo(1);
    assertThat(deploymentReplicas("prod-connectors")).isEqualTo(2);
    assertThat(jobNames()).isEmpty();
    assertThat(claim(0).getMetadata().getLabels()).containsEntry(RestoreLabels.BACKUP_ID, "42");
  }

  @Test
  void startRefusesWhileARestoreJobStillRuns() {
    // given
    seed88Cluster();
    stopped();
    platform.startBrokerRestore(BACKUP_ID);
    succeeded(0, RESTORE_LOG);
    takeRequests();
    // when / then
    assertThatThrownBy(platform::startComponents).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("prod-zeebe-restore-42-1");
    assertThat(mutating(takeRequests())).isEmpty();
  }

  @Test
  void wholeRestoreStopsBeforeItReplacesDataAndStartsBrokersBeforeTheirClients() {
    // given
    seed88Cluster();
    takeRequests();
    // when
    platform.stopComponents();
    List<String> mutatingCalls = new ArrayList<>(mutating(takeRequests()));
    clearReadyReplicas();
    takeRequests();
    platform.startBrokerRestore(BACKUP_ID);
    mutatingCalls.addAll(mutating(takeRequests()));
    for (int nodeId = 0; nodeId < 3; nodeId++) {
      succeeded(nodeId, RESTORE_LOG);
    }
    takeRequests();
    assertThat(platform.brokerRestore(BACKUP_ID).state()).isEqualTo(State.COMPLETED);
    platform.startComponents();
    mutatingCalls.addAll(mutating(takeRequests()));
    // then
    assertThat(mutatingCalls).containsExactly(
        "PATCH /apis/apps/v1/namespaces/camunda/deployments/prod-optimize",
        "PATCH /apis/apps/v1/namespaces/camunda/deployments/prod-connectors",
        "PATCH /apis/apps/v1/namespaces/camunda/statefulsets/prod-zeebe",
        "DELETE /api/v1/namespaces/camunda/persistentvolumeclaims/data-prod-zeebe-0",
        "DELETE /api/v1/namespaces/camunda/persistentvolumeclaims/data-prod-zeebe-1",
        "DELETE /api/v1/namespaces/camunda/persistentvolumeclaims/data-prod-zeebe-2",
        "POST /api/v1/namespaces/camunda/persistentvolumeclaims",
        "POST /apis/batch/v1/namespaces/camunda/jobs",
        "POST /api/v1/namespaces/camunda/persistentvolumeclaims",
        "POST /apis/batch/v1/namespaces/camunda/jobs",
        "POST /api/v1/namespaces/camunda/persistentvolumeclaims",
        "POST /apis/batch/v1/namespaces/camunda/jobs",
        "DELETE /apis/batch/v1/namespaces/camunda/jobs/prod-zeebe-restore-42-0",
        "DELETE /apis/batch/v1/namespaces/camunda/jobs/prod-zeebe-restore-42-1",
        "DELETE /apis/batch/v1/namespaces/camunda/jobs/prod-zeebe-restore-42-2",
        "PATCH /apis/apps/v1/namespaces/camunda/statefulsets/prod-zeebe",
        "PATCH /apis/apps/v1/namespaces/camunda/deployments/prod-optimize",
        "PATCH /apis/apps/v1/namespaces/camunda/deployments/prod-connectors");
  }

  @Test
  void startRunTwiceChangesNothingTheSecondTime() {
    // given
    seed88Cluster();
    stopped();
    platform.startBrokerRestore(BACKUP_ID);
    for (int nodeId = 0; nodeId < 3; nodeId++) {
      succeeded(nodeId, RESTORE_LOG);
    }
    platform.startComponents();
    takeRequests();
    // when
    platform.startComponents();
    // then
    assertThat(mutating(takeRequests())).isEmpty();
    assertThat(statefulSet().getSpec().getReplicas()).isEqualTo(3);
  }

  @Test
  void configuredNamesAndRestoreImageWinOverTheChartDefaults() {
    // given
    seed88Cluster();
    client.apps().deployments().resource(deployment("prod-identity", 1)).create();
    var kubernetes = new KubernetesSettings(NAMESPACE, "ignored-release", BROKERS, List.of("prod-identity"),
        "registry.example.com/camunda/camunda:8.8.3-patched", java.time.Duration.ofMinutes(10));
    platform = new KubernetesPlatform(CLUSTER, cluster(CamundaVersion.V8_8, kubernetes), client);
    stopped();
    // when
    platform.startBrokerRestore(BACKUP_ID);
    // then
    assertThat(deploymentReplicas("prod-identity")).isZero();
    assertThat(deploymentReplicas("prod-optimize")).isEqualTo(1);
    Job job = job("prod-zeebe-restore-42-0");
    assertThat(job.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage())
        .isEqualTo("registry.example.com/camunda/camunda:8.8.3-patched");
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(600L);
  }

  @Test
  void zeebe86RunsTheZeebeRestoreBinaryOnTheZeebeDataPath() {
    // given
    HelmChartFixtures.install86(client);
    platform = new KubernetesPlatform(CLUSTER, cluster(CamundaVersion.V8_6), client);
    stopped();
    // when
    platform.startBrokerRestore(BACKUP_ID);
    // then
    assertThat(deploymentReplicas("prod-zeebe-gateway")).isZero();
    assertThat(deploymentReplicas("prod-operate")).isZero();
    Container restore = job("prod-zeebe-restore-42-1").getSpec().getTemplate().getSpec().getContainers().getFirst();
    assertThat(restore.getImage()).isEqualTo("camunda/zeebe:8.6.12");
    assertThat(restore.getCommand()).containsExactly("/usr/local/zeebe/bin/restore", "--backupId=42");
    assertThat(restore.getVolumeMounts()).anySatisfy(mount -> {
      assertThat(mount.getName()).isEqualTo("data");
      assertThat(mount.getMountPath()).isEqualTo("/usr/local/zeebe/data");
    });
    assertThat(env(restore))
        .containsEntry("ZEEBE_BROKER_CLUSTER_NODEID", "1")
        .containsEntry("ZEEBE_BROKER_DATA_BACKUP_STORE", "S3")
        .doesNotContainKeys("JAVA_TOOL_OPTIONS", "SPRING_PROFILES_ACTIVE");
  }

  @Test
  void versionComesFromTheBrokerImageWhenNotConfigured() {
    // given
    seed88Cluster();
    platform = new KubernetesPlatform(CLUSTER, cluster(null), client);
    // when
    List<String> plan = platform.describe(BACKUP_ID, 3);
    // then
    assertThat(plan).anyMatch(line -> line.contains("/usr/local/camunda/bin/restore --backupId=42"));
  }

  // --- fixtures and helpers

  private void seed88Cluster() {
    HelmChartFixtures.install88(client);
    platform = new KubernetesPlatform(CLUSTER, cluster(CamundaVersion.V8_8), client);
  }

  /** What the controllers do after the scale-down: no pod is ready any more. */
  private void stopped() {
    platform.stopComponents();
    clearReadyReplicas();
    assertThat(platform.componentsStopped()).isTrue();
  }

  private void clearReadyReplicas() {
    SimulatedControllers.scaledDown(client);
  }

  /** What the Job controller and the restore application do for a broker whose restore worked. */
  private void succeeded(int nodeId, String log) {
    SimulatedControllers.restoreJobFinished(client, server, BACKUP_ID, nodeId, true, log);
  }

  private void failed(int nodeId, String log) {
    SimulatedControllers.restoreJobFinished(client, server, BACKUP_ID, nodeId, false, log);
  }

  private StatefulSet statefulSet() {
    return client.apps().statefulSets().inNamespace(NAMESPACE).withName(BROKERS).get();
  }

  private int deploymentReplicas(String name) {
    return client.apps().deployments().inNamespace(NAMESPACE).withName(name).get().getSpec().getReplicas();
  }

  private PersistentVolumeClaim claim(int nodeId) {
    return client.persistentVolumeClaims().inNamespace(NAMESPACE).withName("data-prod-zeebe-" + nodeId).get();
  }

  private Job job(String name) {
    Job job = client.batch().v1().jobs().inNamespace(NAMESPACE).withName(name).get();
    assertThat(job).as("Job " + name).isNotNull();
    return job;
  }

  private List<String> jobNames() {
    return client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems().stream()
        .map(job -> job.getMetadata().getName()).toList();
  }

  private static Map<String, String> env(Container container) {
    Map<String, String> env = new java.util.LinkedHashMap<>();
    for (EnvVar variable : container.getEnv()) {
      env.put(variable.getName(), variable.getValue());
    }
    return env;
  }

  private List<HasMetadata> snapshot() {
    return Stream.of(
            client.apps().statefulSets().inNamespace(NAMESPACE).list().getItems(),
            client.apps().deployments().inNamespace(NAMESPACE).list().getItems(),
            client.persistentVolumeClaims().inNamespace(NAMESPACE).list().getItems(),
            client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems())
        .flatMap(List::stream).map(HasMetadata.class::cast).toList();
  }

  /** Every request since the last call, oldest first. */
  private List<RecordedRequest> takeRequests() {
    return SimulatedControllers.takeRequests(server);
  }

  /** "METHOD path" of every request that changes something (the mock server has read POST bodies by then). */
  private static List<String> mutating(List<RecordedRequest> requests) {
    return requests.stream()
        .filter(request -> !request.getMethod().equals("GET"))
        .map(request -> request.getMethod() + " " + request.getPath().replaceAll("\\?.*$", ""))
        .toList();
  }
}
