package io.github.c8backup.restore.kubernetes;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.c8backup.config.CamundaVersion;
import io.github.c8backup.config.KubernetesSettings;
import io.github.c8backup.config.PlatformSettings;
import io.github.c8backup.config.TargetCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Resources as Camunda's Helm chart renders them for release "prod" in namespace "camunda",
 * modelled on charts/camunda-platform-8.8/templates/orchestration/statefulset.yaml and
 * charts/camunda-platform-8.6/templates/zeebe/statefulset.yaml (trimmed to what matters here).
 */
final class HelmChartFixtures {

  static final String NAMESPACE = "camunda";
  static final String RELEASE = "prod";
  static final String BROKERS = "prod-zeebe";
  static final String CLUSTER = "prod";
  static final String GC_LOG_OPTS = "-XX:+ExitOnOutOfMemoryError -Xlog:gc*:file=/usr/local/camunda/data/gc.log";

  private HelmChartFixtures() {}

  static TargetCluster cluster(CamundaVersion version) {
    return cluster(version, new KubernetesSettings(NAMESPACE, RELEASE, null, null, null, Duration.ofMinutes(30)));
  }

  static TargetCluster cluster(CamundaVersion version, KubernetesSettings kubernetes) {
    return new TargetCluster(version, null, null, null, null, null, null, null, null, null, null, null,
        new PlatformSettings("kubernetes", kubernetes), null, null);
  }

  /** An 8.8 release as installed: three brokers with their data claims, Optimize and Connectors. */
  static void install88(KubernetesClient client) {
    client.apps().statefulSets().resource(orchestrationStatefulSet88()).create();
    client.apps().deployments().resource(deployment("prod-optimize", 1)).create();
    client.apps().deployments().resource(deployment("prod-connectors", 2)).create();
    createDataClaims(client);
  }

  /** An 8.6 release as installed: three brokers with their data claims, a gateway and Operate. */
  static void install86(KubernetesClient client) {
    client.apps().statefulSets().resource(zeebeStatefulSet86()).create();
    client.apps().deployments().resource(deployment("prod-zeebe-gateway", 2)).create();
    client.apps().deployments().resource(deployment("prod-operate", 1)).create();
    createDataClaims(client);
  }

  private static void createDataClaims(KubernetesClient client) {
    for (int nodeId = 0; nodeId < 3; nodeId++) {
      client.persistentVolumeClaims().resource(boundDataClaim(nodeId)).create();
    }
  }

  static Map<String, String> brokerSelector() {
    return Map.of(
        "app.kubernetes.io/name", "camunda-platform",
        "app.kubernetes.io/instance", RELEASE,
        "app.kubernetes.io/component", "zeebe-broker");
  }

  /** 8.8 chart: container orchestration, camunda/camunda image, data at /usr/local/camunda/data. */
  static StatefulSet orchestrationStatefulSet88() {
    return brokerStatefulSet("orchestration", "camunda/camunda:8.8.3", "/usr/local/camunda", List.of(
        new EnvVarBuilder().withName("CAMUNDA_DATA_BACKUP_STORE").withValue("S3").build(),
        new EnvVarBuilder().withName("CAMUNDA_DATA_BACKUP_S3_BUCKETNAME").withValue("camunda-backups").build(),
        new EnvVarBuilder().withName("CAMUNDA_DATA_BACKUP_S3_BASEPATH").withValue("prod").build(),
        new EnvVarBuilder().withName("CAMUNDA_DATA_BACKUP_S3_SECRETKEY")
            .withNewValueFrom().withNewSecretKeyRef("secret-key", "camunda-backup-s3", false).endValueFrom().build()),
        List.of("bash", "/usr/local/bin/startup.sh"));
  }

  /** 8.6 chart: container zeebe, camunda/zeebe image, data at /usr/local/zeebe/data, image entrypoint. */
  static StatefulSet zeebeStatefulSet86() {
    return brokerStatefulSet("zeebe", "camunda/zeebe:8.6.12", "/usr/local/zeebe", List.of(
        new EnvVarBuilder().withName("ZEEBE_BROKER_DATA_BACKUP_STORE").withValue("S3").build(),
        new EnvVarBuilder().withName("ZEEBE_BROKER_DATA_BACKUP_S3_BUCKETNAME").withValue("camunda-backups").build()),
        List.of());
  }

  private static StatefulSet brokerStatefulSet(
      String container, String image, String home, List<EnvVar> backupStoreEnv, List<String> command) {
    return new StatefulSetBuilder()
        .withNewMetadata().withName(BROKERS).withNamespace(NAMESPACE).withLabels(brokerSelector()).endMetadata()
        .withNewSpec()
        .withReplicas(3)
        .withServiceName(BROKERS)
        .withPodManagementPolicy("Parallel")
        .withNewSelector().withMatchLabels(brokerSelector()).endSelector()
        .withNewTemplate()
        .withNewMetadata().withLabels(brokerSelector()).endMetadata()
        .withNewSpec()
        .withServiceAccountName(BROKERS)
        .withNewSecurityContext().withFsGroup(1001L).endSecurityContext()
        .addNewInitContainer().withName("fetch-exporter").withImage("busybox:1.36").endInitContainer()
        .addNewContainer()
        .withName(container)
        .withImage(image)
        .withCommand(command)
        .addNewEnv().withName("LC_ALL").withValue("C.UTF-8").endEnv()
        .addNewEnv().withName("K8S_NAME").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name").endFieldRef().endValueFrom().endEnv()
        .addNewEnv().withName("JAVA_TOOL_OPTIONS").withValue(GC_LOG_OPTS).endEnv()
        .addAllToEnv(backupStoreEnv)
        .addNewEnvFrom().withNewConfigMapRef().withName("camunda-documentstore-env-vars").endConfigMapRef().endEnvFrom()
        .addNewPort().withName("management").withContainerPort(9600).endPort()
        .withNewReadinessProbe().withNewHttpGet().withPath("/actuator/health/readiness").withNewPort(9600).endHttpGet().endReadinessProbe()
        .addNewVolumeMount().withName("config").withMountPath("/usr/local/bin/startup.sh").withSubPath("startup.sh").endVolumeMount()
        .addNewVolumeMount().withName("data").withMountPath(home + "/data").endVolumeMount()
        .addNewVolumeMount().withName("exporters").withMountPath("/exporters").endVolumeMount()
        .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
        .addNewVolumeMount().withName("config").withMountPath(home + "/config/application.yaml").withSubPath("application.yaml").endVolumeMount()
        .endContainer()
        .addNewVolume().withName("config").withNewConfigMap().withName(BROKERS + "-configuration").endConfigMap().endVolume()
        .addNewVolume().withName("exporters").withNewEmptyDir().endEmptyDir().endVolume()
        .addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume()
        .endSpec()
        .endTemplate()
        .addNewVolumeClaimTemplate()
        .withNewMetadata().withName("data").endMetadata()
        .withNewSpec()
        .withAccessModes("ReadWriteOnce")
        .withStorageClassName("ssd")
        .withNewResources().addToRequests("storage", new Quantity("32Gi")).endResources()
        .endSpec()
        .endVolumeClaimTemplate()
        .endSpec()
        .withNewStatus().withReplicas(3).withReadyReplicas(3).endStatus()
        .build();
  }

  static Deployment deployment(String name, int replicas) {
    Map<String, String> selector = Map.of("app.kubernetes.io/instance", RELEASE, "app.kubernetes.io/component", name);
    return new DeploymentBuilder()
        .withNewMetadata().withName(name).withNamespace(NAMESPACE).endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withNewSelector().withMatchLabels(selector).endSelector()
        .withNewTemplate()
        .withNewMetadata().withLabels(selector).endMetadata()
        .withNewSpec().addNewContainer().withName(name).withImage("camunda/" + name + ":8.8.3").endContainer().endSpec()
        .endTemplate()
        .endSpec()
        .withNewStatus().withReplicas(replicas).withReadyReplicas(replicas).endStatus()
        .build();
  }

  /** A claim as the StatefulSet controller created it: bound to a volume, with the broker's data. */
  static PersistentVolumeClaim boundDataClaim(int nodeId) {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withName("data-" + BROKERS + "-" + nodeId)
        .withNamespace(NAMESPACE)
        .withLabels(brokerSelector())
        .endMetadata()
        .withNewSpec()
        .withAccessModes("ReadWriteOnce")
        .withStorageClassName("ssd")
        .withVolumeName("pvc-old-" + nodeId)
        .withNewResources().addToRequests("storage", new Quantity("32Gi")).endResources()
        .endSpec()
        .build();
  }

  static Pod brokerPod(int nodeId) {
    return new PodBuilder()
        .withNewMetadata().withName(BROKERS + "-" + nodeId).withNamespace(NAMESPACE).withLabels(brokerSelector()).endMetadata()
        .build();
  }
}
