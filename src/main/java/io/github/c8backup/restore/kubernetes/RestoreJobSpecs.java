package io.github.c8backup.restore.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.github.c8backup.config.CamundaVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The empty data volume and the restore Job of one broker, derived from the broker StatefulSet so
 * that the restore application runs "configured exactly like the broker" (reference 7.3): same
 * image, env (with the backup store), envFrom, config volumes, security context and scheduling.
 *
 * <p>Differences from a broker pod, each for a reason:
 * <ul>
 *   <li>command {@code <restore binary> --backupId=<id>} instead of the chart's startup script,
 *       which would read the node id from the pod name (reference 7.4);
 *   <li>{@code ZEEBE_BROKER_CLUSTER_NODEID} set to the broker's ordinal (single-region installs;
 *       the multi-region formula {@code ordinal * regions + regionId} is not applied);
 *   <li>no {@code JAVA_TOOL_OPTIONS}: the chart's default writes {@code gc.log} into the data
 *       directory, which the restore requires empty (reference 7.3, camunda/zeebe-chaos);
 *   <li>8.8+: {@code SPRING_PROFILES_ACTIVE=restore} (reference 7.3);
 *   <li>no probes, ports, init containers or sidecars: probes would kill the short-lived restore
 *       application, a sidecar would keep the Job from ever finishing, and init containers may
 *       write into the data directory;
 *   <li>its own labels, never the broker's: broker Services and the "components stopped" check
 *       must not see restore pods.
 * </ul>
 */
final class RestoreJobSpecs {

  private static final Set<String> ENV_REPLACED = Set.of(
      "JAVA_TOOL_OPTIONS",
      "ZEEBE_BROKER_CLUSTER_NODEID",
      "ZEEBE_RESTORE",
      "ZEEBE_RESTORE_FROM_BACKUP_ID",
      "SPRING_PROFILES_ACTIVE");
  private static final int MAX_NAME_LENGTH = 63;

  private final String cluster;
  private final StatefulSet brokers;
  private final CamundaVersion version;
  private final String restoreImage;
  private final Duration jobTimeout;
  private final Container broker;
  private final VolumeMount dataMount;
  private final PersistentVolumeClaim claimTemplate;

  RestoreJobSpecs(
      String cluster, StatefulSet brokers, CamundaVersion version, String restoreImage, Duration jobTimeout) {
    this.cluster = cluster;
    this.brokers = brokers;
    this.version = version;
    this.jobTimeout = jobTimeout;
    this.broker = brokerContainer(brokers);
    this.dataMount = dataMount(broker, version);
    this.claimTemplate = brokers.getSpec().getVolumeClaimTemplates().stream()
        .filter(claim -> claim.getMetadata().getName().equals(dataMount.getName()))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException(
            "StatefulSet " + brokers.getMetadata().getName() + " has no volumeClaimTemplate '"
                + dataMount.getName() + "' (persistenceType disk): brokers keep no data to restore into"));
    this.restoreImage = ChartNames.hasText(restoreImage) ? restoreImage : broker.getImage();
  }

  String statefulSetName() {
    return brokers.getMetadata().getName();
  }

  String image() {
    return restoreImage;
  }

  String dataPath() {
    return dataMount.getMountPath();
  }

  List<String> command(long backupId) {
    return List.of(ChartNames.restoreBinary(version), "--backupId=" + backupId);
  }

  /** The name the StatefulSet controller gives broker n's claim, so the broker adopts it later. */
  String claimName(int nodeId) {
    return claimTemplate.getMetadata().getName() + "-" + statefulSetName() + "-" + nodeId;
  }

  String jobName(long backupId, int nodeId) {
    String name = statefulSetName() + "-restore-" + backupId + "-" + nodeId;
    if (name.length() > MAX_NAME_LENGTH) {
      throw new IllegalStateException("Restore Job name " + name + " is longer than " + MAX_NAME_LENGTH
          + " characters; set a shorter brokerStatefulSet name or backup id");
    }
    return name;
  }

  String claimSize() {
    var requests = claimTemplate.getSpec().getResources().getRequests();
    return requests == null || requests.get("storage") == null ? "default size" : requests.get("storage").toString();
  }

  String storageClass() {
    String storageClass = claimTemplate.getSpec().getStorageClassName();
    return storageClass == null ? "default storage class" : "storage class " + storageClass;
  }

  /** An empty claim with the template's spec, labelled with the backup that will fill it. */
  PersistentVolumeClaim emptyDataClaim(long backupId, int nodeId) {
    Map<String, String> labels = new LinkedHashMap<>(brokers.getSpec().getSelector().getMatchLabels());
    labels.putAll(RestoreLabels.ofBroker(cluster, backupId, nodeId));
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withName(claimName(nodeId))
        .withNamespace(brokers.getMetadata().getNamespace())
        .withLabels(labels)
        .withAnnotations(claimTemplate.getMetadata().getAnnotations())
        .endMetadata()
        .withNewSpecLike(claimTemplate.getSpec())
        .withVolumeName(null)
        .endSpec()
        .build();
  }

  Job restoreJob(long backupId, int nodeId) {
    Map<String, String> labels = RestoreLabels.ofBroker(cluster, backupId, nodeId);
    return new JobBuilder()
        .withNewMetadata()
        .withName(jobName(backupId, nodeId))
        .withNamespace(brokers.getMetadata().getNamespace())
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withBackoffLimit(0)
        .withActiveDeadlineSeconds(jobTimeout == null ? null : jobTimeout.toSeconds())
        .withNewTemplate()
        .withNewMetadata().withLabels(labels).endMetadata()
        .withSpec(podSpec(backupId, nodeId))
        .endTemplate()
        .endSpec()
        .build();
  }

  private PodSpec podSpec(long backupId, int nodeId) {
    PodSpec template = brokers.getSpec().getTemplate().getSpec();
    List<Volume> volumes = new ArrayList<>();
    for (Volume volume : template.getVolumes()) {
      if (!volume.getName().equals(dataMount.getName())) {
        volumes.add(volume);
      }
    }
    volumes.add(new VolumeBuilder()
        .withName(dataMount.getName())
        .withNewPersistentVolumeClaim().withClaimName(claimName(nodeId)).endPersistentVolumeClaim()
        .build());
    return new PodSpecBuilder(template)
        .withRestartPolicy("Never")
        .withInitContainers(List.of())
        .withContainers(restoreContainer(backupId, nodeId))
        .withVolumes(volumes)
        .withHostname(null)
        .withSubdomain(null)
        .build();
  }

  private Container restoreContainer(long backupId, int nodeId) {
    List<EnvVar> env = new ArrayList<>();
    for (EnvVar variable : broker.getEnv()) {
      if (!ENV_REPLACED.contains(variable.getName())) {
        env.add(variable);
      }
    }
    env.add(new EnvVarBuilder().withName("ZEEBE_BROKER_CLUSTER_NODEID").withValue(Integer.toString(nodeId)).build());
    if (version.pausesExportingFirst()) {
      env.add(new EnvVarBuilder().withName("SPRING_PROFILES_ACTIVE").withValue("restore").build());
    } else {
      broker.getEnv().stream().filter(v -> v.getName().equals("SPRING_PROFILES_ACTIVE")).forEach(env::add);
    }
    return new ContainerBuilder(broker)
        .withName("restore")
        .withImage(restoreImage)
        .withCommand(command(backupId))
        .withArgs(List.of())
        .withEnv(env)
        .withPorts(List.of())
        .withStartupProbe(null)
        .withReadinessProbe(null)
        .withLivenessProbe(null)
        .withLifecycle(null)
        .build();
  }

  /** The container that mounts the data volume; the chart names it zeebe (8.6/8.7) or orchestration (8.8+). */
  static Container brokerContainer(StatefulSet brokers) {
    List<Container> containers = brokers.getSpec().getTemplate().getSpec().getContainers();
    return containers.stream()
        .filter(c -> c.getVolumeMounts().stream().anyMatch(m -> m.getName().equals("data")))
        .findFirst()
        .orElse(containers.get(0));
  }

  private static VolumeMount dataMount(Container broker, CamundaVersion version) {
    String expected = ChartNames.defaultDataPath(version);
    return broker.getVolumeMounts().stream()
        .filter(m -> m.getName().equals("data"))
        .findFirst()
        .or(() -> broker.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(expected)).findFirst())
        .orElseThrow(() -> new IllegalStateException("Container " + broker.getName()
            + " mounts no volume 'data' and nothing at " + expected + "; cannot tell where the broker keeps its data"));
  }
}
